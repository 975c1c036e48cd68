"""Reads of the scorecard, with the visibility rules applied here (not in views): before
publication only HQ viewers see results; a provincial officer sees their own province's
submission, evidence and comments and nobody else's."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet

from tabyin.core.demo import is_demo
from tabyin.core.models import OrgUnit, User
from tabyin.core.scoping import scope_for
from tabyin.scorecard import permissions
from tabyin.scorecard.enums import DataSource, IndicatorKind, PeriodState, ValueStatus
from tabyin.scorecard.models import (
    Correction,
    Evidence,
    Indicator,
    IndicatorScore,
    Period,
    ProvinceResult,
    ReviewComment,
    ScoreRun,
    Submission,
    Value,
)

PUBLIC_STATES = (PeriodState.PUBLISHED, PeriodState.FINAL)


def periods() -> QuerySet[Period]:
    return Period.objects.select_related("framework").order_by("-year", "-part", "code")


def public_periods() -> QuerySet[Period]:
    return periods().filter(state__in=PUBLIC_STATES)


def period_by_code(code: str) -> Period | None:
    return periods().filter(code=(code or "").upper()).first()


def current_run(period: Period) -> ScoreRun | None:
    return period.runs.filter(is_current=True).select_related("framework").first()


def can_see_results(actor: User | None, period: Period) -> bool:
    return period.state in PUBLIC_STATES or permissions.can_see_results(scope_for(actor))


def previous_period(period: Period) -> Period | None:
    """The same kind of period just before this one whose results are published: rank changes
    compare with what everybody saw, and never reveal an unpublished ranking."""
    earlier = (
        Period.objects.filter(kind=period.kind, runs__is_current=True, state__in=PUBLIC_STATES)
        .exclude(pk=period.pk)
        .distinct()
    )
    candidates = [p for p in earlier if (p.year, p.part) < (period.year, period.part)]
    return max(candidates, key=lambda p: (p.year, p.part), default=None)


@dataclass
class RankRow:
    result: ProvinceResult
    province: OrgUnit
    previous_rank: int | None = None
    late: bool = False

    @property
    def rank_change(self) -> int | None:
        if self.previous_rank is None or self.result.rank is None:
            return None
        return self.previous_rank - self.result.rank


def ranking(actor: User | None, period: Period) -> list[RankRow]:
    """The national table of the current run, best first, with each province's rank change."""
    if not can_see_results(actor, period):
        raise PermissionDenied("results are not published")
    run = current_run(period)
    if run is None:
        return []
    before = previous_period(period)
    previous: dict[int, int | None] = {}
    if before is not None:
        prev_run = current_run(before)
        if prev_run is not None:
            previous = dict(prev_run.results.values_list("province_id", "rank"))
    late = set(Submission.objects.filter(period=period, late=True).values_list("province_id", flat=True))
    rows = run.results.select_related("province").order_by("rank", "province__code")
    ordered = sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.province.code))
    return [RankRow(r, r.province, previous.get(r.province_id), r.province_id in late) for r in ordered]


@dataclass
class ProgressRow:
    submission: Submission
    entered: int
    required: int
    evidence: int

    @property
    def percent(self) -> int:
        return 100 if not self.required else round(100 * self.entered / self.required)


def progress(actor: User, period: Period) -> list[ProgressRow]:
    """Data entry across provinces (HQ), or the officer's own province only."""
    scope = scope_for(actor)
    qs = Submission.objects.filter(period=period).select_related("province").order_by("province__code")
    if not permissions.can_see_results(scope):
        qs = qs.filter(province_id__in=scope.province_ids)
    entered = Q(parent__isnull=False, source=DataSource.ENTERED) & ~Q(kind=IndicatorKind.RUBRIC)
    required = Indicator.objects.filter(entered, framework_id=period.framework_id).count()
    # Only what the province enters counts: rubric levels are the reviewers' rows.
    own = Q(values__indicator__source=DataSource.ENTERED) & ~Q(values__indicator__kind=IndicatorKind.RUBRIC)
    qs = qs.annotate(
        n_values=Count("values", filter=own, distinct=True), n_evidence=Count("evidence", distinct=True)
    )
    return [ProgressRow(s, min(s.n_values, required), required, s.n_evidence) for s in qs]


@dataclass
class SubRow:
    indicator: Indicator
    value: Value | None
    corrections: list[Correction]
    evidence: list[Evidence]
    comments: list[ReviewComment]
    score: IndicatorScore | None

    @property
    def effective(self) -> Correction | Value | None:
        return self.corrections[-1] if self.corrections else self.value


@dataclass
class MainRow:
    indicator: Indicator
    subs: list[SubRow]
    score: Decimal | None = None
    previous: Decimal | None = None


@dataclass
class Card:
    period: Period
    submission: Submission
    mains: list[MainRow]
    result: ProvinceResult | None
    previous_result: ProvinceResult | None
    general_comments: list[ReviewComment] = field(default_factory=list)
    results_visible: bool = False


