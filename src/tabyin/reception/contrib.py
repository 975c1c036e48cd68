"""What the reception app contributes to the shell through core's registry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import User
from tabyin.core.registry import (
    CalendarEvent,
    DemoStep,
    KeyMessageFigures,
    KeyMessageRef,
    Metric,
    NavEntry,
    WorkItem,
    registry,
)
from tabyin.core.scoping import scope_for


def _polls_visible(user: User) -> bool:
    from tabyin.reception.polls import permissions

    return permissions.can_see_results(scope_for(user))


def _polls_demo() -> str:
    from tabyin.reception.polls import demo

    return demo.load()


def _meetings_visible(user: User) -> bool:
    from tabyin.reception.meetings import permissions

    return permissions.can_manage_any(scope_for(user))


def _meetings_demo() -> str:
    from tabyin.reception.meetings import demo

    return demo.load()


def _messages_visible(user: User) -> bool:
    from tabyin.reception.messages import permissions

    return permissions.can_see(scope_for(user))


def _messages_demo() -> str:
    from tabyin.reception.messages import demo

    return demo.load()


def _computed_by(name: str) -> Callable[[date, date], dict[str, Decimal]]:
    """Imports the selectors on first use: start-up (``tabyin ingest``) stays light."""

    def compute(start: date, end: date) -> dict[str, Decimal]:
        from tabyin.reception.meetings import selectors

        result: dict[str, Decimal] = getattr(selectors, name)(start, end)
        return result

    return compute


def _metrics() -> list[Metric]:
    return [
        Metric("reception.meetings_held", _("Public meetings held"), _computed_by("metric_meetings_held")),
        Metric(
            "reception.commitments_on_time",
            _("Meeting commitments kept by their date (%)"),
            _computed_by("metric_commitments_on_time"),
            absent="not_applicable",
        ),
    ]


def _polls_work(user: User) -> list[WorkItem]:
    from tabyin.reception.polls import work

    return work.work_items(user)


def _meetings_work(user: User) -> list[WorkItem]:
    from tabyin.reception.meetings import work

    return work.work_items(user)


def _meetings_calendar(user: User, first: date, last: date) -> list[CalendarEvent]:
    from tabyin.reception.meetings import selectors

    return selectors.calendar_events(user, first, last)


def _key_message_figures(
    refs: list[KeyMessageRef], start: datetime, end: datetime
) -> list[KeyMessageFigures]:
    from tabyin.reception.messages.figures import key_message_figures

    return key_message_figures(refs, start, end)


def _meetings_api_view(name: str, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    from tabyin.reception.meetings.http import api_view

    return api_view(name, view)


def _polls_api_view(name: str, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    from tabyin.reception.polls.http import api_view

    return api_view(name, view)


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
    # Public meetings: the public list (with every commitment) and the staff's pages.
    registry.add_nav(NavEntry("public", _("Public meetings"), "reception:meetings", order=60))
    registry.add_nav(
        NavEntry(
            "staff",
            _("Public meetings"),
            "reception:staff-meetings",
            order=135,
            visible=_meetings_visible,
            work="reception.meetings",
        )
    )
    registry.add_work("reception.meetings", _("Public meetings"), _meetings_work)
    registry.add_calendar("reception.meetings", _("Public meetings"), _meetings_calendar)
    registry.add_demo(DemoStep(app="reception.meetings", order=61, load=_meetings_demo))
    # Key messages: the managers' reception page of each announcement.
    registry.add_nav(
        NavEntry("staff", _("Key messages"), "reception:staff-messages", order=131, visible=_messages_visible)
    )
    # After the monitor (50), whose posts are the coverage, and the polls (60), one of which it links.
    registry.add_demo(DemoStep(app="reception.messages", order=62, load=_messages_demo))
    registry.add_key_message_figures(_key_message_figures)
    for metric in _metrics():
        registry.add_metric(metric)
    # Staff only, behind the staff session and CSRF: no client key.
    registry.add_api_router(
        "reception/plain-language/",
        "tabyin.reception.plainlang.api.router",
        namespace="reception-plainlang-api-v1",
        client_keys=False,
    )
    registry.add_api_router(
        "polls/", "tabyin.reception.polls.api.router", namespace="polls-api-v1", wrap=_polls_api_view
    )
    registry.add_api_router(
        "meetings/",
        "tabyin.reception.meetings.api.router",
        namespace="meetings-api-v1",
        wrap=_meetings_api_view,
    )
