"""Poll services and selectors: creating and opening (audited, HQ only), answering (once per
token, bad values refused with nothing stored), and the results with exact counts and intervals,
scoped by province."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tabyin.core.models import AuditEntry, User
from tabyin.reception.polls import selectors, services
from tabyin.reception.polls.enums import OPEN_ANSWER_LIMIT, PollState, QuestionKind
from tabyin.reception.polls.models import Answer, Poll, Response
from tabyin.reception.polls.stats import wilson
from tests.reception.polls_helpers import QUESTIONS, make_poll

pytestmark = pytest.mark.django_db
TEHRAN = ZoneInfo("Asia/Tehran")


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=TEHRAN)


def _errors(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def _answer(  # noqa: PLR0917 - a shorthand for the rows of these tests
    poll: Poll, token: str, q1: str, q2: str, q3: str = "", iso: str = "", day: int = 1
) -> Response:
    return services.response_submit(
        poll=poll, token=token, answers={"q1": q1, "q2": q2, "q3": q3}, province_iso=iso, at=_at(day)
    )


def test_create_and_open_are_audited_and_for_hq_only(hq_analyst: User, tehran_officer: User) -> None:
    poll = make_poll(hq_analyst, state=PollState.DRAFT)
    assert [(q.order, q.kind, q.correct) for q in poll.questions.all()] == [
        (1, QuestionKind.CHOICE, 0),
        (2, QuestionKind.CLARITY, None),
        (3, QuestionKind.OPEN, None),
    ]
    services.poll_set_state(actor=hq_analyst, poll=poll, state=PollState.OPEN)
    entries = AuditEntry.objects.filter(object_type="reception.poll", object_id=str(poll.pk)).order_by("pk")
    assert [(e.action, e.after.get("state")) for e in entries] == [("create", "draft"), ("update", "open")]
    with pytest.raises(PermissionDenied):
        services.poll_create(
            actor=tehran_officer, title="x", target_path="/a/", target_title="", questions=QUESTIONS
        )
    with pytest.raises(ValidationError) as error:
        services.poll_set_state(actor=hq_analyst, poll=poll, state=PollState.OPEN)
    assert error.value.messages == ["این نظرسنجی نمی‌تواند به آن وضعیت برود."]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"target_path": "", "target_title": ""}, "target_path", "نشانی صفحه یا عنوان اطلاعیه را بنویسید."),
        ({"target_path": "explanations/3/"}, "target_path", "نشانی صفحه‌ای از همین سایت با «/» آغاز می‌شود."),
        ({"questions": []}, "__all__", "هر نظرسنجی یک تا سه پرسش دارد."),
        ({"questions": QUESTIONS + QUESTIONS[:1]}, "__all__", "هر نظرسنجی یک تا سه پرسش دارد."),
        (
            {"questions": [services.QuestionSpec(kind="choice", text="؟", choices=["الف", "ب"], correct=2)]},
            "q1_correct",
            "بگویید کدام گزینه درست است.",
        ),
        (
            {"questions": [services.QuestionSpec(kind="choice", text="؟", choices=["الف"], correct=0)]},
            "q1_choices",
            "دو تا شش گزینه بنویسید، هر کدام در یک سطر.",
        ),
    ],
)
def test_create_refuses_bad_polls(
    hq_analyst: User, changes: dict[str, Any], field: str, message: str
) -> None:
    params: dict[str, Any] = {"title": "t", "target_path": "/a/", "target_title": "", "questions": QUESTIONS}
    with pytest.raises(ValidationError) as error:
        services.poll_create(actor=hq_analyst, **(params | changes))
    assert _errors(error.value) == {field: [message]}
    assert Poll.objects.count() == 0


def test_one_answer_per_token(hq_analyst: User) -> None:
    poll = make_poll(hq_analyst)
    first = _answer(poll, "tok-a", "0", "5", "نمودار روشن نبود", iso="IR-23")
    with pytest.raises(services.AlreadyAnsweredError) as refusal:
        _answer(poll, "tok-a", "1", "1")
    assert refusal.value.kept == first
    assert list(
        Answer.objects.filter(response=first)
        .order_by("question__order")
        .values_list("choice", "clarity", "text")
    ) == [
        (0, None, ""),
        (None, 5, ""),
        (None, None, "نمودار روشن نبود"),
    ]
    assert Response.objects.count() == 1
    assert (first.province.iso_code, first.day) == ("IR-23", date(2026, 12, 1))  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("answers", "province", "errors"),
    [
        (
            {"q1": "7", "q2": "3"},
            "",
            {"q1": ["این پاسخ از گزینه‌های این پرسش نیست؛ یکی از گزینه‌ها را برگزینید."]},
        ),
        (
            {"q1": "0", "q2": "6"},
            "",
            {"q2": ["این پاسخ از گزینه‌های این پرسش نیست؛ یکی از گزینه‌ها را برگزینید."]},
        ),
        ({"q1": "", "q2": "3"}, "", {"q1": ["برای این پرسش یک پاسخ برگزینید."]}),
        ({"q1": "0", "q2": "3"}, "IR-99", {"province": ["استانی را از فهرست برگزینید، یا هیچ‌کدام را."]}),
        (
            {"q1": "0", "q2": "3", "q3": "ب" * (OPEN_ANSWER_LIMIT + 1)},
            "",
            {
                "q3": [
                    (
                        "پاسخ شما 1001 نویسه دارد و سقف آن 1000 نویسه است. لطفاً کوتاهش کنید: متن "
                        "شما در پایین نگه داشته شده و هنوز چیزی شمرده نشده است."
                    )
                ]
            },
        ),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(
    hq_analyst: User, in_persian: None, answers: dict[str, str], province: str, errors: dict[str, list[str]]
) -> None:
    poll = make_poll(hq_analyst)
    with pytest.raises(ValidationError) as error:
        services.response_submit(poll=poll, token="t", answers=answers, province_iso=province)
    assert error.value.message_dict == errors
    assert Response.objects.count() == Answer.objects.count() == 0


def test_an_answer_at_the_limit_is_kept_whole(hq_analyst: User) -> None:
    poll = make_poll(hq_analyst)
    text = "پ" * OPEN_ANSWER_LIMIT
    response = _answer(poll, "t", "0", "4", text)
    assert Answer.objects.get(response=response, question__order=3).text == text


@pytest.mark.parametrize("state", [PollState.DRAFT, PollState.CLOSED])
def test_a_poll_that_is_not_open_takes_no_answer(hq_analyst: User, state: str) -> None:
    poll = make_poll(hq_analyst, state=state)
    with pytest.raises(services.PollNotOpenError):
        _answer(poll, "t", "0", "4")
    assert Response.objects.count() == 0


def _fill(poll: Poll) -> None:
    # Tehran: 3 answers (2 correct; clarity 5, 4, 2), Isfahan (IR-10): 2 (1 correct; 3, 3),
    # no province: 1 (correct; 5). Days: 1 December 4 answers, 2 December 2.
    rows = [
        ("a", "0", "5", "نمودار فروردین را نفهمیدم", "IR-23", 1),
        ("b", "0", "4", "", "IR-23", 1),
        ("c", "2", "2", "جهش نمودار فروردین گیج‌کننده بود", "IR-23", 2),
        ("d", "0", "3", "درصد افزایش مستمری را بنویسید", "IR-10", 1),
        ("e", "1", "3", "", "IR-10", 2),
        ("f", "0", "5", "", "", 1),
    ]
    for token, q1, q2, q3, iso, day in rows:
        _answer(poll, token, q1, q2, q3, iso=iso, day=day)


def test_results_exact_for_hq(hq_analyst: User, django_assert_max_num_queries: Any) -> None:
    poll = make_poll(hq_analyst)
    _fill(poll)
    with django_assert_max_num_queries(5):
        results = selectors.poll_results(user=hq_analyst, poll=poll, no_province="بی‌استان")
    assert results.responses == 6
    choice, clarity, open_ = results.questions
    assert (choice.overall.n, choice.overall.hits, choice.overall.choice_counts) == (6, 4, [4, 1, 1])
    assert choice.overall.interval == wilson(4, 6)
    assert choice.overall.interval.low == pytest.approx(0.299993315138392, abs=1e-12)  # type: ignore[union-attr]
    assert choice.overall.interval.high == pytest.approx(0.9032285888942195, abs=1e-12)  # type: ignore[union-attr]
    assert [(name, c.n, c.hits) for name, c in choice.by_province] == [
        ("تهران", 3, 2),
        ("اصفهان", 2, 1),
        ("بی‌استان", 1, 1),
    ]
    assert [(day, c.n, c.hits) for day, c in choice.by_day] == [
        (date(2026, 12, 1), 4, 4),
        (date(2026, 12, 2), 2, 0),
    ]
    assert (clarity.overall.n, clarity.overall.mean, clarity.overall.hits) == (6, 22 / 6, 3)
    assert [(name, c.mean) for name, c in clarity.by_province] == [
        ("تهران", 11 / 3),
        ("اصفهان", 3.0),
        ("بی‌استان", 5.0),
    ]
    assert open_.open_texts == 3
    assert [t.answers for t in open_.themes] == [
        ["نمودار فروردین را نفهمیدم", "جهش نمودار فروردین گیج‌کننده بود"],
        ["درصد افزایش مستمری را بنویسید"],
    ]


def test_a_provincial_officer_sees_only_answers_from_the_province(
    hq_analyst: User, tehran_officer: User
) -> None:
    poll = make_poll(hq_analyst)
    _fill(poll)
    results = selectors.poll_results(user=tehran_officer, poll=poll, no_province="بی‌استان")
    assert (results.responses, results.national) == (3, False)
    choice = results.questions[0]
    assert (choice.overall.n, choice.overall.hits) == (3, 2)
    assert [name for name, _c in choice.by_province] == ["تهران"]
    assert results.questions[2].open_texts == 2


def test_people_without_a_reception_role_see_nothing(hq_analyst: User, security_handler: User) -> None:
    poll = make_poll(hq_analyst)
    with pytest.raises(PermissionDenied):
        selectors.polls_for(user=security_handler)
    with pytest.raises(PermissionDenied):
        selectors.poll_results(user=security_handler, poll=poll, no_province="-")
