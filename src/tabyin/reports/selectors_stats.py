"""Published statistics of violation reports: counts and the median time to close, nothing else.

Live reports and the tallies deleted reports left (``ArchivedTally``) are added up, so figures do
not shrink when reports reach the end of their retention period. Each figure is one margin (by
category, by province, by public status, by Jalali year), never a cross-table, and any count
below ``TABYIN_REPORTS_STATS_MIN_COUNT`` is published only as "fewer than N": a small number
could point at a person. Statuses are the coarse public ones, as the reporters see them.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone, translation

from tabyin.core import jalali
from tabyin.core.enums import UnitKind
from tabyin.core.models import OrgUnit
from tabyin.reports.enums import PUBLIC_STATUS, PublicStatus
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
    as_of: date
    min_count: int
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


def _sums() -> _Sums:
    sums = _Sums(Counter(), Counter(), Counter(), Counter(), [])
    rows = Report.objects.values_list("category_id", "province_id", "status", "received_at", "closed_at")
    for category_id, province_id, status, received_at, closed_at in rows.iterator():
        sums.category[category_id] += 1
        sums.province[province_id] += 1
        sums.status[PUBLIC_STATUS[status]] += 1
        sums.year[_year(received_at)] += 1
        if closed_at is not None:
            sums.days.append((closed_at - received_at).days)
    for tally in ArchivedTally.objects.all():
        sums.category[tally.category_id] += tally.count
        sums.province[tally.province_id] += tally.count
        sums.status[PUBLIC_STATUS[tally.status]] += tally.count
        sums.year[tally.year] += tally.count
        sums.days.extend(int(d) for d in tally.days_to_close)
    return sums


def _shown(value: int, min_count: int) -> int | None:
    return value if value >= min_count else None


def report_statistics() -> Statistics:
    min_count = settings.TABYIN_REPORTS_STATS_MIN_COUNT
    sums = _sums()
    categories = [
        Count(c.code, c.name_fa, c.name_en, _shown(sums.category[c.pk], min_count))
        for c in Category.objects.all()
        if c.is_active or sums.category[c.pk]
    ]
    provinces = [
        Count(p.iso_code, p.name_fa, p.name_en, _shown(sums.province[p.pk], min_count))
        for p in OrgUnit.objects.filter(kind=UnitKind.PROVINCE).order_by("iso_code")
    ]
    provinces.append(
        Count(
            NATIONAL,
            "ستاد یا بیش از یک استان",
            "Headquarters or no single province",
            _shown(sums.province[None], min_count),
        )
    )
    by_status = [
        Count(s.value, _label(s, "fa"), _label(s, "en"), _shown(sums.status[s.value], min_count))
        for s in PublicStatus
    ]
    years = [Count(str(y), str(y), str(y), _shown(sums.year[y], min_count)) for y in sorted(sums.year)]
    total = sum(sums.category.values())
    closed = len(sums.days)
    enough = closed >= min_count
    return Statistics(
        as_of=timezone.localdate(),
        min_count=min_count,
        total=_shown(total, min_count),
        closed=_shown(closed, min_count),
        median_days_to_close=float(statistics.median(sums.days)) if enough else None,
        by_category=categories,
        by_province=provinces,
        by_status=by_status,
        by_year=years,
    )


def _label(status: PublicStatus, language: str) -> str:
    with translation.override(language):
        return str(status.label)
