"""Staff pages of campaign planning: the list, a new campaign, and the outcome import. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tabyin.campaigns import permissions
from tabyin.campaigns.plan import selectors, services
from tabyin.campaigns.plan.forms import CampaignForm, OutcomeForm, SeriesForm
from tabyin.core.decorators import staff_required
from tabyin.core.http import add_service_errors, staff_user
from tabyin.core.jalali import period_bounds, period_code
from tabyin.core.scoping import scope_for


@staff_required
@require_http_methods(["GET", "POST"])
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    permissions.require(permissions.can_see(scope_for(user)))
    manage = permissions.can_manage(scope_for(user))
    form = CampaignForm(request.POST or None) if manage else None
    if request.method == "POST":
        permissions.require(manage)
        assert form is not None
        if form.is_valid():
            data = form.cleaned_data
            try:
                campaign = services.campaign_create(
                    actor=user,
                    title=data["title"],
                    aim=data["aim"],
                    segments=data["segments"],
                    starts_on=data["start_month"],
                    ends_on=period_bounds(period_code(data["end_month"]))[1],
                    outcome_name=data["outcome_name"],
                    treated=dict.fromkeys(data["provinces"], data["start_month"]),
                    held_out=list(data["held_out"]),
                    key_messages=data["key_messages"].splitlines(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The campaign was created."))
                return redirect("campaigns:campaign", campaign_id=campaign.pk)
    status = 400 if request.method == "POST" else 200
    context = {"campaigns": selectors.campaigns_for(user=user), "form": form}
    return render(request, "campaigns/list.html", context, status=status)


@staff_required
@require_POST
def outcome_import(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = staff_user(request)
    campaign = get_object_or_404(selectors.campaigns_for(user=user), pk=campaign_id)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            count = services.outcome_import(actor=user, campaign=campaign, text=form.cleaned_data["rows"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(count)d values were saved.") % {"count": count})
            return redirect("campaigns:campaign", campaign_id=campaign.pk)
    context = {"campaign": campaign, "form": form}
    return render(request, "campaigns/outcome.html", context, status=400)


@staff_required
@require_POST
def outcome_series(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = staff_user(request)
    campaign = get_object_or_404(selectors.campaigns_for(user=user), pk=campaign_id)
    form = SeriesForm(request.POST)
    if form.is_valid():
        try:
            count = services.outcome_from_series(
                actor=user, campaign=campaign, key=form.cleaned_data["series"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(count)d values were saved.") % {"count": count})
            return redirect("campaigns:campaign", campaign_id=campaign.pk)
    context = {"campaign": campaign, "form": OutcomeForm(), "series_form": form}
    return render(request, "campaigns/outcome.html", context, status=400)
