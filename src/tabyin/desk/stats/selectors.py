"""The desk's reports: volume by unit and kind, time to first response and to delivery (working
hours, against the service level), satisfaction; and the same figures by province for the
scorecard (offered through core's registry as metrics).

Working hours are counted on the organization's calendar, read once per report.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import mean

from django.db.models import QuerySet
from django.utils import timezone

from tabyin.core.jalali import TEHRAN
from tabyin.core.models import User
from tabyin.core.workcal import hours
from tabyin.core.workcal import services as workcal
from tabyin.desk.enums import Kind, State
from tabyin.desk.intake import selectors as intake
from tabyin.desk.intake.models import DeskRequest, Move


@dataclass(frozen=True)
class KindRow:
    kind: str
    label: str
    filed: int
    response_sla: int
    response_hours: float | None  # mean working hours to PR's first response
    response_on_time: float | None  # share answered within the service level
    delivery_sla: int
    delivery_hours: float | None  # mean working hours from acceptance to delivery
    delivery_on_time: float | None
    rating: float | None
    rated: int


@dataclass(frozen=True)
class Report:
    by_unit: list[tuple[str, dict[str, int], int]]  # (unit name, {kind: n}, total)
    kinds: list[KindRow]
    total: int
    rating: float | None


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(start, time.min, tzinfo=TEHRAN),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=TEHRAN),
    )


def _accepted_at(ids: list[int]) -> dict[int, datetime]:
    rows = Move.objects.filter(request_id__in=ids, to_state=State.ACCEPTED).order_by("at")
    found: dict[int, datetime] = {}
    for move in rows:
        found.setdefault(move.request_id, move.at)
    return found


def _share(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def _mean(values: list[float]) -> float | None:
    return round(mean(values), 1) if values else None


def report(items: QuerySet[DeskRequest], language: str) -> Report:
    rows = list(items.select_related("unit").order_by("created_at", "pk"))
    if rows:
        calendar = workcal.schedule(
            rows[0].created_at.date() - timedelta(days=1), timezone.now().date() + timedelta(days=400)
        )
    else:
        calendar = hours.Schedule()
    accepted = _accepted_at([r.pk for r in rows])
    per_unit: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        per_unit[r.unit.name(language)][r.kind] += 1
    kinds = []
    for kind in Kind:
        mine = [r for r in rows if r.kind == kind]
        response_sla, delivery_sla = intake.service_level(kind)
        answered = [(r, r.first_response_at) for r in mine if r.first_response_at]
        delivered = [(r, r.delivered_at) for r in mine if r.delivered_at and r.pk in accepted]
        rated = [r.rating for r in mine if r.rating]
        kinds.append(
            KindRow(
                kind=kind,
                label=str(kind.label),
                filed=len(mine),
                response_sla=response_sla,
                response_hours=_mean(
                    [hours.working_hours_between(calendar, r.created_at, at) for r, at in answered]
                ),
                response_on_time=_share([at <= r.response_due for r, at in answered]),
                delivery_sla=delivery_sla,
                delivery_hours=_mean(
                    [hours.working_hours_between(calendar, accepted[r.pk], at) for r, at in delivered]
                ),
                delivery_on_time=_share([_on_time(r) for r, _at in delivered]),
                rating=_mean([float(x) for x in rated]),
                rated=len(rated),
            )
        )
    all_ratings = [float(r.rating) for r in rows if r.rating]
    return Report(
        by_unit=[(name, dict(c), sum(c.values())) for name, c in sorted(per_unit.items())],
        kinds=kinds,
        total=len(rows),
        rating=_mean(all_ratings),
    )


def report_for(user: User, language: str) -> Report:
    return report(intake.requests_for(user), language)


# The scorecard's metrics: by the province of the requesting unit, over requests filed (or
# delivered, or closed) in the range; HQ's own requests belong to no province.
def _by_province(items: QuerySet[DeskRequest]) -> dict[str, list[DeskRequest]]:
    found: dict[str, list[DeskRequest]] = defaultdict(list)
    for r in items.filter(province__isnull=False).select_related("province").order_by("pk"):
        if r.province is not None and r.province.iso_code:
            found[r.province.iso_code].append(r)
    return found


def _dec(value: float, places: str = "0.01") -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def metric_requests(start: date, end: date) -> dict[str, Decimal]:
    lo, hi = _bounds(start, end)
    found = _by_province(DeskRequest.objects.filter(created_at__gte=lo, created_at__lt=hi))
    return {iso: Decimal(len(rows)) for iso, rows in found.items()}


def metric_on_time(start: date, end: date) -> dict[str, Decimal]:
    """Percentage of the requests delivered in the range that were delivered by their due time."""
    lo, hi = _bounds(start, end)
    found = _by_province(
        DeskRequest.objects.filter(delivered_at__gte=lo, delivered_at__lt=hi, due_at__isnull=False)
    )
    return {iso: _dec(100 * sum(_on_time(r) for r in rows) / len(rows), "0.1") for iso, rows in found.items()}


def _on_time(r: DeskRequest) -> bool:
    return r.delivered_at is not None and r.due_at is not None and r.delivered_at <= r.due_at


def metric_satisfaction(start: date, end: date) -> dict[str, Decimal]:
    """Mean rating (1–5) of the requests closed in the range with a rating."""
    lo, hi = _bounds(start, end)
    found = _by_province(
        DeskRequest.objects.filter(closed_at__gte=lo, closed_at__lt=hi, rating__isnull=False)
    )
    return {iso: _dec(mean(float(r.rating or 0) for r in rows)) for iso, rows in found.items()}


def metric_first_response(start: date, end: date) -> dict[str, Decimal]:
    """Mean working hours from filing to PR's first response, for requests filed in the range."""
    lo, hi = _bounds(start, end)
    found = _by_province(
        DeskRequest.objects.filter(created_at__gte=lo, created_at__lt=hi, first_response_at__isnull=False)
    )
    if not found:
        return {}
    calendar = workcal.schedule(start - timedelta(days=1), end + timedelta(days=400))
    return {iso: _dec(mean(_response_hours(calendar, r) for r in rows)) for iso, rows in found.items()}


def _response_hours(calendar: hours.Schedule, r: DeskRequest) -> float:
    return hours.working_hours_between(calendar, r.created_at, r.first_response_at or r.created_at)
