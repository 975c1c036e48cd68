"""HQ's review page (approve, return, comment, correct, rubric level) and appeals (filed by the
province's officer, decided by an HQ evaluator), with the walls around them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from tabyin.core.models import AuditEntry
from tabyin.scorecard.enums import AppealState, PeriodState, SubmissionState, ValueStatus
from tabyin.scorecard.models import Appeal, Correction, Period, ReviewComment, Submission, Value
from tabyin.scorecard.periods import services as services_period
from tests.scorecard.helpers import (
    advance,
    evaluator,
    fa,
    fill_province,
    in_persian,  # noqa: F401 - a fixture
    make_period,
    officer,
    page_text,
    shown,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_persian")]


@pytest.fixture
def submitted(org: None) -> Submission:
    period = make_period()
    return fill_province(period, "IR-23", None, seed=7)


def review_url(submission: Submission) -> str:
    return reverse(
        "scorecard:review", kwargs={"code": submission.period.code, "iso": submission.province.iso_code}
    )


def test_the_review_page_offers_every_action(submitted: Submission, staff_client: Any) -> None:
    response = staff_client(evaluator()).get(review_url(submitted) + "?code=S06")

    html = response.content.decode()
    for form in ("approve-form", "return-form", "comment-form", "rubric-form", "correct-form"):
        assert f'data-testid="{form}"' in html
    assert '<option value="S06" selected>' in html  # the row's link preselects its sub-indicator
    assert 'class="radar"' not in html  # not scored yet
    assert html.count('href="?code=S02#correct"') == 1 and html.count('href="?code=S06#rubric"') == 1


def test_return_with_a_comment_then_approve(submitted: Submission, staff_client: Any) -> None:
    client = staff_client(evaluator())

    empty = client.post(review_url(submitted), {"action": "return", "return-comment": ""})
    returned = client.post(
        review_url(submitted), {"action": "return", "return-comment": "سند S01 امضا ندارد"}
    )

    assert fa("This field is required.") in page_text(empty)
    assert returned.status_code == 302 and returned["Location"] == review_url(submitted) + "#return"
    submitted.refresh_from_db()
    assert submitted.state == SubmissionState.RETURNED
    assert ReviewComment.objects.get(submission=submitted).text == "سند S01 امضا ندارد"
    wrong_state = client.post(review_url(submitted), {"action": "approve", "approve-comment": ""})
    assert fa("This submission cannot go from “%(from)s” to “%(to)s”.") % {
        "from": fa("Returned with comments"),
        "to": fa("Approved"),
    } in page_text(wrong_state)


def test_a_correction_is_a_row_of_its_own_with_its_reason(submitted: Submission, staff_client: Any) -> None:
    client = staff_client(evaluator())
    entered = Value.objects.get(submission=submitted, indicator__code="S02")
    before = (entered.numerator, entered.denominator, entered.value)

    no_reason = client.post(
        review_url(submitted),
        {
            "action": "correct",
            "correct-code": "S02",
            "correct-status": "reported",
            "correct-value": "45",
            "correct-reason": "",
        },
    )
    fraction = client.post(
        review_url(submitted),
        {
            "action": "correct",
            "correct-code": "S02",
            "correct-status": "reported",
            "correct-value": "0.45",
            "correct-reason": "جدول",
        },
    )
    done = client.post(
        review_url(submitted),
        {
            "action": "correct",
            "correct-code": "S02",
            "correct-status": "reported",
            "correct-value": "۴۵",
            "correct-reason": "جدول بودجه",
        },
    )

    assert fa("This field is required.") in page_text(no_reason)
    assert 'name="correct-value" value="0.45"' in fraction.content.decode()  # what was typed is kept
    assert shown(
        fa(
            "%(label)s: %(value)s looks like a fraction. Rates are entered in percent: type %(pct)s for "
            "%(pct)s%%, or enter the numerator and the denominator."
        )
        % {"label": "S02 «زیرشاخص 2»", "value": "0.45", "pct": "45"}
    ) in page_text(fraction)
    assert done.status_code == 302
    correction = Correction.objects.get()
    assert (correction.value_after, correction.reason, correction.status) == (
        Decimal(45),
        "جدول بودجه",
        ValueStatus.REPORTED,
    )
    entered.refresh_from_db()
    assert (entered.numerator, entered.denominator, entered.value) == before  # never a silent edit
    assert AuditEntry.objects.filter(object_type__icontains="correction").count() == 1


def test_a_rubric_level_and_a_comment_on_one_sub_indicator(submitted: Submission, staff_client: Any) -> None:
    client = staff_client(evaluator())

    level = client.post(
        review_url(submitted),
        {"action": "rubric", "rubric-code": "S06", "rubric-level": "4", "rubric-reason": "برنامه کامل"},
    )
    comment = client.post(
        review_url(submitted),
        {"action": "comment", "comment-code": "S03", "comment-text": "پیوند دوم کار نمی‌کند"},
    )

    assert level.status_code == 302 and comment.status_code == 302
    # The reviewers' level is the value itself, not a correction of the province's entry.
    assert not Correction.objects.filter(value__indicator__code="S06").exists()
    level_row = Value.objects.get(submission=submitted, indicator__code="S06")
    assert (level_row.value, level_row.note, level_row.updated_by) == (Decimal(4), "برنامه کامل", evaluator())
    assert ReviewComment.objects.get(indicator__code="S03").text == "پیوند دوم کار نمی‌کند"
    page = page_text(client.get(review_url(submitted)))
    assert "پیوند دوم کار نمی‌کند" in page and "برنامه کامل" in page


def test_officers_cannot_review_any_province(submitted: Submission, staff_client: Any) -> None:
    own = staff_client(officer("IR-23"))
    other = staff_client(officer("IR-04"))
    data = {"action": "approve", "approve-comment": ""}

    assert own.get(review_url(submitted)).status_code == 302  # to their scorecard page
    assert own.post(review_url(submitted), data).status_code == 403
    assert other.get(review_url(submitted)).status_code == 403
    assert (
        other.post(
            review_url(submitted),
            {"action": "correct", "correct-code": "S02", "correct-value": "1", "correct-reason": "x"},
        ).status_code
        == 403
    )
    submitted.refresh_from_db()
    assert submitted.state == SubmissionState.SUBMITTED and not Correction.objects.exists()


def _published(submission: Submission) -> Period:
    return advance(submission.period, PeriodState.PUBLISHED)


def test_an_officer_appeals_and_an_evaluator_decides(submitted: Submission, staff_client: Any) -> None:
    period = _published(submitted)
    officer_client = staff_client(officer("IR-23"))
    appeal_url = reverse("scorecard:appeal", kwargs={"code": period.code, "iso": "IR-23"})

    short = officer_client.post(appeal_url, {"text": "کم"})
    filed = officer_client.post(appeal_url, {"text": "امتیاز S02 با جدول بودجهٔ پیوست نمی‌خواند."})

    assert fa("Explain the grounds of the appeal.") in page_text(short)
    assert filed.status_code == 302
    appeal = Appeal.objects.get()
    decide = reverse("scorecard:appeal-decide", kwargs={"pk": appeal.pk})
    period_page = staff_client(evaluator()).get(reverse("scorecard:period", kwargs={"code": period.code}))
    assert "امتیاز S02 با جدول بودجهٔ پیوست نمی‌خواند." in page_text(period_page)
    assert f'name="appeal{appeal.pk}-decision"' in period_page.content.decode()

    assert (
        officer_client.post(
            decide, {f"appeal{appeal.pk}-accept": "accept", f"appeal{appeal.pk}-decision": "x"}
        ).status_code
        == 403
    )
    response = staff_client(evaluator()).post(
        decide,
        {f"appeal{appeal.pk}-accept": "accept", f"appeal{appeal.pk}-decision": "جدول بررسی شد؛ اصلاح می‌شود."},
    )

    assert response.status_code == 302 and response["Location"].endswith("/staff/scorecard/1404/#appeals")
    appeal.refresh_from_db()
    assert (appeal.state, appeal.decision) == (AppealState.ACCEPTED, "جدول بررسی شد؛ اصلاح می‌شود.")
    twice = staff_client(evaluator()).post(
        decide, {f"appeal{appeal.pk}-accept": "reject", f"appeal{appeal.pk}-decision": "نه"}, follow=True
    )
    assert fa("This appeal has already been decided.") in page_text(twice)


def test_no_appeal_outside_the_window_or_for_another_province(
    submitted: Submission, staff_client: Any
) -> None:
    period = submitted.period
    client = staff_client(officer("IR-23"))
    url = reverse("scorecard:appeal", kwargs={"code": period.code, "iso": "IR-23"})

    early = client.post(url, {"text": "امتیاز S02 با جدول بودجه نمی‌خواند."})
    _published(submitted)
    other = client.post(
        reverse("scorecard:appeal", kwargs={"code": period.code, "iso": "IR-04"}),
        {"text": "امتیاز S02 با جدول بودجه نمی‌خواند."},
    )

    assert fa("Appeals are accepted only while the appeal window is open.") in page_text(early)
    assert other.status_code == 403
    assert not Appeal.objects.exists()


def test_after_publication_corrections_wait_for_an_accepted_appeal(
    submitted: Submission, staff_client: Any
) -> None:
    period = _published(submitted)
    client = staff_client(evaluator())

    closed = client.get(review_url(submitted))
    refused = client.post(
        review_url(submitted),
        {
            "action": "correct",
            "correct-code": "S02",
            "correct-status": "reported",
            "correct-value": "45",
            "correct-reason": "جدول",
        },
    )
    services_period.appeal_file(
        actor=officer("IR-23"), submission=submitted, text="امتیاز S02 با جدول بودجه نمی‌خواند."
    )
    services_period.appeal_decide(
        actor=evaluator(), appeal=Appeal.objects.get(), accept=True, decision="بررسی می‌شود"
    )
    reopened = client.get(review_url(submitted))
    done = client.post(
        review_url(submitted),
        {
            "action": "correct",
            "correct-code": "S02",
            "correct-status": "reported",
            "correct-value": "45",
            "correct-reason": "جدول",
        },
    )

    assert 'data-testid="review-closed"' in closed.content.decode()
    assert 'data-testid="correct-form"' not in closed.content.decode()
    assert fa("This period is not open for review.") in page_text(refused)
    assert 'data-testid="correct-form"' in reopened.content.decode()
    assert done.status_code == 302 and Correction.objects.get().value_after == Decimal(45)
    assert period.state == PeriodState.PUBLISHED
