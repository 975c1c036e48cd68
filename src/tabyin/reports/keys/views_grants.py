"""Two-person grants of a first key holder (``services_grants``): administrators and trustees
propose, a second person approves or refuses. A trustee takes part only with their key open, so
this page sends them to unlock it first."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tabyin.core.decorators import staff_required
from tabyin.core.http import staff_user
from tabyin.reports.keys import services_grants
from tabyin.reports.keys.views import to_keys, unlocked_key
from tabyin.reports.models import KeyGrant


def _pick(actor_candidates: list[services_grants.Candidate], value: str) -> services_grants.Candidate:
    found = next((c for c in actor_candidates if c.value == value), None)
    if found is None:
        raise Http404
    return found


@never_cache
@staff_required
def grants(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    if not services_grants.may_take_part(actor):
        raise PermissionDenied("only administrators and holders of a headquarters or custodians' key")
    opened = unlocked_key(request)
    trustee = bool(services_grants.trustee_keyrings(actor))
    if request.method == "POST":
        if trustee and opened is None:
            return to_keys(request, back=reverse("reports:grants"))
        action = request.POST.get("action", "")
        try:
            if action == "propose":
                chosen = _pick(services_grants.candidates(actor), request.POST.get("candidate", ""))
                services_grants.grant_propose(
                    actor=actor, unlocked=opened, grantee=chosen.user, unit=chosen.unit
                )
                messages.success(request, _("Your proposal waits for a second person."))
            elif action in ("approve", "refuse"):
                number = request.POST.get("grant", "")
                grant = KeyGrant.objects.filter(
                    pk=int(number) if number.isascii() and number.isdigit() else 0
                ).first()
                if grant is None:
                    raise Http404
                if action == "approve":
                    services_grants.grant_approve(actor=actor, unlocked=opened, grant=grant)
                    messages.success(request, _("The key is granted; the unit's handlers are told."))
                else:
                    services_grants.grant_refuse(actor=actor, unlocked=opened, grant=grant)
                    messages.success(request, _("The grant is refused."))
            else:
                raise Http404
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("reports:grants")
    return render(
        request,
        "reports/staff/grants.html",
        {
            "pending": services_grants.pending(),
            "candidates": services_grants.candidates(actor),
            "recent": services_grants.recent(),
            "trustee": trustee,
            "is_open": opened is not None,
            "actor_id": actor.pk,
        },
    )
