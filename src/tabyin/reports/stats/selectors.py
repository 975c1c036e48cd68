"""Published statistics of violation reports: counts and the median time to close, nothing else.

Live reports and the tallies deleted reports left (``ArchivedTally``) are added up, so figures do
not shrink when reports reach the end of their retention period. Each figure is one margin (by
category, by province, by public status, by Jalali year), never a cross-table. Statuses are the
coarse public ones, as the reporters see them.

Three rules keep a figure from pointing at a person (issue 15, point 6a):

- Complete months only. The figures stop at the end of the last complete Jalali month (``as_of``)
  and are recomputed from the same rows all month: a report arriving today changes nothing
  published until the month is over, so the moment of a submission cannot be seen.
- Small counts are hidden: a count below ``TABYIN_REPORTS_STATS_MIN_COUNT`` (m) is published only as
  "fewer than m".
- Every other count, the total included, is rounded to a multiple of ``rounded_to`` (m, or a
  multiple of it). With exact figures, "total minus the shown cells" of a margin gave back the
  hidden ones; rounded, it gives a range. ``protect`` checks that range for every hidden cell the
  way an attacker would (``_ranges``) and doubles the base until no hidden cell has a single
  possible value. tests/reports/test_stats_disclosure.py attacks the published figures
  independently.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone, translation

from tabyin.core import jalali
from tabyin.core.enums import UnitKind
from tabyin.core.models import OrgUnit
from tabyin.reports.enums import CLOSED_STATUSES, PUBLIC_STATUS, PublicStatus
from tabyin.reports.models import ArchivedTally, Category, Report

NATIONAL = ""  # the province key of reports about headquarters or no single province


@dataclass(frozen=True)
class Count:
    key: str
    name_fa: str
    name_en: str
    count: int | None  # None: suppressed (fewer than ``min_count``)

    @property
    def suppressed(self) -> bool:
        return self.count is None

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_fa


@dataclass(frozen=True)
class Statistics:
    as_of: date  # the last day counted: the end of the last complete Jalali month
    min_count: int
    rounded_to: int  # every published count is a multiple of this
    total: int | None
    closed: int | None
    median_days_to_close: float | None  # None when fewer than ``min_count`` reports are closed
    by_category: list[Count]
    by_province: list[Count]
    by_status: list[Count]
    by_year: list[Count]


@dataclass
class _Sums:
    category: Counter[int]
    province: Counter[int | None]
    status: Counter[str]
    year: Counter[int]
    days: list[int]


def _year(moment: datetime) -> int:
    return int(jalali.to_jalali(moment).year)


def month_start(today: date) -> datetime:
    """The first moment of ``today``'s Jalali month, Tehran time: reports from then on wait."""
    first = jalali.period_bounds(jalali.period_code(today))[0]
    return timezone.make_aware(datetime.combine(first, time.min), jalali.TEHRAN)


def _sums(cutoff: datetime) -> _Sums:
    """Reports received before ``cutoff``, each in the public status it had then: closed if it was
    closed by then; one closed since counts as in progress (a closed report without a closing time
    counts as closed). Received versus in progress of a report still open follows its status now:
    no history of it is kept."""
    sums = _Sums(Counter(), Counter(), Counter(), Counter(), [])
    rows = Report.objects.filter(received_at__lt=cutoff).values_list(
        "category_id", "province_id", "status", "received_at", "closed_at"
    )
    for category_id, province_id, status, received_at, closed_at in rows.iterator():
        closed_then = closed_at is not None and closed_at < cutoff
        public: str = PUBLIC_STATUS[status]
        if status in CLOSED_STATUSES and closed_at is not None and not closed_then:
            public = PublicStatus.IN_PROGRESS.value  # closed since the cutoff
        sums.category[category_id] += 1
        sums.province[province_id] += 1
        sums.status[public] += 1
        sums.year[_year(received_at)] += 1
        if closed_at is not None and closed_then:
            sums.days.append((closed_at - received_at).days)
    # A tally is per Jalali year: deletions happen at the end of a retention period of months or
    # years, so a tally of reports received after the cutoff does not exist in practice.
    for tally in ArchivedTally.objects.all():
        sums.category[tally.category_id] += tally.count
        sums.province[tally.province_id] += tally.count
        sums.status[PUBLIC_STATUS[tally.status]] += tally.count
        sums.year[tally.year] += tally.count
        sums.days.extend(int(d) for d in tally.days_to_close)
    return sums


# A cell: its true count and the least a reader knows it to be (1 for a row listed only because it
# has reports: a year, a retired category).
Cell = tuple[int, int]


