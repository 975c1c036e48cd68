"""The plain-language page (/staff/reception/plain-language/): any signed-in staff member pastes a
text and reads the score, the marked text and the fixes, in Persian; bad input keeps the text."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tabyin.core.models import User
from tests.conftest import verified_client

URL = "/staff/reception/plain-language/"
TEXT = "درخواست شما مورد بررسی قرار گرفت. ثبت‌نام الزامی است و مبلغ ۲۰ واریز شد."


def main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def texts(html: str, testid: str) -> list[str]:
    """The text of each <li> (tags removed) inside the element with that data-testid."""
    block = re.search(rf'data-testid="{testid}">(.*?)</(?:ol|ul)>', html, re.S)
    assert block is not None
    return [
        re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li[^>]*>(.*?)</li>", block.group(1), re.S)
    ]


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_log_in() -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/staff/login/?next=%2Fstaff%2Freception%2Fplain-language%2F"


def test_any_staff_member_sees_the_empty_form_in_persian(tehran_officer: User) -> None:
    html = main(verified_client(tehran_officer).get(URL).content.decode())
    assert "<h1>بررسی زبان ساده</h1>" in html
    assert '<label for="id_text">متن برای بررسی</label>' in html
    assert "حداکثر ۵۰٬۰۰۰ نویسه (حدود ۲۵ صفحه)." in html
    assert 'data-testid="summary"' not in html


def test_a_text_gets_its_score_marks_and_fixes(hq_analyst: User) -> None:
    response = verified_client(hq_analyst).post(URL, {"text": TEXT})
    assert response.status_code == 200
    html = main(response.content.decode())
    # 14 words in 2 sentences; 24 syllables counted in the 13 Persian words (by hand 25: «مورد»
    # mo-red is read as one): 262.835 - 0.846 * 2400 / 13 - 1.015 * 7 = 99.5
    assert re.search(r'data-testid="score">([^<]+)<', html).group(1) == "۹۹٫۵"  # type: ignore[union-attr]
    assert re.search(r'data-testid="band">([^<]+)<', html).group(1) == "آسان‌خوان"  # type: ignore[union-attr]
    assert re.search(r'data-testid="words">([^<]+)<', html).group(1) == "۱۴"  # type: ignore[union-attr]
    assert re.search(r'data-testid="sentences">([^<]+)<', html).group(1) == "۲"  # type: ignore[union-attr]
    marked = re.search(r'data-testid="marked">(.*?)</div>', html, re.S).group(1)  # type: ignore[union-attr]
    assert marked == (
        'درخواست شما <mark class="pl-nominal" id="m1">مورد بررسی قرار گرفت</mark>'
        '<a class="pl-tag" href="#f1">[۱: کار پنهان در اسم]</a>. ثبت‌نام '
        '<mark class="pl-jargon" id="m2">الزامی است</mark><a class="pl-tag" href="#f2">[۲: واژهٔ اداری]</a>'
        ' و مبلغ <mark class="pl-number" id="m3">۲۰</mark>'
        '<a class="pl-tag" href="#f3">[۳: عدد بی‌واحد]</a> واریز شد.'
    )
    assert texts(html, "findings") == [
        "کار پنهان در اسم مورد بررسی قرار گرفت ← [چه کسی] بررسی کرد",
        "واژهٔ اداری الزامی است ← باید«ثبت‌نام الزامی است» ← «باید ثبت‌نام کنید»: بگویید چه کسی باید کاری کند.",
        "عدد بی‌واحد ۲۰ ← ریال، تومان، نفر، روز، درصد…",
    ]
    assert texts(html, "longest") == [
        "۸ واژه ثبت‌نام الزامی است و مبلغ ۲۰ واریز شد.",
        "۶ واژه درخواست شما مورد بررسی قرار گرفت.",
    ]
    # the text stays in the box for editing
    assert f">\n{TEXT}</textarea>" in html


def test_a_plain_text_says_there_is_nothing_to_fix(hq_analyst: User) -> None:
    html = main(
        verified_client(hq_analyst).post(URL, {"text": "سازمان مستمری شما را واریز کرد."}).content.decode()
    )
    assert '<p data-testid="no-findings">چیزی برای اصلاح نیست: در این متن یافته‌ای نبود.</p>' in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "متنی را که می‌خواهید بررسی شود در کادر بگذارید: کادر خالی است."),
        (
            "Only English text here.",
            "این ابزار متن فارسی را بررسی می‌کند؛ این متن واژهٔ فارسی ندارد یا بیشترش به حروف لاتین است.",
        ),
    ],
)
def test_bad_input_gets_a_persian_message(hq_analyst: User, text: str, message: str) -> None:
    html = main(verified_client(hq_analyst).post(URL, {"text": text}).content.decode())
    assert texts(
        html.replace(
            '<ul class="errorlist" id="id_text_error" data-testid="errors-text">',
            '<ul data-testid="errors-text">',
        ),
        "errors-text",
    ) == [message]
    assert f">\n{text}</textarea>" in html
    assert 'data-testid="summary"' not in html


def test_a_200_page_text_is_refused_with_the_limit_named_and_kept_whole(hq_analyst: User) -> None:
    page = (
        "مستمری بازنشستگان در پایان هر ماه به حساب آنان واریز می‌شود. " * 30
    )  # 1,830 characters, about a page
    text = page * 200
    assert len(text) == 366_000
    response = verified_client(hq_analyst).post(URL, {"text": text})
    html = main(response.content.decode())
    assert (
        "متن ۳۶۶٬۰۰۰ نویسه دارد؛ این ابزار حداکثر ۵۰٬۰۰۰ نویسه (حدود ۲۵ صفحه) را بررسی می‌کند. "
        "متن را بخش‌بخش بررسی کنید: متن شما هنوز در کادر است." in html
    )
    assert f">\n{text}</textarea>" in html
