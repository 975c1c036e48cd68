"""What the scorecard contributes to the shell through core's registry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _

from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.core.registry import CalendarEvent, DemoStep, NavEntry, SitemapEntry, WorkItem, registry
from tabyin.core.scoping import scope_for


def _staff(user: User) -> bool:
    from tabyin.scorecard import permissions

    scope = scope_for(user)
    officer = any(role == Role.PROVINCIAL_OFFICER for role, _province in scope.province_grants)
    return permissions.can_see_results(scope) or officer


def _framework(user: User) -> bool:
    from tabyin.scorecard import permissions

    return permissions.can_manage_framework(scope_for(user))


def _work(user: User) -> list[WorkItem]:
    from tabyin.scorecard.review import work as selectors_work

    return selectors_work.work_items(user)


def _calendar(user: User, first: date, last: date) -> list[CalendarEvent]:
    from tabyin.scorecard import selectors_calendar

    return selectors_calendar.calendar_events(user, first, last)


def _demo() -> str:
    from tabyin.scorecard import demo

    return demo.load()


def _sitemap() -> list[SitemapEntry]:
    from tabyin.scorecard import sitemap

    return sitemap.entries()


def _api_view(name: str, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    from tabyin.scorecard.api.http import api_view

    return api_view(name, view)


def register() -> None:
    registry.add_sitemap("scorecard", _sitemap)
    registry.add_nav(NavEntry("public", _("PR scorecard"), "scorecard:public-index", order=40))
    registry.add_nav(
        NavEntry("staff", _("Scorecard"), "scorecard:periods", order=120, visible=_staff, work="scorecard")
    )
    registry.add_nav(
        NavEntry("staff", _("Indicator framework"), "scorecard:framework-list", order=125, visible=_framework)
    )
    registry.add_work("scorecard", _("Performance scorecard"), _work)
    registry.add_calendar("scorecard", _("Performance scorecard"), _calendar)
    registry.add_demo(DemoStep(app="scorecard", order=30, load=_demo))
    registry.add_api_router(
        "scorecards/", "tabyin.scorecard.api.v1.router", namespace="scorecard-api-v1", wrap=_api_view
    )
