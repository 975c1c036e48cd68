"""Staff pages of alerts: the list with acknowledgement, and the rules. Thin: services decide."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import add_service_errors, safe_next, staff_user
from tabyin.monitor.alerts import selectors as selectors_alerts
from tabyin.monitor.alerts import services as services_alerts
from tabyin.monitor.alerts.forms import AlertFilterForm, AlertRuleForm
from tabyin.monitor.models import AlertRule

TEMPLATES = "monitor/staff/"


@staff_required
def alerts(request: HttpRequest) -> HttpResponse:
    form = AlertFilterForm(request.GET or None)
    found = selectors_alerts.alerts_list(actor=staff_user(request), filters=form.filters())
    return render(request, TEMPLATES + "alerts.html", {"alerts": found, "form": form})


@require_POST
@staff_required
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    actor = staff_user(request)
    try:
        alert = selectors_alerts.alert_get(actor=actor, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    services_alerts.alert_acknowledge(actor=actor, alert=alert)
    messages.success(request, _("Alert acknowledged: it will not be escalated."))
    return redirect(safe_next(request, reverse("monitor:alerts")))


@staff_required
def rules(request: HttpRequest) -> HttpResponse:
    found = selectors_alerts.rules_list(actor=staff_user(request))
    return render(request, TEMPLATES + "alerts_rules.html", {"rules": found})


def _rule_form(request: HttpRequest, rule: AlertRule | None) -> HttpResponse:
    form = AlertRuleForm(request.POST or None, initial=AlertRuleForm.initial_for(rule))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services_alerts.alert_rule_save(actor=staff_user(request), rule=rule, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The alert rule is saved."))
            return redirect("monitor:alert-rule-edit", pk=saved.pk)
    return render(request, TEMPLATES + "alerts_rule.html", {"rule": rule, "form": form})


@staff_required
def rule_add(request: HttpRequest) -> HttpResponse:
    selectors_alerts.require_configure(actor=staff_user(request))
    return _rule_form(request, None)


@staff_required
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        rule = selectors_alerts.rule_get(actor=staff_user(request), pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    return _rule_form(request, rule)
