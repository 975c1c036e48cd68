"""What the core app contributes to the shell through the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tabyin.core import permissions
from tabyin.core.models import User
from tabyin.core.registry import DemoStep, Figure, NavEntry, registry
from tabyin.core.scoping import scope_for


def _is_admin(user: User) -> bool:
    return permissions.can_administer(scope_for(user))


def _figures(user: User) -> list[Figure]:
    from tabyin.core import selectors

    if not _is_admin(user):
        return []
    return [
        Figure(_("Organization units you manage"), selectors.units_for(actor=user).count()),
        Figure(_("Staff accounts you manage"), selectors.users_for(actor=user).count()),
    ]


def _demo() -> str:
    from tabyin.core import demo

    return demo.load()


def register() -> None:
    registry.add_nav(NavEntry("staff", _("My work"), "core:staff-home", order=0, work="*"))
    registry.add_nav(NavEntry("staff", _("Notifications"), "core:notifications", order=5))
    registry.add_nav(NavEntry("staff", _("Calendar"), "core:calendar", order=6))
    registry.add_nav(NavEntry("staff", _("Audit log"), "core:audit", order=900, visible=_is_admin))
    registry.add_nav(NavEntry("staff", _("System"), "core:system", order=910, visible=_is_admin))
    registry.add_nav(NavEntry("staff", _("Administration"), "admin:index", order=920, visible=_is_admin))
    registry.add_figures(_figures)
    registry.add_demo(DemoStep(app="core", order=0, load=_demo))
    # The inbox token is the authority (ADR 0040): the web page writes too, without a client key.
    registry.add_api_router(
        "inbox/", "tabyin.core.notify.api_public.router", namespace="inbox-api-v1", client_keys=False
    )