def _publish(value: int, min_count: int, base: int) -> int | None:
    if value < min_count:
        return None
    return max(min_count, base * ((2 * value + base) // (2 * base)))  # nearest multiple, half up


def _known(published: int | None, floor: int, min_count: int, base: int) -> tuple[int, int]:
    """What a reader can tell of a count from its published form: an inclusive range."""
    if published is None:
        return floor, min_count - 1
    if published == min_count and base > min_count:  # raised to min_count from a rounded 0
        return min_count, (base + 1) // 2 - 1
    return max(published - base // 2, min_count), published + (base - 1) // 2


def _ranges(total: Cell, margins: list[list[Cell]], min_count: int, base: int) -> list[list[tuple[int, int]]]:
    """The attacker: each margin's cells add up to the total; what range is each hidden cell then
    confined to? (Exact for margins that share only their total.)"""
    known = [[_known(_publish(v, min_count, base), f, min_count, base) for v, f in m] for m in margins]
    t_low, t_high = _known(_publish(total[0], min_count, base), total[1], min_count, base)
    for cells in known:
        t_low, t_high = max(t_low, sum(c[0] for c in cells)), min(t_high, sum(c[1] for c in cells))
    ranges = []
    for margin, cells in zip(margins, known, strict=True):
        low_sum, high_sum = sum(c[0] for c in cells), sum(c[1] for c in cells)
        ranges.append(
            [
                (max(lo, t_low - (high_sum - hi)), min(hi, t_high - (low_sum - lo)))
                if _publish(v, min_count, base) is None
                else (lo, hi)
                for (v, _f), (lo, hi) in zip(margin, cells, strict=True)
            ]
        )
    return ranges


def protect(total: Cell, margins: list[list[Cell]], min_count: int) -> int:
    """The rounding base (``min_count`` times a power of two) at which no hidden cell of any margin
    can be narrowed down to a single value."""
    base = min_count
    while base <= 2 * max(total[0], min_count):
        ranges = _ranges(total, margins, min_count, base)
        hidden = [
            r
            for margin, rs in zip(margins, ranges, strict=True)
            for (v, f), r in zip(margin, rs, strict=True)
            if v < min_count and f < min_count - 1  # "fewer than 1" is 0 already: nothing to keep
        ]
        if all(low < high for low, high in hidden):
            return base
        base *= 2
    return base


def report_statistics(today: date | None = None) -> Statistics:
    min_count = settings.TABYIN_REPORTS_STATS_MIN_COUNT
    cutoff = month_start(today or timezone.localdate())
    sums = _sums(cutoff)
    categories = [c for c in Category.objects.all() if c.is_active or sums.category[c.pk]]
    provinces = list(OrgUnit.objects.filter(kind=UnitKind.PROVINCE).order_by("iso_code"))
    years = sorted(sums.year)
    total = sum(sums.category.values())
    margins: list[list[Cell]] = [
        [(sums.category[c.pk], 0 if c.is_active else 1) for c in categories],
        [(sums.province[p.pk], 0) for p in provinces] + [(sums.province[None], 0)],
        [(sums.status[st.value], 0) for st in PublicStatus],
        [(sums.year[y], 1) for y in years],
    ]
    base = protect((total, 0), margins, min_count)

    def shown(value: int) -> int | None:
        return _publish(value, min_count, base)

    closed = len(sums.days)
    return Statistics(
        as_of=cutoff.date() - timedelta(days=1),
        min_count=min_count,
        rounded_to=base,
        total=shown(total),
        # The same count as the "closed" status row, so it is published the same way.
        closed=shown(sums.status[PublicStatus.CLOSED.value]),
        median_days_to_close=float(statistics.median(sums.days)) if closed >= min_count else None,
        by_category=[Count(c.code, c.name_fa, c.name_en, shown(sums.category[c.pk])) for c in categories],
        by_province=[Count(p.iso_code, p.name_fa, p.name_en, shown(sums.province[p.pk])) for p in provinces]
        + [
            Count(
                NATIONAL,
                "ستاد یا بیش از یک استان",
                "Headquarters or no single province",
                shown(sums.province[None]),
            )
        ],
        by_status=[
            Count(st.value, _label(st, "fa"), _label(st, "en"), shown(sums.status[st.value]))
            for st in PublicStatus
        ],
        by_year=[Count(str(y), str(y), str(y), shown(sums.year[y])) for y in years],
    )


def _label(status: PublicStatus, language: str) -> str:
    with translation.override(language):
        return str(status.label)
