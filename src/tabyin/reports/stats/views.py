"""/reports/statistics/: the published figures of violation reports, as a plain table page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tabyin.reports.stats import selectors as selectors_stats


@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/stats/index.html", {"stats": selectors_stats.report_statistics()})
