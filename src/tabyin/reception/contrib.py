"""What the reception app contributes to the shell through core's registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tabyin.core.registry import NavEntry, registry


def register() -> None:
    """Each feature adds its navigation, demo step and figures here as it lands."""
    # The plain-language check: any signed-in staff member (no visible() check).
    registry.add_nav(NavEntry("staff", _("Plain language"), "reception:plainlang", order=800))
