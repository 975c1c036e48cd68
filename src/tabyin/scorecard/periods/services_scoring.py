"""From the database to the pure scoring engine and back: effective values (the province's entry
or HQ's latest correction), counts divided by their denominators, platform-computed metrics, one
``ScoreRun`` with every input kept beside every score.

Runs are never edited: scoring again (after an accepted appeal, or with a new framework version)
makes a new run and marks it current; the old one stays, with the framework version it used.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import jdatetime
from django.conf import settings
from django.db import transaction

from tabyin.core.models import User
from tabyin.core.registry import Absent, registry
from tabyin.scorecard import scoring
from tabyin.scorecard.enums import DataSource, Denominator, IndicatorKind, PeriodKind, ValueStatus
from tabyin.scorecard.framework.services import framework_specs
from tabyin.scorecard.models import (
    Framework,
    Indicator,
    IndicatorScore,
    Period,
    ProvinceResult,
    ScoreRun,
    Submission,
    Value,
)

PER = Decimal(100_000)
Q4 = Decimal("0.0001")
Q2 = Decimal("0.01")


def period_dates(kind: str, year: int, part: int) -> tuple[date, date]:
    """First and last Gregorian day of a Jalali year, half or quarter (both inclusive)."""
    months = {PeriodKind.YEAR: (1, 12), PeriodKind.HALF: (6 * part - 5, 6 * part)}.get(
        PeriodKind(kind), (3 * part - 2, 3 * part)
    )
    first = jdatetime.date(year, months[0], 1)
    after = jdatetime.date(year + 1, 1, 1) if months[1] == 12 else jdatetime.date(year, months[1] + 1, 1)
    start: date = first.togregorian()
    end: date = after.togregorian() - timedelta(days=1)
    return start, end


def period_seed(code: str) -> int:
    """The robustness draws' seed: fixed by the period code, so a run can be repeated exactly."""
    return int.from_bytes(hashlib.sha256(f"tabyin-scorecard:{code}".encode()).digest()[:6], "big")


@dataclass(frozen=True)
class Measured:
    status: str
    value: Decimal | None
    inputs: dict[str, Any]
    corrected: bool


def _str(number: Decimal | None) -> str | None:
    return None if number is None else str(number)


def _effective(value: Value | None) -> tuple[str, Decimal | None, Decimal | None, Decimal | None, bool]:
    if value is None:
        return ValueStatus.NOT_REPORTED, None, None, None, False
    corrections = list(value.corrections.all())
    if corrections:
        c = corrections[-1]
        return c.status, c.numerator, c.denominator, c.value_after, True
    return value.status, value.numerator, value.denominator, value.value, False


def _per_denominator(
    indicator: Indicator, raw: Decimal, submission: Submission, inputs: dict[str, Any]
) -> Decimal | None:
    """A count divided by its denominator (which is kept in ``inputs``), None when the province has
    not given that denominator; any other value as it is."""
    if indicator.kind == IndicatorKind.COUNT and indicator.denominator == Denominator.COVERED_100K:
        inputs["covered_population"] = submission.covered_population
        if not submission.covered_population:
            return None
        return raw * PER / submission.covered_population
    if indicator.kind == IndicatorKind.COUNT and indicator.denominator == Denominator.PR_STAFF:
        inputs["pr_staff"] = _str(submission.pr_staff)
        if not submission.pr_staff:
            return None
        return raw / submission.pr_staff
    return raw


def measure(indicator: Indicator, value: Value | None, submission: Submission) -> Measured:
    """The value in the indicator's unit, after any division by the province's denominator."""
    status, num, den, raw, corrected = _effective(value)
    inputs: dict[str, Any] = {"numerator": _str(num), "denominator": _str(den), "value": _str(raw)}
    if status != ValueStatus.REPORTED or raw is None:
        return Measured(
            status if status != ValueStatus.REPORTED else ValueStatus.NOT_REPORTED, None, inputs, corrected
        )
    measured = _per_denominator(indicator, raw, submission, inputs)
    if measured is None:
        return Measured(ValueStatus.NOT_REPORTED, None, inputs, corrected)
    return Measured(ValueStatus.REPORTED, measured.quantize(Q4), inputs, corrected)


@dataclass(frozen=True)
class Platform:
    """A registry metric's result for the period (to 4 decimals) and what a province it does not
    name stands for."""

    values: dict[str, Decimal]
    absent: Absent


def _computed(indicators: list[Indicator], period: Period) -> dict[str, Platform | None]:
    """Platform metrics by indicator code, or None when the platform has no data at all for the
    period (the app was not installed, or not in use yet), which makes the indicator not
    applicable for everybody."""
    start, end = period_dates(period.kind, period.year, period.part)
    out: dict[str, Platform | None] = {}
    for indicator in indicators:
        if indicator.source == DataSource.COMPUTED:
            metric = registry.metrics.get(indicator.metric)
            values = metric.compute(start, end) if metric else {}
            out[indicator.code] = (
                Platform({k: v.quantize(Q4) for k, v in values.items()}, metric.absent)
                if metric and values
                else None
            )
    return out


