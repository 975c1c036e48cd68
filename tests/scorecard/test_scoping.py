"""Who may do what: a provincial officer writes and reads only their own province (every entry,
evidence, review and appeal service, and the selectors); results are HQ's alone before
publication; only an HQ evaluator reviews: an HQ administrator or analyst without that role may not.
Every refusal is PermissionDenied and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from tabyin.core.enums import Role
from tabyin.core.models import AuditEntry, User
from tabyin.core.services import membership_grant
from tabyin.scorecard import selectors
from tabyin.scorecard.entry import services as entry
from tabyin.scorecard.models import (
    Appeal,
    Correction,
    Evidence,
    Period,
    ReviewComment,
    ScoreRun,
    Submission,
    Value,
)
from tabyin.scorecard.periods import services as cycle
from tabyin.scorecard.review import services as review
from tests import factories
from tests.scorecard.helpers import PDF, advance, evaluator, fill_province, make_period, officer


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def state() -> tuple[Any, ...]:
    """Everything a refused call could have changed."""
    return (
        list(Value.objects.order_by("pk").values_list("pk", "status", "value")),
        list(Submission.objects.order_by("pk").values_list("pk", "state", "covered_population", "pr_staff")),
        list(Evidence.objects.order_by("pk").values_list("pk", "file")),
        ReviewComment.objects.count(),
        Correction.objects.count(),
        Appeal.objects.count(),
        list(Period.objects.values_list("pk", "state")),
        ScoreRun.objects.count(),
        AuditEntry.objects.count(),
    )


def refused(call: Callable[[], object]) -> None:
    before = state()
    with pytest.raises(PermissionDenied):
        call()
    assert state() == before


@pytest.fixture
def period(org: None) -> Period:
    """1404 open: Isfahan has entered a value, its denominators and one evidence file."""
    period = make_period("1404")
    isfahan, who = Submission.objects.get(period=period, province__code="ir-10"), officer("IR-10")
    entry.denominators_save(actor=who, submission=isfahan, covered_population="5000000", pr_staff="6")
    entry.values_save(actor=who, submission=isfahan, rows={"S02": {"value": "70"}})
    entry.evidence_add(actor=who, submission=isfahan, code="S01", upload=SimpleUploadedFile("a.pdf", PDF))
    review.comment_add(actor=evaluator(), submission=isfahan, text="سند اصفهان", code="S01")
    return period


def subs(period: Period) -> tuple[Submission, Submission]:
    found = {
        s.province.code: s
        for s in Submission.objects.filter(period=period).select_related("province", "period")
    }
    return found["ir-23"], found["ir-10"]


ENTRY_CALLS: dict[str, Callable[[User, Submission, Submission], object]] = {
    "values_save": lambda u, own, other: entry.values_save(
        actor=u, submission=other, rows={"S02": {"value": "1"}}
    ),
    "denominators_save": lambda u, own, other: entry.denominators_save(
        actor=u, submission=other, covered_population="1", pr_staff="1"
    ),
    "evidence_add": lambda u, own, other: entry.evidence_add(
        actor=u, submission=other, code="S01", upload=SimpleUploadedFile("b.pdf", PDF)
    ),
    "evidence_remove": lambda u, own, other: entry.evidence_remove(actor=u, evidence=other.evidence.get()),
    "submission_submit": lambda u, own, other: entry.submission_submit(actor=u, submission=other),
    "submission_for": lambda u, own, other: selectors.submission_for(u, other.period, other.province),
    "province_card": lambda u, own, other: selectors.province_card(u, other.period, other.province),
    # Reviewing is HQ's, even for the officer's own province.
    "comment_add": lambda u, own, other: review.comment_add(actor=u, submission=own, text="x"),
    "submission_return": lambda u, own, other: review.submission_return(
        actor=u, submission=other, comment="x"
    ),
    "submission_approve": lambda u, own, other: review.submission_approve(actor=u, submission=other),
    "value_correct": lambda u, own, other: review.value_correct(
        actor=u, submission=own, code="S02", raw={"value": "99"}, reason="x"
    ),
    "period_freeze": lambda u, own, other: cycle.period_freeze(actor=u, period=own.period, draws=0),
    "period_create": lambda u, own, other: cycle.period_create(
        actor=u, code="1405", framework=own.period.framework
    ),
    "ranking": lambda u, own, other: selectors.ranking(u, own.period),
    "export_period": lambda u, own, other: selectors.export_period(own.period),
}


@pytest.mark.parametrize("name", ENTRY_CALLS)
def test_a_provincial_officer_never_reaches_another_province(
    tehran_officer: User, period: Period, name: str
) -> None:
    tehran, isfahan = subs(period)
    refused(lambda: ENTRY_CALLS[name](tehran_officer, tehran, isfahan))


def test_an_officer_sees_their_own_province_without_results_before_publication(
    tehran_officer: User, hq_analyst: User, period: Period
) -> None:
    tehran, isfahan = subs(period)
    fill_province(period, "IR-23", tehran_officer, seed=2)
    review.comment_add(actor=evaluator(), submission=tehran, text="برای تهران", code="S02")
    cycle.period_freeze(actor=None, period=period, draws=0)
    card = selectors.province_card(tehran_officer, period, tehran.province)
    assert (card.submission.pk, card.results_visible, card.result, card.previous_result) == (
        tehran.pk,
        False,
        None,
        None,
    )
    rows = {s.indicator.code: s for m in card.mains for s in m.subs}
    assert [c.text for c in rows["S02"].comments] == ["برای تهران"]
    assert rows["S01"].comments == []  # Isfahan's comment on S01 is not here
    assert {e.submission_id for r in rows.values() for e in r.evidence} == {tehran.pk}
    assert all(r.score is None for r in rows.values()) and all(m.score is None for m in card.mains)
    assert [r.submission.province.code for r in selectors.progress(tehran_officer, period)] == ["ir-23"]
    assert len(selectors.progress(hq_analyst, period)) == 31
    # HQ viewers see the results before publication; the officer and the public do not.
    assert len(selectors.ranking(hq_analyst, period)) == 31
    assert selectors.province_card(hq_analyst, period, isfahan.province).result is not None
    refused(lambda: selectors.ranking(tehran_officer, period))
    refused(lambda: selectors.ranking(None, period))

    period.refresh_from_db()
    advance(period, "published")
    assert len(selectors.ranking(tehran_officer, period)) == len(selectors.ranking(None, period)) == 31
    card = selectors.province_card(tehran_officer, period, tehran.province)
    assert card.results_visible and card.result is not None and card.result.province_id == tehran.province_id
    refused(lambda: selectors.province_card(tehran_officer, period, isfahan.province))


def test_appeals_are_the_provinces_own_and_hqs_to_decide(org: None) -> None:
    period = make_period("1404")
    fill_province(period, "IR-10", officer("IR-10"), seed=1)
    advance(period, "published")
    _, isfahan = subs(period)
    tehran_officer = officer("IR-23")
    refused(lambda: cycle.appeal_file(actor=tehran_officer, submission=isfahan, text="اعتراض به نمره اصفهان"))
    appeal = cycle.appeal_file(actor=officer("IR-10"), submission=isfahan, text="اعتراض به نمره S02 ما")
    refused(lambda: cycle.appeal_decide(actor=tehran_officer, appeal=appeal, accept=True, decision="پذیرفته"))
    refused(
        lambda: cycle.appeal_decide(actor=officer("IR-10"), appeal=appeal, accept=True, decision="پذیرفته")
    )
    refused(lambda: cycle.period_finalize(actor=tehran_officer, period=period))


HQ_ONLY: dict[str, Callable[[User, Submission], object]] = {
    "comment_add": lambda u, s: review.comment_add(actor=u, submission=s, text="x"),
    "submission_return": lambda u, s: review.submission_return(actor=u, submission=s, comment="x"),
    "submission_approve": lambda u, s: review.submission_approve(actor=u, submission=s),
    "value_correct": lambda u, s: review.value_correct(
        actor=u, submission=s, code="S06", raw={"value": "3"}, reason="x"
    ),
    "period_freeze": lambda u, s: cycle.period_freeze(actor=u, period=s.period, draws=0),
}


@pytest.mark.parametrize("name", HQ_ONLY)
@pytest.mark.parametrize("who", ["hq_admin", "hq_analyst"])
def test_only_an_hq_evaluator_reviews(
    request: pytest.FixtureRequest, period: Period, who: str, name: str
) -> None:
    user = request.getfixturevalue(who)
    tehran = fill_province(period, "IR-23", officer("IR-23"), seed=1)
    refused(lambda: HQ_ONLY[name](user, tehran))
    HQ_ONLY[name](evaluator(), tehran)  # the same call by an HQ evaluator goes through


def test_an_evaluator_decides_an_appeal_an_administrator_does_not(hq_admin: User) -> None:
    period = make_period("1404")
    advance(period, "published")
    _, isfahan = subs(period)
    appeal = cycle.appeal_file(actor=officer("IR-10"), submission=isfahan, text="اعتراض به نمره S02 ما")
    refused(lambda: cycle.appeal_decide(actor=hq_admin, appeal=appeal, accept=True, decision="پذیرفته"))
    assert (
        cycle.appeal_decide(actor=evaluator(), appeal=appeal, accept=True, decision="پذیرفته").state
        == "accepted"
    )


def test_a_role_elsewhere_does_not_extend_the_officers_province(tehran_officer: User, period: Period) -> None:
    membership_grant(actor=None, user=tehran_officer, unit=factories.unit("ir-10"), role=Role.ANALYST)
    user = User.objects.get(pk=tehran_officer.pk)  # a fresh scope
    _, isfahan = subs(period)
    refused(lambda: entry.values_save(actor=user, submission=isfahan, rows={"S02": {"value": "1"}}))


def test_a_provincial_evaluator_role_does_not_make_an_hq_administrator_a_reviewer(
    hq_admin: User, period: Period
) -> None:
    membership_grant(actor=None, user=hq_admin, unit=factories.unit("ir-23"), role=Role.EVALUATOR)
    user = User.objects.get(pk=hq_admin.pk)
    tehran = fill_province(period, "IR-23", officer("IR-23"), seed=1)
    refused(lambda: review.submission_approve(actor=user, submission=tehran))


def test_an_unpublished_earlier_period_does_not_leak_through_rank_changes(
    tehran_officer: User, org: None
) -> None:
    earlier = make_period("1403-Q4")
    fill_province(earlier, "IR-23", tehran_officer, seed=1)
    advance(earlier, "frozen")
    later = make_period("1404-Q1")
    advance(later, "published")
    assert {row.previous_rank for row in selectors.ranking(None, later)} == {None}
    tehran = factories.unit("ir-23")
    assert selectors.province_card(tehran_officer, later, tehran).previous_result is None


def test_progress_counts_only_what_the_province_entered(tehran_officer: User, period: Period) -> None:
    tehran, _ = subs(period)
    entry.values_save(actor=tehran_officer, submission=tehran, rows={"S02": {"value": "40"}})
    review.value_correct(
        actor=evaluator(), submission=tehran, code="S06", raw={"value": "3"}, reason="از سند"
    )
    (row,) = selectors.progress(tehran_officer, period)
    assert (row.entered, row.required) == (1, 30)  # 32 sub-indicators less the rubric and the computed
