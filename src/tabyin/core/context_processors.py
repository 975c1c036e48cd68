from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from tabyin.core.demo import is_demo
from tabyin.core.registry import registry
from tabyin.core.services_auth import otp_is_verified


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    staff_user = user if user is not None and user.is_authenticated and otp_is_verified(user) else None
    return {
        "site_name": settings.TABYIN_SITE_NAME,
        "public_nav": registry.nav_for("public", None),
        "staff_nav": registry.nav_for("staff", staff_user) if staff_user else [],
        "staff_verified": staff_user is not None,
        "demo_mode": is_demo(),
        "in_staff_area": "/staff/" in request.path,
        "switch_language_url": translate_url(
            request.get_full_path(), "en" if get_language() == "fa" else "fa"
        ),
    }
