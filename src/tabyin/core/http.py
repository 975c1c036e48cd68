"""Small typed helpers every app's views need: the signed-in staff user, a safe "next" address,
the page's language, a service's refusal shown on its form. One copy here instead of one per view
module (issue 16.3).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language

from tabyin.core.models import User


def staff_user(request: HttpRequest) -> User:
    """The signed-in staff user, typed. Only for views behind ``@staff_required`` (or the admin's
    permission check), which has already turned anonymous visitors away."""
    assert isinstance(request.user, User)
    return request.user


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` address (the form's field, else the query string's) when it stays on this site,
    else ``default``.

    Refused: another host (``https://evil.example``, ``//evil.example``, ``/\\evil.example``), a
    scheme other than http(s) (``javascript:``), and plain ``http://`` while this request came over
    HTTPS, so a crafted link cannot send a signed-in user to the unencrypted site.
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def page_language() -> str:
    """``"en"`` when the active language is English, else ``"fa"`` (Persian first): which of a
    record's ``*_fa``/``*_en`` texts a page shows."""
    code = get_language() or settings.LANGUAGE_CODE
    return "en" if code.lower().startswith("en") else "fa"


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: each message beside the field it names,
    on the whole form when it names no field of this form (or no field at all)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)