def measure_computed(indicator: Indicator, platform: Platform | None, submission: Submission) -> Measured:
    """A province's value of a platform metric, divided like an entered count of the same kind.

    A province the metric does not name has 0 for a count, and no value at all (not applicable:
    left out, the weights of the rest renormalized) for a rate or duration of nothing, e.g. the
    share of rumors answered where there was no rumor.
    """
    inputs: dict[str, Any] = {"metric": indicator.metric, "value": None}
    if platform is None:
        return Measured(ValueStatus.NOT_APPLICABLE, None, inputs, False)
    got = platform.values.get(submission.province.iso_code)
    if got is None:
        if platform.absent == "not_applicable":
            return Measured(ValueStatus.NOT_APPLICABLE, None, inputs, False)
        got = Decimal(0).quantize(Q4)
    inputs["value"] = _str(got)
    measured = _per_denominator(indicator, got, submission, inputs)
    if measured is None:
        return Measured(ValueStatus.NOT_REPORTED, None, inputs, False)
    return Measured(ValueStatus.REPORTED, measured.quantize(Q4), inputs, False)


def collect(period: Period) -> tuple[list[Submission], list[Indicator], dict[tuple[int, int], Measured]]:
    """Every province's measured values for a period, in a constant number of queries."""
    indicators = list(Indicator.objects.filter(framework_id=period.framework_id).order_by("order", "code"))
    subs = [i for i in indicators if i.parent_id is not None]
    submissions = list(
        Submission.objects.filter(period=period).select_related("province").order_by("province__code")
    )
    # By code, not row id: a period rescored with a newer framework version keeps its data.
    values = {
        (v.submission_id, v.indicator.code): v
        for v in Value.objects.filter(submission__period=period)
        .select_related("indicator")
        .prefetch_related("corrections")
    }
    computed = _computed(subs, period)
    measured: dict[tuple[int, int], Measured] = {}
    for submission in submissions:
        for indicator in subs:
            if indicator.source == DataSource.COMPUTED:
                measured[(submission.pk, indicator.pk)] = measure_computed(
                    indicator, computed[indicator.code], submission
                )
            else:
                measured[(submission.pk, indicator.pk)] = measure(
                    indicator, values.get((submission.pk, indicator.code)), submission
                )
    return submissions, indicators, measured


def _dec(x: float | None) -> Decimal | None:
    return None if x is None else Decimal(str(x)).quantize(Q2)


@transaction.atomic
def period_score(*, actor: User | None, period: Period, draws: int | None = None) -> ScoreRun:
    """Score a period and store the run as current. Callers check the period's state."""
    started = time.perf_counter()
    framework = Framework.objects.get(pk=period.framework_id)
    submissions, indicators, measured = collect(period)
    mains, subs, bands = framework_specs(framework)
    sub_rows = [i for i in indicators if i.parent_id is not None]
    inputs = [
        scoring.ProvinceInput(
            code=s.province.iso_code,
            peer_group=s.peer_group,
            entries={
                i.code: scoring.Entry(
                    measured[(s.pk, i.pk)].status,
                    None if measured[(s.pk, i.pk)].value is None else float(measured[(s.pk, i.pk)].value),  # type: ignore[arg-type]
                )
                for i in sub_rows
            },
        )
        for s in submissions
    ]
    method = scoring.Method(
        draws=settings.TABYIN_SCORECARD_DRAWS if draws is None else draws, seed=period_seed(period.code)
    )
    results = scoring.score(mains, subs, inputs, bands, method)
    digest = hashlib.sha256(
        json.dumps(
            [
                [p.code, p.peer_group, sorted((k, e.status, e.value) for k, e in p.entries.items())]
                for p in inputs
            ],
            sort_keys=True,
        ).encode()
    ).hexdigest()
    ScoreRun.objects.filter(period=period, is_current=True).update(is_current=False)
    run = ScoreRun.objects.create(
        period=period,
        framework=framework,
        draws=method.draws,
        seed=method.seed,
        params={"weight_spread": method.weight_spread, "unstable_width": method.unstable_width},
        inputs_sha256=digest,
        computed_by=actor,
    )
    province_rows = ProvinceResult.objects.bulk_create(
        [
            ProvinceResult(
                run=run,
                province=s.province,
                total=_dec(r.total),
                band=r.band,
                rank=r.rank,
                peer_group=r.peer_group,
                peer_rank=r.peer_rank,
                rank_low=r.rank_low,
                rank_high=r.rank_high,
                stable=r.stable,
                main_scores={k: None if v is None else f"{v:.2f}" for k, v in r.main_scores.items()},
                flags=r.flags,
            )
            for s, r in zip(submissions, results, strict=True)
        ]
    )
    IndicatorScore.objects.bulk_create(
        [
            IndicatorScore(
                result=row,
                indicator=i,
                status=measured[(s.pk, i.pk)].status,
                measured=measured[(s.pk, i.pk)].value,
                score=_dec(r.sub_scores[i.code]),
                inputs=measured[(s.pk, i.pk)].inputs,
                corrected=measured[(s.pk, i.pk)].corrected,
            )
            for s, r, row in zip(submissions, results, province_rows, strict=True)
            for i in sub_rows
        ],
        batch_size=2000,
    )
    run.duration_ms = int((time.perf_counter() - started) * 1000)
    run.save(update_fields=["duration_ms"])
    return run
