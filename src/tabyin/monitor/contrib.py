"""What the monitor app contributes to the shell through core's registry.

URL names are only looked up when the shell renders a menu, never here at import time.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tabyin.core.models import User
from tabyin.core.registry import DemoStep, NavEntry, registry
from tabyin.core.scoping import scope_for


def _viewer(user: User) -> bool:
    from tabyin.monitor import permissions

    return permissions.can_view(scope_for(user))


def _national(user: User) -> bool:
    from tabyin.monitor import permissions

    return permissions.sees_everything(scope_for(user))


def _demo() -> str:
    from tabyin.monitor import demo

    return demo.load()


def register() -> None:
    registry.add_nav(NavEntry("public", _("Clarifications"), "monitor:clarifications", order=45))
    registry.add_nav(
        NavEntry("staff", _("Media monitoring"), "monitor:dashboard", order=112, visible=_viewer)
    )
    registry.add_nav(NavEntry("staff", _("Alerts"), "monitor:alerts", order=113, visible=_national))
    registry.add_nav(
        NavEntry("staff", _("Rumors and answers"), "monitor:responses", order=114, visible=_national)
    )
    registry.add_demo(DemoStep(app="monitor", order=50, load=_demo))
