"""services_scoring end to end on a three-province framework small enough to work out by hand:
counts divided by covered people and by PR staff, a missing denominator, a platform metric read
from core's registry, the stored run row by row, the inputs digest, and a constant number of
queries whatever the number of provinces."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tabyin.core.registry import Metric, registry
from tabyin.scorecard.enums import DataSource, Denominator, IndicatorKind, Normalization, PeriodState
from tabyin.scorecard.models import (
    Correction,
    Framework,
    Indicator,
    IndicatorScore,
    Period,
    ProvinceResult,
    ScoreRun,
    Submission,
    Value,
)
from tabyin.scorecard.periods.services import period_create
from tabyin.scorecard.periods.services_scoring import period_score, period_seed
from tests import factories
from tests.scorecard.helpers import BANDS, evaluator

METRIC = "tests.explanations"
D = Decimal


@pytest.fixture
def metric() -> Iterator[dict[str, Any]]:
    """A platform metric registered for the test only: ``values`` is what it returns, ``calls``
    the date ranges it was asked for."""
    state: dict[str, Any] = {"values": {"IR-23": D(3), "IR-10": D(1)}, "calls": []}

    def compute(start: date, end: date) -> dict[str, Decimal]:
        state["calls"].append((start, end))
        return dict(state["values"])

    registry.add_metric(Metric(METRIC, "Explanations published", compute))
    yield state
    registry.metrics.pop(METRIC, None)


def framework() -> Framework:
    """M1 (weight 2): S01 rate, S02 count per 100,000 covered (target 50), S03 count per PR staff
    (min–max); M2 (weight 1): S04 yes/no, S05 a platform metric (min–max)."""
    fw = Framework.objects.create(code="calc", name_fa="محاسبه", name_en="Calc", bands=BANDS)
    m1 = Indicator.objects.create(framework=fw, code="M1", name_fa="م۱", name_en="M1", weight=2, order=10)
    m2 = Indicator.objects.create(framework=fw, code="M2", name_fa="م۲", name_en="M2", weight=1, order=20)
    subs: list[tuple[str, Indicator, dict[str, Any]]] = [
        ("S01", m1, {"kind": IndicatorKind.RATE}),
        (
            "S02",
            m1,
            {
                "kind": IndicatorKind.COUNT,
                "denominator": Denominator.COVERED_100K,
                "normalization": Normalization.TARGET,
                "target": 50,
            },
        ),
        (
            "S03",
            m1,
            {
                "kind": IndicatorKind.COUNT,
                "denominator": Denominator.PR_STAFF,
                "normalization": Normalization.MINMAX,
            },
        ),
        ("S04", m2, {"kind": IndicatorKind.YES_NO}),
        (
            "S05",
            m2,
            {
                "kind": IndicatorKind.COUNT,
                "normalization": Normalization.MINMAX,
                "source": DataSource.COMPUTED,
                "metric": METRIC,
            },
        ),
    ]
    for order, (code, parent, extra) in enumerate(subs, start=1):
        Indicator.objects.create(
            framework=fw,
            parent=parent,
            code=code,
            name_fa=code,
            name_en=code,
            order=parent.order + order,
            **extra,
        )
    return fw


def submission(period: Period, code: str, peer: str, population: int | None, staff: str | None) -> Submission:
    return Submission.objects.create(
        period=period,
        province=factories.unit(code),
        peer_group=peer,
        state="approved",
        covered_population=population,
        pr_staff=None if staff is None else D(staff),
    )


def value(sub: Submission, code: str, number: str | None, status: str = "reported", **parts: str) -> Value:
    indicator = Indicator.objects.get(framework_id=sub.period.framework_id, code=code)
    return Value.objects.create(
        submission=sub,
        indicator=indicator,
        status=status,
        value=None if number is None else D(number),
        **{k: D(v) for k, v in parts.items()},
    )


@pytest.fixture
def period(org: None) -> Period:
    """Tehran (2,000,000 covered, 4 staff), Isfahan (1,000,000, 2) and Ilam (no covered population
    entered, 5 staff) in 1404."""
    period = period_create(actor=None, code="1404", framework=framework())
    Period.objects.filter(pk=period.pk).update(state=PeriodState.FROZEN)
    tehran = submission(period, "ir-23", "large", 2_000_000, "4")
    isfahan = submission(period, "ir-10", "large", 1_000_000, "2")
    ilam = submission(period, "ir-16", "small", None, "5")
    for sub, rate, count, per_staff, yes in [
        (tehran, "80", "600", "20", "1"),
        (ilam, "50", "100", "10", None),
    ]:
        value(sub, "S01", rate)
        value(sub, "S02", count)
        value(sub, "S03", per_staff)
        value(sub, "S04", yes, "reported" if yes else "not_applicable")
    value(isfahan, "S01", "75", numerator="45", denominator="60")
    value(isfahan, "S02", "700")
    value(isfahan, "S03", "20")
    value(isfahan, "S04", "0")
    return Period.objects.get(pk=period.pk)


def n(x: str) -> dict[str, str | None]:
    """The inputs kept for an entered value with no numerator and denominator."""
    return {"numerator": None, "denominator": None, "value": x}


def test_the_stored_run_row_by_row(period: Period, metric: dict[str, Any]) -> None:
    hq = evaluator()
    run = period_score(actor=hq, period=period, draws=0)
    assert metric["calls"] == [(date(2025, 3, 21), date(2026, 3, 20))]  # the Jalali year 1404
    assert (run.framework.code, run.draws, run.seed, run.computed_by, run.is_current) == (
        "calc",
        0,
        period_seed("1404"),
        hq,
        True,
    )
    assert run.params == {"weight_spread": 0.25, "unstable_width": 3}
    assert len(run.inputs_sha256) == 64
    results = [
        (
            r.province.iso_code,
            r.total,
            r.band,
            r.rank,
            r.peer_group,
            r.peer_rank,
            r.rank_low,
            r.rank_high,
            r.stable,
            r.main_scores,
            r.flags,
        )
        for r in ProvinceResult.objects.filter(run=run).select_related("province").order_by("rank")
    ]
    # M1 = mean of its three subs; total = (2·M1 + M2) / 3, each rounded to 2 decimals first.
    assert results == [
        ("IR-23", D("72.78"), "active", 1, "large", 1, None, None, True, {"M1": "59.17", "M2": "100.00"}, []),
        ("IR-10", D("66.67"), "active", 2, "large", 2, None, None, True, {"M1": "91.67", "M2": "16.67"}, []),
        (
            "IR-16",
            D("11.11"),
            "weak",
            3,
            "small",
            1,
            None,
            None,
            True,
            {"M1": "16.67", "M2": "0.00"},
            ["not_reported:S02"],
        ),
    ]
    scores = [
        (s.result.province.iso_code, s.indicator.code, s.status, s.measured, s.score, s.inputs, s.corrected)
        for s in IndicatorScore.objects.filter(result__run=run)
        .select_related("result__province", "indicator")
        .order_by("result__rank", "indicator__order")
    ]
    metric_in = lambda v: {"metric": METRIC, "value": v}  # noqa: E731
    assert scores == [
        ("IR-23", "S01", "reported", D("80"), D("80"), n("80.0000"), False),
        # 600 per 2,000,000 covered = 30 per 100,000; target 50 → 60.
        (
            "IR-23",
            "S02",
            "reported",
            D("30"),
            D("60"),
            n("600.0000") | {"covered_population": 2_000_000},
            False,
        ),
        # 20 / 4 staff = 5; min–max over 2…10 → 37.5.
        ("IR-23", "S03", "reported", D("5"), D("37.5"), n("20.0000") | {"pr_staff": "4.00"}, False),
        ("IR-23", "S04", "reported", D("1"), D("100"), n("1.0000"), False),
        ("IR-23", "S05", "reported", D("3"), D("100"), metric_in("3.0000"), False),
        (
            "IR-10",
            "S01",
            "reported",
            D("75"),
            D("75"),
            {"numerator": "45.0000", "denominator": "60.0000", "value": "75.0000"},
            False,
        ),
        (
            "IR-10",
            "S02",
            "reported",
            D("70"),
            D("100"),
            n("700.0000") | {"covered_population": 1_000_000},
            False,
        ),
        ("IR-10", "S03", "reported", D("10"), D("100"), n("20.0000") | {"pr_staff": "2.00"}, False),
        ("IR-10", "S04", "reported", D("0"), D("0"), n("0.0000"), False),
        # The metric names no value for Ilam: it has none, 0; min–max over 0…3 → 33.33.
        ("IR-10", "S05", "reported", D("1"), D("33.33"), metric_in("1.0000"), False),
        ("IR-16", "S01", "reported", D("50"), D("50"), n("50.0000"), False),
        # No covered population entered: not reported, 0, flagged; the count is kept as entered.
        ("IR-16", "S02", "not_reported", None, D("0"), n("100.0000") | {"covered_population": None}, False),
        ("IR-16", "S03", "reported", D("2"), D("0"), n("10.0000") | {"pr_staff": "5.00"}, False),
        ("IR-16", "S04", "not_applicable", None, None, n(None), False),  # type: ignore[arg-type]
        ("IR-16", "S05", "reported", D("0"), D("0"), metric_in("0.0000"), False),
    ]


@pytest.mark.parametrize(
    ("count", "population", "staff", "code", "measured"),
    [
        ("7", 3_000_000, "3", "S02", D("0.2333")),
        ("10", 3_000_000, "3", "S03", D("3.3333")),
        ("10", 3_000_000, "2.5", "S03", D("4")),
    ],
)
def test_counts_are_divided_and_kept_to_four_decimals(
    *,
    period: Period,
    metric: dict[str, Any],
    count: str,
    population: int,
    staff: str,
    code: str,
    measured: Decimal,
) -> None:
    tehran = Submission.objects.get(period=period, province__code="ir-23")
    Submission.objects.filter(pk=tehran.pk).update(covered_population=population, pr_staff=D(staff))
    Value.objects.filter(submission=tehran, indicator__code=code).update(value=D(count))
    run = period_score(actor=None, period=period, draws=0)
    assert (
        IndicatorScore.objects.get(
            result__run=run, result__province=tehran.province, indicator__code=code
        ).measured
        == measured
    )


def test_a_missing_pr_staff_makes_the_count_not_reported(period: Period, metric: dict[str, Any]) -> None:
    Submission.objects.filter(province__code="ir-10").update(pr_staff=None)
    run = period_score(actor=None, period=period, draws=0)
    result = run.results.get(province__code="ir-10")
    score = result.scores.get(indicator__code="S03")
    assert (score.status, score.measured, score.score, score.inputs["pr_staff"]) == (
        "not_reported",
        None,
        D("0"),
        None,
    )
    assert result.flags == ["not_reported:S03"]


def test_a_metric_that_is_not_installed_is_not_applicable_for_everybody(period: Period) -> None:
    # No data at all for the period (the app is not installed, or was not in use yet): nobody is
    # to blame, so the indicator is left out and the weights renormalized, not scored 0.
    assert METRIC not in registry.metrics
    run = period_score(actor=None, period=period, draws=0)
    statuses = set(
        IndicatorScore.objects.filter(result__run=run, indicator__code="S05").values_list("status", flat=True)
    )
    assert statuses == {"not_applicable"}
    assert not any("not_reported:S05" in r.flags for r in run.results.all())


def test_a_metric_value_is_scored_as_stored(period: Period, metric: dict[str, Any]) -> None:
    metric["values"] = {"IR-23": D(1) / D(3), "IR-10": D(1)}
    run = period_score(actor=None, period=period, draws=0)
    score = IndicatorScore.objects.get(result__run=run, result__province__code="ir-23", indicator__code="S05")
    assert (score.measured, score.inputs["value"]) == (D("0.3333"), "0.3333")


def test_the_inputs_digest_follows_the_inputs_only(period: Period, metric: dict[str, Any]) -> None:
    first = period_score(actor=None, period=period, draws=0)
    second = period_score(actor=evaluator(), period=period, draws=50)
    assert second.inputs_sha256 == first.inputs_sha256
    first.refresh_from_db()
    assert (first.is_current, second.is_current, ScoreRun.objects.filter(period=period).count()) == (
        False,
        True,
        2,
    )
    value = Value.objects.get(submission__province__code="ir-16", indicator__code="S01")
    Correction.objects.create(
        value=value, status="reported", value_after=D("51"), reason="r", created_by=evaluator()
    )
    third = period_score(actor=None, period=period, draws=0)
    assert third.inputs_sha256 != first.inputs_sha256
    assert IndicatorScore.objects.get(
        result__run=third, result__province__code="ir-16", indicator__code="S01"
    ).corrected


def test_scoring_takes_the_same_number_of_queries_for_3_or_31_provinces(
    period: Period, metric: dict[str, Any]
) -> None:
    def queries(p: Period) -> int:
        with CaptureQueriesContext(connection) as ctx:
            period_score(actor=None, period=p, draws=10)
        return len(ctx.captured_queries)

    small = queries(period)
    other = period_create(actor=None, code="1403", framework=period.framework)
    for i, province in enumerate(factories.unit("hq").children.filter(kind="province").order_by("code")):
        sub = Submission.objects.create(
            period=other, province=province, peer_group="medium", covered_population=10**6 + i, pr_staff=D(3)
        )
        for code in ("S01", "S02", "S03", "S04"):
            value(sub, code, str(i % 2 if code == "S04" else 10 + i))
    assert Submission.objects.filter(period=other).count() == 31
    assert queries(other) == small
