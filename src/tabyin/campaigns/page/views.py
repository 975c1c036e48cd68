"""The managers' campaign page. Thin: ``page.selectors`` reads, ``page.charts`` draws."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from tabyin.campaigns import permissions
from tabyin.campaigns.page import charts, selectors
from tabyin.campaigns.plan.forms import OutcomeForm, SeriesForm
from tabyin.campaigns.plan.selectors import campaigns_for
from tabyin.core.decorators import staff_required
from tabyin.core.http import page_language, staff_user
from tabyin.core.scoping import scope_for


@staff_required
def campaign_page(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = staff_user(request)
    campaign = get_object_or_404(campaigns_for(user=user), pk=campaign_id)
    page = selectors.campaign_page(campaign=campaign)
    series = page.outcome
    chart = (
        charts.outcome_chart(
            series.months,
            series.treated,
            series.held_out,
            launch=series.first_launch,
            language=page_language(),
        )
        if series.months
        else None
    )
    found = page.effect
    effect_chart = (
        charts.effect_chart(
            found.months,
            found.observed,
            found.counterfactual,
            launch=series.first_launch,
            language=page_language(),
        )
        if found.months
        else None
    )
    context = {
        "page": page,
        "chart": chart,
        "effect_chart": effect_chart,
        "outcome_rows": list(zip(series.months, series.treated, series.held_out, strict=True)),
        "manage": permissions.can_manage(scope_for(user)),
        "outcome_form": OutcomeForm(),
        "series_form": SeriesForm(initial={"series": campaign.outcome_source}),
    }
    return render(request, "campaigns/campaign.html", context)