def submission_for(actor: User, period: Period, province: OrgUnit) -> Submission:
    permissions.require(permissions.can_see_province(scope_for(actor), province.pk))
    return Submission.objects.select_related("period__framework", "province").get(
        period=period, province=province
    )


def _dec(text: Any) -> Decimal | None:
    return None if text is None else Decimal(str(text))


def province_card(actor: User, period: Period, province: OrgUnit) -> Card:
    """Everything on a province's scorecard page, in a constant number of queries."""
    submission = submission_for(actor, period, province)
    indicators = list(Indicator.objects.filter(framework_id=period.framework_id).order_by("order", "code"))
    # By code: after a rescore with a newer framework version the rows belong to the older one.
    values = {
        v.indicator.code: v
        for v in submission.values.select_related("indicator", "confirmed_by").prefetch_related(
            Prefetch("corrections", queryset=Correction.objects.order_by("created_at", "pk"))
        )
    }
    evidence: dict[str, list[Evidence]] = {}
    for e in submission.evidence.select_related("indicator"):
        evidence.setdefault(e.indicator.code, []).append(e)
    comments: dict[str | None, list[ReviewComment]] = {}
    for c in submission.comments.select_related("author", "indicator"):
        comments.setdefault(c.indicator.code if c.indicator else None, []).append(c)
    visible = can_see_results(actor, period)
    run = current_run(period) if visible else None
    result = run.results.filter(province=province).first() if run else None
    scores = {s.indicator_id: s for s in result.scores.all()} if result else {}
    before = previous_period(period) if visible else None
    prev_run = current_run(before) if before else None
    previous_result = prev_run.results.filter(province=province).first() if prev_run else None
    mains: list[MainRow] = []
    for main in (i for i in indicators if i.parent_id is None):
        subs = [
            SubRow(
                i,
                values.get(i.code),
                list(values[i.code].corrections.all()) if i.code in values else [],
                evidence.get(i.code, []),
                comments.get(i.code, []),
                scores.get(i.pk),
            )
            for i in indicators
            if i.parent_id == main.pk
        ]
        row = MainRow(main, subs)
        if result is not None:
            row.score = _dec(result.main_scores.get(main.code))
        if previous_result is not None:
            row.previous = _dec(previous_result.main_scores.get(main.code))
        mains.append(row)
    return Card(period, submission, mains, result, previous_result, comments.get(None, []), visible)


def _s(x: Any) -> str | None:
    return None if x is None else str(x)


def export_period(period: Period) -> dict[str, Any]:
    """The published results with every input, in the format of ``/api/v1/scorecards/<period>/``
    (ASCII digits, decimals as strings): enough to recompute every score and rank."""
    run = current_run(period)
    if run is None or period.state not in PUBLIC_STATES:
        raise PermissionDenied("results are not published")
    framework = run.framework
    indicators = list(
        Indicator.objects.filter(framework=framework).select_related("parent").order_by("order", "code")
    )
    results = list(
        run.results.select_related("province")
        .prefetch_related(Prefetch("scores", queryset=IndicatorScore.objects.select_related("indicator")))
        .order_by("rank", "province__code")
    )
    return {
        "period": period.code,
        "kind": period.kind,
        "state": period.state,
        "published_at": period.published_at.isoformat() if period.published_at else None,
        "framework": {
            "code": framework.code,
            "version": framework.version,
            "bands": [{"code": b["code"], "min": b["min"]} for b in framework.bands],
            "indicators": [
                {
                    "code": i.code,
                    "parent": i.parent.code if i.parent else None,
                    "name_fa": i.name_fa,
                    "name_en": i.name_en,
                    "kind": i.kind or None,
                    "direction": i.direction,
                    "normalization": i.normalization,
                    "denominator": i.denominator,
                    "target": _s(i.target),
                    "weight": _s(i.weight),
                }
                for i in indicators
            ],
        },
        "method": {"draws": run.draws, "seed": run.seed, **run.params},
        "computed_at": run.computed_at.isoformat(),
        "inputs_sha256": run.inputs_sha256,
        # Figures made up by `tabyin demo` must say so wherever they travel.
        "sample_data": is_demo(),
        "provinces": [
            {
                "province": r.province.iso_code,
                "name_fa": r.province.name_fa,
                "name_en": r.province.name_en,
                "peer_group": r.peer_group,
                "total": _s(r.total),
                "band": r.band,
                "rank": r.rank,
                "peer_rank": r.peer_rank,
                "rank_low": r.rank_low,
                "rank_high": r.rank_high,
                "stable": r.stable,
                "flags": r.flags,
                "main_scores": r.main_scores,
                "indicators": [
                    {
                        "code": s.indicator.code,
                        "status": s.status,
                        "measured": _s(s.measured),
                        "score": _s(s.score),
                        "corrected": s.corrected,
                        "inputs": s.inputs,
                    }
                    for s in sorted(r.scores.all(), key=lambda s: (s.indicator.order, s.indicator.code))
                ],
            }
            for r in results
        ],
    }


def value_statuses() -> list[tuple[str, str]]:
    return [(str(v), str(label)) for v, label in ValueStatus.choices]
