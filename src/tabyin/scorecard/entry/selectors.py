"""Reads for the officer's step-by-step entry: how far each main indicator is (the step list), and
what a typed value is compared with for the plausibility warning (``plausibility``).

Scoping: the card these read from was fetched through ``selectors.province_card`` (the officer's
own province only); the references read other provinces' values, but only as a median that the
officer is shown, never a province's name or row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.db.models import Q, QuerySet

from tabyin.scorecard.entry import plausibility
from tabyin.scorecard.enums import DataSource, IndicatorKind, PeriodState, ValueStatus
from tabyin.scorecard.models import Correction, Indicator, Period, Submission, Value

# Yes/no answers have no "usual size"; rubric levels and computed values are not typed.
CHECKED_KINDS = (IndicatorKind.RATE, IndicatorKind.COUNT, IndicatorKind.DURATION)
DONE, PARTLY, NOT_STARTED, NOTHING = "done", "partly", "not_started", "nothing"


def entered(indicator: Indicator) -> bool:
    """Does the province type this sub-indicator? (Rubric levels are the reviewers'; computed
    ones come from the platform.)"""
    return indicator.source != DataSource.COMPUTED and indicator.kind != IndicatorKind.RUBRIC


class SubLike(Protocol):
    """A card's sub row (``selectors.SubRow``; this module sits below ``selectors``)."""

    @property
    def indicator(self) -> Indicator: ...
    @property
    def value(self) -> Value | None: ...


class MainLike(Protocol):
    @property
    def indicator(self) -> Indicator: ...
    @property
    def subs(self) -> Sequence[SubLike]: ...


@dataclass(frozen=True)
class Step:
    """One main indicator as a step of the entry: how many of its typed items have a value."""

    number: int  # 1-based, in the framework's order
    main: MainLike
    filled: int
    required: int
    warnings: int  # values far outside the usual, not yet confirmed

    @property
    def code(self) -> str:
        return self.main.indicator.code

    @property
    def state(self) -> str:
        if self.required == 0:
            return NOTHING  # only reviewers' levels or computed values under it
        if self.filled >= self.required:
            return DONE
        return PARTLY if self.filled else NOT_STARTED


def steps(mains: Sequence[MainLike]) -> list[Step]:
    """The steps of a card's main rows, one a main indicator (no query: the rows hold the values)."""
    out = []
    for number, main in enumerate(mains, start=1):
        typed = [s for s in main.subs if entered(s.indicator)]
        filled = sum(1 for s in typed if s.value is not None)
        warnings = sum(1 for s in typed if unconfirmed(s.value))
        out.append(Step(number, main, filled, len(typed), warnings))
    return out


def unconfirmed(value: Value | None) -> bool:
    return value is not None and bool(value.warning) and value.confirmed_at is None


@dataclass(frozen=True)
class Totals:
    filled: int
    required: int
    done: int
    partly: int
    not_started: int


def totals(all_steps: Sequence[Step]) -> Totals:
    states = [s.state for s in all_steps]
    return Totals(
        filled=sum(s.filled for s in all_steps),
        required=sum(s.required for s in all_steps),
        done=states.count(DONE),
        partly=states.count(PARTLY),
        not_started=states.count(NOT_STARTED),
    )


def _figures(values: QuerySet[Value]) -> list[tuple[str, Decimal]]:
    """(code, the figure scoring uses) of reported values: HQ's latest correction if there is
    one, else the province's. Plain tuples, two queries: the demo saves thousands of values."""
    rows = list(values.values_list("pk", "indicator__code", "status", "value"))
    latest: dict[int, tuple[str, Decimal | None]] = {}
    corrections = Correction.objects.filter(value_id__in=[r[0] for r in rows]).order_by("created_at", "pk")
    for value_id, status, after in corrections.values_list("value_id", "status", "value_after"):
        latest[value_id] = (status, after)
    out = []
    for pk, code, entered_status, entered_figure in rows:
        status, figure = latest.get(pk, (entered_status, entered_figure))
        if status == ValueStatus.REPORTED and figure is not None:
            out.append((code, figure))
    return out


def _earlier(period: Period) -> Q:
    return Q(period__kind=period.kind) & (
        Q(period__year__lt=period.year) | Q(period__year=period.year, period__part__lt=period.part)
    )


def previous_period(period: Period) -> Period | None:
    """The period of the same kind just before this one, whatever its state (peers' values of
    last year count even before they are published: only their median is shown)."""
    earlier = Period.objects.filter(kind=period.kind).exclude(state=PeriodState.DRAFT).exclude(pk=period.pk)
    candidates = [p for p in earlier if (p.year, p.part) < (period.year, period.part)]
    return max(candidates, key=lambda p: (p.year, p.part), default=None)


@dataclass(frozen=True)
class Reference:
    own: tuple[Decimal, ...]
    peers: tuple[Decimal, ...]


def references(submission: Submission, codes: Iterable[str]) -> dict[str, Reference]:
    """For each sub-indicator code: the province's own earlier values (same kind of period) and
    the values of the other provinces of its peer group this period and the period before."""
    period = submission.period
    codes = list(codes)
    values = Value.objects.filter(indicator__code__in=codes)
    own_subs = Submission.objects.filter(Q(province_id=submission.province_id) & _earlier(period))
    own: dict[str, list[Decimal]] = {c: [] for c in codes}
    for code, figure in _figures(values.filter(submission__in=own_subs)):
        own[code].append(figure)
    peers: dict[str, list[Decimal]] = {c: [] for c in codes}
    if submission.peer_group:
        before = previous_period(period)
        periods = [period.pk] + ([before.pk] if before else [])
        peer_subs = Submission.objects.filter(
            period_id__in=periods, peer_group=submission.peer_group
        ).exclude(province_id=submission.province_id)
        for code, figure in _figures(values.filter(submission__in=peer_subs)):
            peers[code].append(figure)
    return {c: Reference(tuple(own[c]), tuple(peers[c])) for c in codes}


def checked(indicator: Indicator) -> bool:
    return entered(indicator) and indicator.kind in CHECKED_KINDS


def judge(value: Decimal | None, reference: Reference) -> plausibility.Check | None:
    """The plausibility decision on a value, or None when there is nothing to judge."""
    if value is None:
        return None
    return plausibility.check(value, reference.own, reference.peers)
