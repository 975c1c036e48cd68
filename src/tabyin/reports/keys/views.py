"""The handler's key: set a passphrase once, unlock it per session, lock it, share the unit's key
with a colleague. The opened key lives in ``vault`` (ciphertext in the shared cache, its key in a
SameSite=Strict cookie) for at most ``vault.HANDLER.max_age``, and is forgotten at log-out.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import safe_next, staff_user
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.reports import permissions
from tabyin.reports.crypto import vault
from tabyin.reports.keys import services as services_keys
from tabyin.reports.keys import services_grants
from tabyin.reports.keys.forms import KeysChangeForm, KeysSetupForm, KeysUnlockForm
from tabyin.reports.models import Keyring


def unlocked_key(request: HttpRequest) -> services_keys.Unlocked | None:
    user = staff_user(request)
    private = vault.get(request, vault.HANDLER, owner=str(user.pk))
    return None if private is None else services_keys.Unlocked(user_id=user.pk, private_key=private)


def to_keys(request: HttpRequest, back: str = "") -> HttpResponseRedirect:
    """Pages that need the key send the user to unlock it, and back (to ``back`` for a POST)."""
    target = back or request.get_full_path()
    return HttpResponseRedirect(f"{reverse('reports:keys')}?{urlencode({'next': target})}")


def forget_on_logout(sender: object, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """``user_logged_out`` receiver: the server half of the opened key goes with the session."""
    if request is not None:
        vault.forget(request, vault.HANDLER)


def _number(value: str) -> int:
    return int(value) if value.isascii() and value.isdigit() else 0


def _require_holder(user: User) -> None:
    scope = scope_for(user)
    if not (permissions.is_handler(scope) or permissions.is_custodian(scope)):
        raise PermissionDenied("only case handlers and custodians hold report keys")


@never_cache
@staff_required
def keys(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    _require_holder(user)
    has_key = services_keys.has_key(user)
    action = request.POST.get("action", "")
    setup = KeysSetupForm(request.POST if action in ("setup", "reset") else None, prefix="setup")
    unlock = KeysUnlockForm(request.POST if action == "unlock" else None, prefix="unlock")
    change = KeysChangeForm(request.POST if action == "change" else None, prefix="change")
    if request.method == "POST":
        opened: services_keys.Unlocked | None = None
        try:
            if action in ("setup", "reset") and (action == "reset" or not has_key) and setup.is_valid():
                opened = services_keys.keys_setup(user=user, passphrase=setup.cleaned_data["passphrase"])
            elif action == "unlock" and unlock.is_valid():
                opened = services_keys.keys_unlock(user=user, passphrase=unlock.cleaned_data["passphrase"])
            elif action == "change" and has_key and change.is_valid():
                opened = services_keys.keys_change_passphrase(
                    user=user, old=change.cleaned_data["current"], new=change.cleaned_data["passphrase"]
                )
        except ValidationError as error:
            form = {"unlock": unlock, "change": change}.get(action, setup)
            form.add_error("current" if action == "change" and error.code == "wrong" else "passphrase", error)
        if opened is not None:
            response = redirect(safe_next(request, reverse("reports:inbox")))
            vault.put(response, vault.HANDLER, opened.private_key, owner=str(user.pk))
            messages.success(request, _("Your key is unlocked for this session."))
            return response
    is_open = unlocked_key(request) is not None
    held = Keyring.objects.filter(shares__user=user).select_related("unit")
    return render(
        request,
        "reports/staff/keys.html",
        {
            "has_key": has_key,
            "is_open": is_open,
            "setup": setup,
            "unlock": unlock,
            "reset_open": action == "reset",
            "change": change,
            "change_open": action == "change",
            # Keys only this person holds: a reset retires them (see services_keys.keys_setup).
            "sole": services_keys.sole_holdings(user) if has_key else [],
            "next": safe_next(request, reverse("reports:inbox")),
            "held": [k for k in held if services_keys.holds_share(user, k)],
            "waiting": services_keys.keys_waiting(actor=user) if is_open else [],
            "is_handler": permissions.is_handler(scope_for(user)),
            "trustee": services_grants.trustee_keyrings(user) if has_key else [],
        },
    )


@require_POST
@staff_required
def keys_lock(request: HttpRequest) -> HttpResponse:
    response = redirect("reports:keys")
    vault.drop(request, response, vault.HANDLER)
    messages.success(request, _("Your key is locked."))
    return response


@require_POST
@staff_required
def keys_share(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    _require_holder(user)
    opened = unlocked_key(request)
    if opened is None:
        return to_keys(request)
    keyring = get_object_or_404(Keyring, pk=_number(request.POST.get("keyring", "")))
    colleague = get_object_or_404(User, pk=_number(request.POST.get("user", "")), is_active=True)
    try:
        services_keys.keys_share(actor=user, unlocked=opened, keyring=keyring, user=colleague)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(user)s can now read your unit's reports.")
            % {"user": colleague.display_name or colleague.username},
        )
    return redirect("reports:keys")
