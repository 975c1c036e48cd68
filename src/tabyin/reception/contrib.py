"""What the reception app contributes to the shell through core's registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tabyin.core.models import User
from tabyin.core.registry import DemoStep, NavEntry, WorkItem, registry
from tabyin.core.scoping import scope_for


def _polls_visible(user: User) -> bool:
    from tabyin.reception.polls import permissions

    return permissions.can_see_results(scope_for(user))


def _polls_demo() -> str:
    from tabyin.reception.polls import demo

    return demo.load()


def _polls_work(user: User) -> list[WorkItem]:
    from tabyin.reception.polls import work

    return work.work_items(user)


def register() -> None:
    """Each feature adds its navigation, demo step and figures here as it lands."""
    registry.add_nav(
        NavEntry(
            "staff",
            _("Comprehension polls"),
            "reception:staff-polls",
            order=130,
            visible=_polls_visible,
            work="reception",
        )
    )
    registry.add_work("reception", _("Reception"), _polls_work)
    # After the transparency site (order 10), whose page the sample poll is attached to.
    registry.add_demo(DemoStep(app="reception.polls", order=60, load=_polls_demo))
    # The plain-language check: any signed-in staff member (no visible() check).
    registry.add_nav(NavEntry("staff", _("Plain language"), "reception:plainlang", order=800))
