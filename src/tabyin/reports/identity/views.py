"""Identity requests: a handler asks, a custodian decides. Custodians' pages show the case number,
the unit, who asked, why and when; never the report.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tabyin.core.decorators import staff_required
from tabyin.core.http import staff_user
from tabyin.reports.cases.forms import IdentityRequestForm
from tabyin.reports.cases.views import mine_or_404
from tabyin.reports.identity import services as services_identity
from tabyin.reports.identity.forms import DecideForm
from tabyin.reports.keys.views import unlocked_key
from tabyin.reports.models import IdentityRequest


@never_cache
@staff_required
def identity_request(request: HttpRequest, pk: int) -> HttpResponse:
    actor = staff_user(request)
    report = mine_or_404(actor, pk)
    form = IdentityRequestForm(request.POST or None, prefix="identity")
    if request.method == "POST" and form.is_valid():
        try:
            services_identity.identity_request(actor=actor, report=report, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request is sent to the identity custodians."))
            return redirect(f"{reverse('reports:case', args=[pk])}#identity")
    return render(
        request,
        "reports/staff/identity_request.html",
        {"report": report, "form": form},
        status=400 if form.is_bound else 200,
    )


def _queue(request: HttpRequest, bound: tuple[int, DecideForm] | None = None) -> HttpResponse:
    actor = staff_user(request)
    rows = [
        {
            "request": v.request,
            "reason": v.reason,
            "decision": v.decision,
            "form": (
                bound[1] if bound and bound[0] == v.request.pk else DecideForm(prefix=f"decide{v.request.pk}")
            )
            if v.request.state == "pending"
            else None,
        }
        for v in services_identity.requests_for_custodian(actor, unlocked_key(request))
    ]
    return render(
        request,
        "reports/staff/identity_queue.html",
        {"rows": rows, "is_open": unlocked_key(request) is not None},
        status=400 if bound else 200,
    )


@never_cache
@staff_required
def identity_queue(request: HttpRequest) -> HttpResponse:
    return _queue(request)


@never_cache
@staff_required
def identity_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = staff_user(request)
    services_identity.requests_for_custodian(actor)  # 403 for anyone but a custodian
    found = IdentityRequest.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    if request.method != "POST":
        return redirect("reports:identity-queue")
    form = DecideForm(request.POST, prefix=f"decide{pk}")
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        opened = unlocked_key(request)
        if approve and opened is None:
            form.add_error(None, _("Unlock your key first: approving unseals the identity with it."))
        else:
            try:
                services_identity.identity_decide(
                    actor=actor,
                    unlocked=opened,
                    request=found,
                    approve=approve,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your decision is recorded."))
                return redirect("reports:identity-queue")
    return _queue(request, (pk, form))
