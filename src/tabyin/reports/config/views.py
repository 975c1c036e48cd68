"""Staff pages that configure the reports module (national administrators only).

Thin: parse, call services_config, render. None of these pages touches a report: they show
categories, rules, who holds keys, and which units a report would reach. A ``PermissionDenied``
from the service becomes the shell's 403 page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tabyin.core.decorators import staff_required
from tabyin.core.http import staff_user
from tabyin.reports.config import services as services_config
from tabyin.reports.config.forms import CategoryForm, PreviewForm, RuleForm
from tabyin.reports.models import Category, RoutingRule

TEMPLATES = "reports/config/"


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    units = services_config.units_overview(actor=actor)
    return render(
        request,
        TEMPLATES + "index.html",
        {
            "categories": services_config.categories(actor=actor),
            "rule_count": sum(1 for r in services_config.rules(actor=actor) if r.is_active),
            "unit_count": len(units),
            "units_without_holder": sum(1 for u in units if u.holders == 0),
        },
    )


@staff_required
def category(request: HttpRequest, code: str) -> HttpResponse:
    actor = staff_user(request)
    services_config.require_configure(actor)
    found = Category.objects.filter(code=code).first()
    if found is None:
        raise Http404
    form = CategoryForm(request.POST or None, initial=CategoryForm.initial_for(found))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in services_config.CATEGORY_FIELDS}
        try:
            services_config.category_update(actor=actor, category=found, **changes)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("reports:config")
    return render(request, TEMPLATES + "category.html", {"category": found, "form": form})


@staff_required
def rules(request: HttpRequest) -> HttpResponse:
    """The rules, a form to add one, and the routing preview (a GET form: it changes nothing)."""
    actor = staff_user(request)
    found = services_config.rules(actor=actor)
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_config.rule_create(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The rule is added."))
            return redirect("reports:config-rules")
    # Its own ids: the add-a-rule form on the same page has fields of the same names.
    preview_form = PreviewForm(request.GET if "category" in request.GET else None, auto_id="preview_%s")
    preview = None
    if preview_form.is_bound and preview_form.is_valid():
        data = preview_form.cleaned_data
        preview = services_config.routing_preview(
            actor=actor,
            category=data["category"],
            province=data["province"],
            concerns=set(data["concerns"]),
            excluded=set(data["excluded"]),
        )
    return render(
        request,
        TEMPLATES + "rules.html",
        {"rules": found, "form": form, "preview_form": preview_form, "preview": preview},
    )


@staff_required
def rule(request: HttpRequest, pk: int) -> HttpResponse:
    actor = staff_user(request)
    services_config.require_configure(actor)
    found = RoutingRule.objects.select_related("category", "province").filter(pk=pk).first()
    if found is None:
        raise Http404
    form = RuleForm(request.POST or None, initial=RuleForm.initial_for(found))
    if request.method == "POST" and form.is_valid():
        try:
            services_config.rule_update(actor=actor, rule=found, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("reports:config-rules")
    return render(request, TEMPLATES + "rule.html", {"rule": found, "form": form})


@staff_required
def units(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    return render(request, TEMPLATES + "units.html", {"units": services_config.units_overview(actor=actor)})
