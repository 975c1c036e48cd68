"""`tabyin demo` for the scorecard: on an empty database (the organization only) it runs two
evaluation cycles through the real services and tells its story — one late province, one
correction, unstable ranks, rank changes; loading again changes nothing; and loading afresh gives
the same results. One test, because each load takes seconds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from tabyin.core.models import AuditEntry, User
from tabyin.scorecard import demo, demo_data, selectors
from tabyin.scorecard.entry import selectors as selectors_entry
from tabyin.scorecard.enums import AppealState, PeriodState, SubmissionState, ValueStatus
from tabyin.scorecard.models import (
    Appeal,
    Correction,
    Evidence,
    IndicatorScore,
    Period,
    ProvinceResult,
    ScoreRun,
    Submission,
    Value,
)

# Two cycles and an open period, loaded twice; on a busy 2-core machine that can take minutes.
pytestmark = [pytest.mark.django_db, pytest.mark.timeout(480)]

SUMMARY = (
    "framework sso-pr v1 installed; periods: 1403 final, 1404 published, 1405 open (Tehran: 14 values "
    "entered); 93 submissions, "
    "{evidence} evidence files, 1 correction, {levels} rubric levels; officers: 31 accounts created"
)
REAL_NOW = timezone.now


def _results(code: str) -> list[tuple[str, Decimal | None, int | None, int | None, int | None]]:
    rows = ProvinceResult.objects.filter(run__period__code=code, run__is_current=True)
    return list(
        rows.order_by("province__iso_code").values_list(
            "province__iso_code", "total", "rank", "rank_low", "rank_high"
        )
    )


def _counts() -> dict[str, int]:
    models = (
        Period,
        Submission,
        Value,
        Correction,
        Evidence,
        IndicatorScore,
        Appeal,
        ScoreRun,
        ProvinceResult,
        User,
        AuditEntry,
    )
    return {m.__name__: m.objects.count() for m in models}


def test_the_demo_tells_its_story_and_is_idempotent_and_deterministic(org: None) -> None:
    summary = demo.load()

    evidence, levels = (
        Evidence.objects.count(),
        Value.objects.filter(
            indicator__kind="rubric", status="reported", updated_by__username="hq.evaluator"
        ).count(),
    )
    assert summary == SUMMARY.format(evidence=evidence, levels=levels)
    assert timezone.now is REAL_NOW  # the demo's clock is put back
    p1403, p1404 = Period.objects.get(code="1403"), Period.objects.get(code="1404")
    assert (p1403.state, p1404.state) == (PeriodState.FINAL, PeriodState.PUBLISHED)
    now = timezone.now()
    assert p1404.appeal_until is not None and p1404.published_at is not None
    assert p1404.published_at < now < p1404.appeal_until  # published, appeal window open
    assert p1403.finalized_at is not None and p1403.finalized_at < p1404.opened_at  # type: ignore[operator]
    for period in (p1403, p1404):
        submissions = period.submissions.all()
        assert submissions.count() == 31
        assert set(submissions.values_list("state", flat=True)) == {SubmissionState.APPROVED}
        assert ScoreRun.objects.filter(period=period).count() == 1
        assert ProvinceResult.objects.filter(run__period=period).count() == 31
    # One late province, in 1404, through the deadline check of submission_submit.
    late = Submission.objects.filter(late=True)
    assert [(s.period.code, s.province.iso_code) for s in late] == [demo_data.LATE]
    assert late[0].submitted_at.date() > p1404.entry_deadline  # type: ignore[union-attr,operator]
    # One correction (besides the rubric levels), with its reason in Persian and the count fixed.
    fixes = Correction.objects.exclude(value__indicator__kind="rubric").select_related("value__indicator")
    assert len(fixes) == 1
    fix = fixes[0]
    assert (
        fix.value.submission.period.code,
        fix.value.submission.province.iso_code,
        fix.value.indicator.code,
    ) == (demo_data.CORRECTED)
    assert fix.reason.startswith("پوشش رسانه‌ای با حذف")
    assert fix.value_after is not None and fix.value.value is not None
    assert fix.value_after < fix.value.value
    # Some sub-indicators not applicable and a couple not reported, in each period (S26 and S32
    # are computed by the platform, from the portal's explanations and reception's meetings, and
    # not counted here).
    for code in demo_data.PERIODS:
        scores = IndicatorScore.objects.filter(result__run__period__code=code)
        # No face-to-face meeting was recorded in 1403 or 1404 (the platform's meetings start with
        # it), so S32 is not applicable to anybody and the other weights of M09 are renormalized.
        s32 = list(scores.filter(indicator__code="S32").values_list("status", flat=True))
        assert s32 == [ValueStatus.NOT_APPLICABLE] * 31
        statuses = list(scores.exclude(indicator__code__in=("S26", "S32")).values_list("status", flat=True))
        assert statuses.count(ValueStatus.NOT_REPORTED) == 2
        crisis = 2 * (31 - demo_data.INCIDENTS)  # S21 and S22 where no incident happened
        assert statuses.count(ValueStatus.NOT_APPLICABLE) == crisis + len(demo_data.NO_REQUESTS[code])
    # 1403's appeal was decided (rejected, with reasons) before the period became final.
    appeal = Appeal.objects.get()
    assert (appeal.submission.period.code, appeal.submission.province.iso_code) == demo_data.APPEAL
    assert appeal.state == AppealState.REJECTED and appeal.decision
    # What the demo is for: rankings, rank changes and unstable ranks are visible.
    ranking = selectors.ranking(None, p1404)
    assert [r.result.rank for r in ranking] == list(range(1, 32))
    assert sum(1 for r in ranking if r.rank_change) >= 10
    assert [r.province.iso_code for r in ranking if r.late] == [demo_data.LATE[1]]
    for code in demo_data.PERIODS:
        assert ProvinceResult.objects.filter(run__period__code=code, stable=False).exists()
    # Every entry was made by the province's own officer (rubric levels are the reviewers').
    entered = Value.objects.exclude(indicator__kind="rubric")
    officers = set(entered.values_list("submission__province_id", "updated_by__memberships__unit_id"))
    assert len(officers) == 31
    assert all(province == unit for province, unit in officers)

    # A period open for entry, with part of Tehran's data entered by its officer (the persona
    # that signs in): the first four steps done, the fifth partly, the rest not started.
    p1405 = Period.objects.get(code=demo_data.OPEN_PERIOD)
    assert p1405.state == PeriodState.OPEN and p1405.entry_deadline > timezone.localdate()  # type: ignore[operator]
    tehran = Submission.objects.get(period=p1405, province__iso_code="IR-23")
    assert tehran.state == SubmissionState.DRAFT and tehran.covered_population
    assert set(tehran.values.values_list("updated_by__username", flat=True)) == {"tehran.officer"}
    card = selectors.province_card(User.objects.get(username="tehran.officer"), p1405, tehran.province)
    states = [s.state for s in selectors_entry.steps(card.mains)]
    assert states[:5] == ["done", "done", "done", "done", "partly"]
    assert set(states[5:]) <= {"not_started", "nothing"}
    others = Submission.objects.filter(period=p1405).exclude(pk=tehran.pk)
    assert set(others.values_list("state", flat=True)) == {SubmissionState.NOT_STARTED}

    # Idempotent: loading again changes nothing.
    before = _counts()
    assert demo.load() == "framework sso-pr v1 kept; periods kept: 1403, 1404, 1405"
    assert _counts() == before

    # Deterministic: the periods loaded afresh (the framework and the accounts are kept, as on a
    # rerun) give the same totals, ranks and rank intervals, to the cent.
    first = {code: _results(code) for code in demo_data.PERIODS}
    Period.objects.all().delete()
    demo.load()
    assert {code: _results(code) for code in demo_data.PERIODS} == first
