"""The monitoring dashboard (staff/monitor/). Thin: the selector scopes and counts, charts draw;
users without monitoring rights get the 403 page (``PermissionDenied`` from the selector)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tabyin.core.decorators import staff_required
from tabyin.core.http import page_language, staff_user
from tabyin.core.scoping import scope_for
from tabyin.monitor.dashboard import charts
from tabyin.monitor.dashboard import selectors as selectors_dashboard
from tabyin.monitor.dashboard.forms import PERIOD_CHOICES, DashboardFilterForm
from tabyin.monitor.enums import Sentiment


@never_cache
@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = scope_for(staff_user(request))
    provinces, queries = selectors_dashboard.filter_choices(scope)
    form = DashboardFilterForm(
        request.GET or None, provinces=provinces, queries=queries, language=page_language()
    )
    figures = selectors_dashboard.dashboard(
        scope=scope, filters=form.filters(), now=timezone.now(), ours_label=_("Our organization")
    )
    return render(
        request,
        "monitor/staff/dashboard.html",
        {
            "form": form,
            "d": figures,
            "charts": charts.dashboard_charts(figures, language=page_language()),
            "sentiment_choices": Sentiment.choices,
            "period_label": dict(PERIOD_CHOICES)[figures.filters.period],
            "voice": [(v, charts.percent(v.share, page_language())) for v in figures.voice],
            "query": request.GET.urlencode(),
        },
    )
