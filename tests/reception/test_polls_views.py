"""Poll pages: the public poll without an account or JavaScript (one answer per browser through a
signed cookie, bad input refused in Persian with the text kept), and the staff's list, new poll,
results and open/close, scoped."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tabyin.core.models import User
from tabyin.reception.polls import services
from tabyin.reception.polls.enums import OPEN_ANSWER_LIMIT, PollState
from tabyin.reception.polls.models import Answer, Poll, Response
from tabyin.reception.polls.views import cookie_name
from tests.reception.polls_helpers import make_poll, page_text

pytestmark = pytest.mark.django_db
UNKNOWN = "این پاسخ از گزینه‌های این پرسش نیست؛ یکی از گزینه‌ها را برگزینید."


def _post(client: Client, poll: Poll, **data: str) -> Any:
    return client.post(
        reverse("reception:poll", args=[poll.pk]), {"q1": "0", "q2": "4", "q3": "", "province": ""} | data
    )


def test_the_public_poll_page(hq_analyst: User) -> None:
    poll = make_poll(hq_analyst)
    response = Client().get(reverse("reception:poll", args=[poll.pk]))
    text = page_text(response)
    assert response.status_code == 200
    assert (
        "نظرسنجی آزمایشی دربارهٔ: /explanations/3/ مستمری از کی افزایش می‌یابد؟ (الزامی) فروردین مهر دی" in text
    )
    assert (
        "این توضیح چقدر روشن بود؟ (الزامی) ۱ — اصلاً روشن نبود ۲ — کم روشن بود ۳ — تا "
        "اندازه‌ای روشن بود ۴ — روشن بود ۵ — کاملاً روشن بود"
    ) in text
    assert "اختیاری؛ تا ۱٬۰۰۰ نویسه." in text
    assert (
        "استان شما (اختیاری) فقط اگر بخواهید؛ ما هرگز آن را حدس نمی‌زنیم. "
        "ترجیح می‌دهم نگویم مرکزی گیلان مازندران" in text
    )
    assert "<script" not in response.content.decode().split("<main", 1)[1]
    assert "maxlength" not in response.content.decode()


def test_a_draft_is_not_public(hq_analyst: User) -> None:
    poll = make_poll(hq_analyst, state=PollState.DRAFT)
    assert Client().get(reverse("reception:poll", args=[poll.pk])).status_code == 404


def test_answer_once_then_refused(hq_analyst: User) -> None:
    poll = make_poll(hq_analyst)
    client = Client()
    first = _post(client, poll, q1="0", q2="5", q3="روشن بود", province="IR-23")
    assert (first.status_code, first["Location"]) == (302, reverse("reception:poll-thanks", args=[poll.pk]))
    cookie = client.cookies[cookie_name(poll)]
    assert (cookie["httponly"], cookie["samesite"]) == (True, "Lax")
    stored = Response.objects.get()
    # The cookie holds the stored random token, signed: "<token>:<timestamp>:<signature>".
    assert cookie.value.startswith(stored.token + ":") and len(stored.token) == 32
    assert stored.province.iso_code == "IR-23"  # type: ignore[union-attr]
    thanks = page_text(client.get(first["Location"]))
    assert "پاسخ شما به «نظرسنجی آزمایشی» در" in thanks
    second = _post(client, poll, q1="1", q2="1")
    text = page_text(second)
    assert second.status_code == 409
    assert "از این مرورگر در" in text
    assert "همان پاسخ نخست نگه داشته و شمرده شده است؛ این پاسخ تازه شمرده نشد." in text
    assert list(Answer.objects.order_by("question__order").values_list("choice", "clarity", "text")) == [
        (0, None, ""),
        (None, 5, ""),
        (None, None, "روشن بود"),
    ]
    # Showing the poll again says it was answered, and offers no form.
    page = client.get(reverse("reception:poll", args=[poll.pk]))
    assert "هر مرورگر یک بار پاسخ می‌دهد." in page_text(page)
    assert 'data-testid="poll-form"' not in page.content.decode()


def test_a_tampered_cookie_counts_as_none_and_each_valid_cookie_answers_once(hq_analyst: User) -> None:
    poll = make_poll(hq_analyst)
    client = Client()
    _post(client, poll)
    valid = client.cookies[cookie_name(poll)].value
    forged = Client()
    forged.cookies[cookie_name(poll)] = valid[:-2] + ("AA" if not valid.endswith("AA") else "BB")
    assert _post(forged, poll).status_code == 302  # treated as a browser that never answered
    assert forged.cookies[cookie_name(poll)].value != valid  # and given its own, new token
    assert Response.objects.count() == 2
    # The forged client now holds a valid cookie of its own: its next answer is refused.
    assert _post(forged, poll).status_code == 409
    # A copy of the first, valid cookie in another browser is still that first answer.
    copy = Client()
    copy.cookies[cookie_name(poll)] = valid
    assert _post(copy, poll).status_code == 409
    assert Response.objects.count() == 2
    assert Response.objects.filter(token=services.Response.objects.first().token).count() == 1  # type: ignore[union-attr]


def test_unknown_choice_and_overlong_text_are_refused_with_the_text_kept(hq_analyst: User) -> None:
    poll = make_poll(hq_analyst)
    long_text = "نوشته‌ای بلند " * 80  # 1,119 characters once the last space is stripped
    response = _post(Client(), poll, q1="9", q3=long_text)
    assert response.status_code == 400
    text = page_text(response)
    assert UNKNOWN in text
    assert Response.objects.count() == 0
    # The choice error stops the form first; the text is still in the box.
    assert long_text.strip() in text
    response = _post(Client(), poll, q3=long_text)
    assert response.status_code == 400
    assert (
        "پاسخ شما ۱۱۱۹ نویسه دارد و سقف آن ۱۰۰۰ نویسه است. لطفاً کوتاهش کنید: متن "
        "شما در پایین نگه داشته شده و هنوز چیزی شمرده نشده است."
    ) in page_text(response)
    assert long_text.strip() in page_text(response)
    assert len(long_text.strip()) == 1119 > OPEN_ANSWER_LIMIT
    assert Response.objects.count() == 0


def test_a_closed_poll_refuses_and_shows_what_was_written(hq_analyst: User) -> None:
    poll = make_poll(hq_analyst, state=PollState.CLOSED)
    response = _post(Client(), poll, q3="متنی که نباید گم شود")
    text = page_text(response)
    assert response.status_code == 409
    assert (
        "این نظرسنجی بسته شده و پاسخ تازه نمی‌پذیرد. پاسخ شما شمرده نشد؛ "
        "آنچه نوشته بودید در پایین آمده تا بتوانید نگهش دارید."
    ) in text
    assert "متنی که نباید گم شود" in text
    assert "فرستادن پاسخ" not in text
    assert Response.objects.count() == 0


def test_staff_create_open_and_read_results(hq_analyst: User, staff_client: Any) -> None:
    client = staff_client(hq_analyst)
    listing = client.get(reverse("reception:staff-polls"))
    assert "هنوز نظرسنجی‌ای نیست." in page_text(listing)
    assert "پرسش ۱ (الزامی) نوع پرسش ۱ (الزامی)" in page_text(listing)
    assert 'value="clarity" selected' in listing.content.decode()  # question 2 suggests a rating
    data = {
        "title": "فهم افزایش مستمری",
        "target_path": "",
        "target_title": "اطلاعیهٔ افزایش مستمری",
        "q1_text": "افزایش از کی است؟",
        "q1_kind": "choice",
        "q1_choices": "فروردین\nمهر",
        "q1_correct": "۱",
        "q2_text": "",
        "q2_kind": "clarity",
        "q3_text": "",
        "q3_kind": "open",
    }
    created = client.post(reverse("reception:staff-polls"), data)
    poll = Poll.objects.get()
    assert created["Location"] == reverse("reception:staff-poll", args=[poll.pk])
    assert (poll.target_title, poll.questions.get().choices, poll.questions.get().correct) == (
        "اطلاعیهٔ افزایش مستمری",
        ["فروردین", "مهر"],
        0,
    )
    client.post(reverse("reception:staff-poll-state", args=[poll.pk]), {"state": "open"})
    poll.refresh_from_db()
    assert poll.state == PollState.OPEN
    for token, choice, iso in (("a", "0", "IR-23"), ("b", "1", "IR-23"), ("c", "0", "")):
        services.response_submit(poll=poll, token=token, answers={"q1": choice}, province_iso=iso)
    page = page_text(client.get(reverse("reception:staff-poll", args=[poll.pk])))
    assert "وضعیت: باز" in page
    assert "۳ پاسخ" in page
    assert "فروردین: ۲ (درست) مهر: ۱" in page
    # All answers: 2 of 3 correct, Wilson 20.8 % to 93.9 %.
    assert "همهٔ پاسخ‌ها ۳ ۶۷٪ ۲۱٪ تا ۹۴٪" in page
    assert "تهران ۲ ۵۰٪ ۹٪ تا ۹۱٪" in page
    assert "استان گفته نشده ۱ ۱۰۰٪ ۲۱٪ تا ۱۰۰٪" in page


def test_a_bad_new_poll_is_refused_with_the_form_kept(hq_analyst: User, staff_client: Any) -> None:
    client = staff_client(hq_analyst)
    response = client.post(
        reverse("reception:staff-polls"),
        {"title": "بی‌هدف", "q1_text": "پرسش؟", "q1_kind": "open", "q2_kind": "open", "q3_kind": "open"},
    )
    assert response.status_code == 400
    assert "نشانی صفحه یا عنوان اطلاعیه را بنویسید." in page_text(response)
    assert 'value="بی‌هدف"' in response.content.decode()
    assert Poll.objects.count() == 0


def test_staff_scoping_on_pages(
    hq_analyst: User, tehran_officer: User, security_handler: User, staff_client: Any
) -> None:
    poll = make_poll(hq_analyst)
    services.response_submit(poll=poll, token="a", answers={"q1": "0", "q2": "4"}, province_iso="IR-23")
    services.response_submit(poll=poll, token="b", answers={"q1": "1", "q2": "2"}, province_iso="IR-10")
    officer = staff_client(tehran_officer)
    page = officer.get(reverse("reception:staff-poll", args=[poll.pk]))
    text = page_text(page)
    assert "۱ پاسخ · فقط پاسخ‌هایی که استان شما را نام برده‌اند" in text
    assert "اصفهان" not in text
    assert "بستن نظرسنجی" not in text  # officers read, HQ opens and closes
    assert (
        officer.post(reverse("reception:staff-poll-state", args=[poll.pk]), {"state": "closed"}).status_code
        == 403
    )
    assert "نظرسنجی تازه" not in page_text(officer.get(reverse("reception:staff-polls")))
    assert staff_client(security_handler).get(reverse("reception:staff-polls")).status_code == 403
    assert Client().get(reverse("reception:staff-polls")).status_code == 302
