"""/api/v1/reports/: published, non-identifying statistics of violation reports (django-ninja).

A Router contributed to core's public API through the registry (``contrib``), its routes named
``reports-api-v1:<name>``; the one OpenAPI document is /api/v1/openapi.json. ASCII digits and ISO
dates. A count below ``min_count`` is ``null`` with
``"suppressed": true``: a small number could point at a person.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from tabyin.core import demo as core_demo
from tabyin.core.api.responses import json_response
from tabyin.core.caching.conditional import CACHE_CONTROL
from tabyin.reports.api import schemas as s
from tabyin.reports.stats import selectors as selectors_stats

router = Router()


def _count(value: int | None) -> dict[str, Any]:
    return {"count": value, "suppressed": value is None}


def _rows(rows: list[selectors_stats.Count]) -> list[dict[str, Any]]:
    return [{"key": r.key, "name_fa": r.name_fa, "name_en": r.name_en, **_count(r.count)} for r in rows]


def statistics_document() -> dict[str, Any]:
    stats = selectors_stats.report_statistics()
    return {
        "as_of": stats.as_of.isoformat(),
        "min_count": stats.min_count,
        "rounded_to": stats.rounded_to,
        "sample_data": core_demo.is_demo(),
        "total": _count(stats.total),
        "closed": _count(stats.closed),
        "median_days_to_close": {
            "days": stats.median_days_to_close,
            "suppressed": stats.median_days_to_close is None,
        },
        "by_category": _rows(stats.by_category),
        "by_province": _rows(stats.by_province),
        "by_status": _rows(stats.by_status),
        "by_year": _rows(stats.by_year),
    }


@router.get(
    "/statistics",
    response={200: s.StatisticsOut},
    url_name="statistics",
    summary="Counts of violation reports and the median time to close",
    tags=["reports"],
)
def statistics(request: HttpRequest) -> HttpResponse:
    """Counts by category, by province, by public status and by Jalali year of receipt, and the
    median number of days to close, over live reports and those already deleted at the end of
    their retention period. Each is a single margin, never a cross-table."""
    response = json_response(statistics_document())
    response["Cache-Control"] = CACHE_CONTROL
    response["Access-Control-Allow-Origin"] = "*"  # open data, no cookies involved
    return response
