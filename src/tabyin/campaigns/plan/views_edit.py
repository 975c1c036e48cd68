"""Staff pages that edit a campaign's plan: provinces with launch months and the suggested
hold-out, and the materials. Thin: the services check the rights and audit; no JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tabyin.campaigns import permissions
from tabyin.campaigns.enums import ProvinceRole
from tabyin.campaigns.plan import selectors, services_edit
from tabyin.campaigns.plan.forms import MaterialEditForm, MaterialForm, PlanForm
from tabyin.campaigns.plan.models import Campaign, Material
from tabyin.core.decorators import staff_required
from tabyin.core.display.numbers import localize_digits
from tabyin.core.http import add_service_errors, page_language, staff_user
from tabyin.core.jalali import period_code
from tabyin.core.models import User
from tabyin.core.scoping import scope_for


def _managed(request: HttpRequest, campaign_id: int) -> tuple[User, Campaign]:
    user = staff_user(request)
    permissions.require(permissions.can_manage(scope_for(user)))
    campaign = get_object_or_404(selectors.campaigns_for(user=user).filter(standing=False), pk=campaign_id)
    return user, campaign


def _initial(campaign: Campaign) -> dict[str, object]:
    # Months and the seed in the page's digits (the form reads Persian and Latin digits alike).
    language = page_language()
    initial: dict[str, object] = {"seed": localize_digits("1405", language)}
    held = 0
    for cp in selectors.campaign_provinces(campaign=campaign):
        initial[f"role_{cp.province.iso_code}"] = cp.role
        if cp.launch_month is not None:
            initial[f"month_{cp.province.iso_code}"] = localize_digits(period_code(cp.launch_month), language)
        held += cp.role == ProvinceRole.HELD_OUT
    initial["count"] = held or None
    return initial


@staff_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user, campaign = _managed(request, campaign_id)
    if request.method == "GET":
        form = PlanForm(initial=_initial(campaign))
        return render(request, "campaigns/plan.html", {"campaign": campaign, "form": form})
    form = PlanForm(request.POST)
    suggestion = None
    if form.is_valid() and "suggest" in request.POST:
        try:
            suggestion = services_edit.holdout_suggest(
                actor=user,
                campaign=campaign,
                units=form.chosen(),
                count=form.cleaned_data["count"] or 0,
                seed=form.cleaned_data["seed"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # The split is only proposed: the form comes back filled with it, to accept or edit.
            data = request.POST.copy()
            held = {u.iso_code for u in suggestion.held_out}
            for unit in form.chosen():
                code = unit.iso_code
                data[f"role_{code}"] = ProvinceRole.HELD_OUT if code in held else ProvinceRole.TREATED
                if code in held:
                    data[f"month_{code}"] = ""
                elif not data.get(f"month_{code}"):
                    data[f"month_{code}"] = localize_digits(period_code(campaign.starts_on), page_language())
            form = PlanForm(data)
            form.is_valid()
    elif form.is_valid():
        treated, held_out = form.roles()
        if form.is_valid():
            try:
                services_edit.provinces_set(actor=user, campaign=campaign, treated=treated, held_out=held_out)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The campaign's provinces were saved."))
                return redirect("campaigns:campaign", campaign_id=campaign.pk)
    status = 200 if suggestion is not None else 400
    context = {"campaign": campaign, "form": form, "suggestion": suggestion}
    return render(request, "campaigns/plan.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def materials(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user, campaign = _managed(request, campaign_id)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_edit.material_add(
                actor=user,
                campaign=campaign,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                url=data["url"],
                image=data["image"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The material was added."))
            return redirect("campaigns:materials", campaign_id=campaign.pk)
    rows = [
        (m, MaterialEditForm(initial={"title": m.title, "body": m.body, "url": m.url}, prefix=f"m{m.pk}"))
        for m in campaign.materials.all()
    ]
    status = 400 if request.method == "POST" else 200
    context = {"campaign": campaign, "form": form, "rows": rows}
    return render(request, "campaigns/materials.html", context, status=status)


@staff_required
@require_POST
def material_change(request: HttpRequest, campaign_id: int, material_id: int) -> HttpResponse:
    user, campaign = _managed(request, campaign_id)
    material = get_object_or_404(campaign.materials, pk=material_id)
    if "remove" in request.POST:
        services_edit.material_remove(actor=user, material=material)
        messages.success(request, _("The material was removed."))
        return redirect("campaigns:materials", campaign_id=campaign.pk)
    form = MaterialEditForm(request.POST, prefix=f"m{material.pk}")
    if form.is_valid():
        try:
            services_edit.material_edit(actor=user, material=material, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The material was saved."))
    else:
        messages.error(request, _("The material was not saved: check its title and address."))
    return redirect("campaigns:materials", campaign_id=campaign.pk)


@staff_required  # type: ignore[arg-type]  # a file answer, not an HttpResponse
def material_image(request: HttpRequest, material_id: int) -> FileResponse:
    """Images are staff material until a message carries them: served only behind the session."""
    user = staff_user(request)
    permissions.require(permissions.can_see(scope_for(user)))
    material = get_object_or_404(Material, pk=material_id)
    if not material.image:
        raise Http404
    response = FileResponse(material.image.open("rb"), content_type=material.image_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response
