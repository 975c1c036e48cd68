"""A province's scorecard page: values as entered and as used after HQ's corrections (with their
reasons), normalized scores, main scores with their change, evidence, reviewers' comments, the
result and its flags in words, the radar chart — for those who may see it, in a constant number of
queries, in Persian and in English."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tabyin.scorecard.enums import PeriodState
from tabyin.scorecard.models import Period, ProvinceResult
from tabyin.scorecard.review import services as services_review
from tests.scorecard.helpers import (
    advance,
    digits,
    evaluator,
    fa,
    fill_province,
    in_persian,  # noqa: F401 - a fixture
    make_period,
    officer,
    page_text,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_persian")]


def province_url(period: Period, iso: str = "IR-23") -> str:
    return reverse("scorecard:province", kwargs={"code": period.code, "iso": iso})


def row(text: str, start: str, end: str) -> str:
    """The text between two markers (one table row, as read)."""
    return text.split(start, 1)[1].split(end, 1)[0].strip()


def test_the_province_scorecard(org: None, staff_client: Any) -> None:
    period = make_period()
    submission = fill_province(period, "IR-23", None, seed=4)
    boss = evaluator()
    services_review.value_correct(
        actor=boss,
        submission=submission,
        code="S02",
        raw={"value": "45"},
        reason="جدول بودجه ۴۵٪ را نشان می‌دهد",
    )
    services_review.value_correct(
        actor=boss, submission=submission, code="S06", raw={"value": "4"}, reason="برنامه کامل و مصوب"
    )
    services_review.comment_add(actor=boss, submission=submission, text="پیوندها بررسی شد", code="S03")
    services_review.comment_add(actor=boss, submission=submission, text="کار منظم و مستند")
    advance(period, PeriodState.PUBLISHED)
    result = ProvinceResult.objects.get(run__period=period, run__is_current=True, province__iso_code="IR-23")

    response = staff_client(boss).get(province_url(period))

    html, text = response.content.decode(), page_text(response)
    assert response.status_code == 200
    assert fa("Scorecard of %(name)s, period %(code)s", name="تهران", code="۱۴۰۴") in text
    total = f"{result.total:.2f}".replace(".", "٫").translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert row(text, fa("Total score"), fa("Band")) == total
    assert row(text, fa("National rank"), fa("Rank in peer group")) == str(result.rank).translate(
        str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    )
    s02 = row(text, "S02 زیرشاخص 2", "M02")
    value = submission.values.get(indicator__code="S02")
    assert s02.startswith(
        fa(
            "%(num)s of %(den)s (%(pct)s)",
            num=_fa(value.numerator),
            den=_fa(value.denominator),
            pct=_fa(value.value.quantize(Decimal("0.01")), 2) + "٪",
        )
    )  # type: ignore[union-attr]
    assert "۴۵٪ " + fa("corrected by HQ") in s02
    assert "۴۵٪ — جدول بودجه ۴۵٪ را نشان می‌دهد" in s02
    assert digits(fa("level %(n)s of 5", n="4")) + " " + fa("corrected by HQ") in text
    assert "پیوندها بررسی شد" in row(text, "S03 زیرشاخص 3", "S04")
    assert "کار منظم و مستند" in row(text, fa("Reviewers' comments"), fa("Sub-indicators"))
    # S07 is computed from a platform metric that has no data here: left out, not scored 0.
    assert fa("%s: not reported, so it scores 0.") % "S07 «زیرشاخص 7»" not in text
    assert 'class="radar"' in html and 'role="img"' in html and html.count("<polygon") == 5
    assert reverse("scorecard:evidence-download", kwargs={"pk": submission.evidence.first().pk}) in html  # type: ignore[union-attr]


def _fa(number: Decimal | None, places: int | None = None) -> str:
    text = f"{number.normalize():f}" if places is None else f"{number:.{places}f}"  # type: ignore[union-attr]
    return text.replace(".", "٫").translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def test_an_officer_sees_their_own_scorecard_only(org: None, staff_client: Any) -> None:
    period = make_period()
    fill_province(period, "IR-23", None, seed=4)
    client = staff_client(officer("IR-23"))

    own = client.get(province_url(period))

    assert own.status_code == 200
    assert fa("Results are shown here once they are published.") in page_text(own)
    assert client.get(province_url(period, "IR-04")).status_code == 403
    assert (
        client.get(
            reverse("scorecard:province-pdf", kwargs={"code": period.code, "iso": "IR-04"})
        ).status_code
        == 403
    )


def test_the_province_page_makes_the_same_number_of_queries_however_much_it_holds(
    org: None, staff_client: Any
) -> None:
    period = make_period()
    quiet = fill_province(period, "IR-01", None, seed=1)
    busy = fill_province(period, "IR-23", None, seed=2)
    boss = evaluator()
    for code in ("S02", "S03", "S04", "S05"):
        services_review.value_correct(
            actor=boss, submission=busy, code=code, raw={"value": "7"}, reason="اصلاح"
        )
        services_review.comment_add(actor=boss, submission=busy, text="یادداشت", code=code)
    advance(period, PeriodState.PUBLISHED)
    client = staff_client(boss)
    client.get(province_url(period, "IR-01"))

    with CaptureQueriesContext(connection) as few:
        client.get(province_url(period, quiet.province.iso_code))
    with CaptureQueriesContext(connection) as many:
        client.get(province_url(period, "IR-23"))

    assert len(few) == len(many)


def test_the_scorecard_in_english_has_english_names_and_latin_digits(org: None, staff_client: Any) -> None:
    period = make_period()
    fill_province(period, "IR-23", None, seed=4)
    advance(period, PeriodState.PUBLISHED)
    with translation.override("en"):  # also undoes the language the request activates
        url = province_url(period)
        response = staff_client(evaluator()).get(url)

    text = page_text(response)
    assert url.startswith("/en/")
    assert "Scorecard of Tehran, period 1404" in text
    assert "M01 PR planning and strategic management" in text
    assert "۱" not in text.split("Main indicators", 1)[1]
    assert 'lang="en" dir="ltr"' in response.content.decode()
