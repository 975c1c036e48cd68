from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import translate_url
from django.utils.translation import get_language

from tabyin.core import work
from tabyin.core.auth.services import otp_is_verified
from tabyin.core.demo import is_demo
from tabyin.core.models import User
from tabyin.core.registry import NavEntry, registry


def _alternates(request: HttpRequest) -> list[tuple[str, str]]:
    """The page in each language, absolute, for ``<link rel="alternate" hreflang>`` (Persian is
    also ``x-default``). Empty when the address has no twin (e.g. an unknown page)."""
    path = request.get_full_path()
    twins = {code: translate_url(path, code) for code, _name in settings.LANGUAGES}
    if len(set(twins.values())) < len(twins):
        return []
    found = [(code, request.build_absolute_uri(url)) for code, url in twins.items()]
    return [*found, ("x-default", request.build_absolute_uri(twins[settings.LANGUAGE_CODE]))]


def _staff_menu(request: HttpRequest, entries: list[NavEntry]) -> list[tuple[NavEntry, int]]:
    """Each staff menu entry with the count of waiting work it shows (0: no count)."""
    if not any(entry.work for entry in entries):
        return [(entry, 0) for entry in entries]
    assert isinstance(request.user, User)
    counts = work.menu_counts(request.session, request.user)
    return [(entry, counts.get(entry.work, 0) if entry.work else 0) for entry in entries]


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    staff_user = user if user is not None and user.is_authenticated and otp_is_verified(user) else None
    in_staff_area = "/staff/" in request.path
    staff_nav = registry.nav_for("staff", staff_user) if staff_user else []
    public_nav = registry.nav_for("public", None)
    # On a phone only the ``phone`` entries stay on the menu line; these go under «بیشتر» (More).
    public_more = [entry for entry in public_nav if not entry.phone]
    here = request.resolver_match.view_name if request.resolver_match else ""
    return {
        "site_name": settings.TABYIN_SITE_NAME,
        "public_nav": public_nav,
        "public_more": public_more,
        "public_more_here": any(entry.url_name == here for entry in public_more),
        "staff_nav": staff_nav,
        "staff_menu": _staff_menu(request, staff_nav) if in_staff_area and staff_nav else [],
        "staff_verified": staff_user is not None,
        "demo_mode": is_demo(),
        "in_staff_area": in_staff_area,
        # Link previews (Open Graph): absolute addresses, as messengers fetch them from outside.
        "alternate_urls": [] if in_staff_area else _alternates(request),
        "page_url": request.build_absolute_uri(),
        "share_image_url": request.build_absolute_uri(static("tabyin/icons/share.png")),
        "switch_language_url": translate_url(
            request.get_full_path(), "en" if get_language() == "fa" else "fa"
        ),
    }
