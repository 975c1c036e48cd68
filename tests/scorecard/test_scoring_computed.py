"""Platform metrics in services_scoring: what a province the metric does not name stands for (0 for
a count, not applicable for a rate or duration, as the metric declares), and a computed count
divided by the province's covered population like an entered one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from tabyin.core.registry import Metric, registry
from tabyin.scorecard.enums import DataSource, Denominator, IndicatorKind, Normalization, PeriodState
from tabyin.scorecard.models import (
    Framework,
    Indicator,
    IndicatorScore,
    Period,
    ProvinceResult,
    Submission,
    Value,
)
from tabyin.scorecard.periods.services import period_create
from tabyin.scorecard.periods.services_scoring import period_score
from tests import factories
from tests.scorecard.helpers import BANDS

RATE, COUNT = "tests.rate_of_rumors", "tests.count_of_items"
D = Decimal


@pytest.fixture
def metrics() -> Iterator[None]:
    """A rate that names Tehran only (no events elsewhere) and a count that names Tehran and
    Isfahan."""

    def rate(start: date, end: date) -> dict[str, Decimal]:
        return {"IR-23": D(80)}

    def count(start: date, end: date) -> dict[str, Decimal]:
        return {"IR-23": D(600), "IR-10": D(100)}

    registry.add_metric(Metric(RATE, "Rate", rate, absent="not_applicable"))
    registry.add_metric(Metric(COUNT, "Count", count))
    yield
    registry.metrics.pop(RATE, None)
    registry.metrics.pop(COUNT, None)


@pytest.fixture
def period(org: None) -> Period:
    """M1: S01 entered rate, S02 the computed rate; M2: S03 the computed count per 100,000 covered
    (min–max). Tehran (2,000,000 covered), Isfahan (1,000,000), Ilam (no covered population)."""
    fw = Framework.objects.create(code="computed", name_fa="محاسبه", name_en="Computed", bands=BANDS)
    m1 = Indicator.objects.create(framework=fw, code="M1", name_fa="م۱", name_en="M1", weight=1, order=10)
    m2 = Indicator.objects.create(framework=fw, code="M2", name_fa="م۲", name_en="M2", weight=1, order=20)
    computed = {"source": DataSource.COMPUTED}
    for order, (code, parent, extra) in enumerate(
        [
            ("S01", m1, {"kind": IndicatorKind.RATE}),
            ("S02", m1, {"kind": IndicatorKind.RATE, "metric": RATE, **computed}),
            (
                "S03",
                m2,
                {
                    "kind": IndicatorKind.COUNT,
                    "denominator": Denominator.COVERED_100K,
                    "normalization": Normalization.MINMAX,
                    "metric": COUNT,
                    **computed,
                },
            ),
        ],
        start=1,
    ):
        Indicator.objects.create(
            framework=fw, parent=parent, code=code, name_fa=code, name_en=code, order=10 * order, **extra
        )
    period = period_create(actor=None, code="1404", framework=fw)
    Period.objects.filter(pk=period.pk).update(state=PeriodState.FROZEN)
    s01 = Indicator.objects.get(framework=fw, code="S01")
    for code, population, rate in (
        ("ir-23", 2_000_000, "60"),
        ("ir-10", 1_000_000, "40"),
        ("ir-16", None, "50"),
    ):
        sub = Submission.objects.create(
            period=period,
            province=factories.unit(code),
            peer_group="large",
            state="approved",
            covered_population=population,
            pr_staff=D(3),
        )
        Value.objects.create(submission=sub, indicator=s01, status="reported", value=D(rate))
    return Period.objects.get(pk=period.pk)


def test_a_rate_metric_leaves_unnamed_provinces_out_and_a_count_is_divided(
    period: Period, metrics: None
) -> None:
    run = period_score(actor=None, period=period, draws=0)
    scores = [
        (s.result.province.iso_code, s.indicator.code, s.status, s.measured, s.score, s.inputs)
        for s in IndicatorScore.objects.filter(result__run=run, indicator__code__in=["S02", "S03"])
        .select_related("result__province", "indicator")
        .order_by("result__province__iso_code", "indicator__code")
    ]
    rate_in = lambda v: {"metric": RATE, "value": v}  # noqa: E731
    count_in = lambda v, population: {"metric": COUNT, "value": v, "covered_population": population}  # noqa: E731
    assert scores == [
        # Isfahan had nothing to measure: not applicable, no score, not 0.
        ("IR-10", "S02", "not_applicable", None, None, rate_in(None)),
        # 100 items per 1,000,000 covered = 10 per 100,000; min–max over 10…30 → 0.
        ("IR-10", "S03", "reported", D("10"), D("0"), count_in("100.0000", 1_000_000)),
        ("IR-16", "S02", "not_applicable", None, None, rate_in(None)),
        # A count the metric does not name is 0, but Ilam gave no covered population to divide by.
        ("IR-16", "S03", "not_reported", None, D("0"), count_in("0.0000", None)),
        ("IR-23", "S02", "reported", D("80"), D("80"), rate_in("80.0000")),
        ("IR-23", "S03", "reported", D("30"), D("100"), count_in("600.0000", 2_000_000)),
    ]
    results = {
        r.province.iso_code: (r.main_scores, r.total, r.flags)
        for r in ProvinceResult.objects.filter(run=run).select_related("province")
    }
    # M1 of Isfahan and Ilam is their entered rate alone: the not-applicable rate weighs nothing.
    assert results == {
        "IR-23": ({"M1": "70.00", "M2": "100.00"}, D("85.00"), []),
        "IR-10": ({"M1": "40.00", "M2": "0.00"}, D("20.00"), []),
        "IR-16": ({"M1": "50.00", "M2": "0.00"}, D("25.00"), ["not_reported:S03"]),
    }


def test_the_same_rate_with_absent_as_zero_scores_unnamed_provinces_0(period: Period, metrics: None) -> None:
    registry.add_metric(Metric(RATE, "Rate", registry.metrics[RATE].compute))
    run = period_score(actor=None, period=period, draws=0)
    isfahan = ProvinceResult.objects.get(run=run, province__code="ir-10")
    score = isfahan.scores.get(indicator__code="S02")
    assert (score.status, score.measured, score.score, isfahan.main_scores["M1"]) == (
        "reported",
        D("0"),
        D("0"),
        "20.00",
    )
