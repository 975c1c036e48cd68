"""What the request desk contributes through core's registry: its staff menu entry, "my work", its due
times on the staff calendar, the scorecard's metrics (PR judged as a support unit) and its demo step."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from tabyin.core.models import User
from tabyin.core.registry import CalendarEvent, DemoStep, Metric, NavEntry, WorkItem, registry
from tabyin.core.scoping import scope_for


def _visible(user: User) -> bool:
    from tabyin.desk import permissions

    return permissions.can_file(scope_for(user))


def _work(user: User) -> list[WorkItem]:
    from tabyin.desk import work

    return work.work_items(user)


def _calendar(user: User, first: date, last: date) -> list[CalendarEvent]:
    from tabyin.desk import calendar

    return calendar.calendar_events(user, first, last)


def _demo() -> str:
    from tabyin.desk import demo

    return demo.load()


def _metric(name: str) -> object:
    def compute(start: date, end: date) -> dict[str, Decimal]:
        from tabyin.desk.stats import selectors

        result: dict[str, Decimal] = getattr(selectors, f"metric_{name}")(start, end)
        return result

    return compute


def register() -> None:
    registry.add_nav(
        NavEntry("staff", _("Request desk"), "desk:list", order=138, visible=_visible, work="desk")
    )
    registry.add_work("desk", _("Request desk"), _work)
    registry.add_calendar("desk", _("Request desk"), _calendar)
    # After the organization (units and personas) and the other apps' samples.
    registry.add_demo(DemoStep(app="desk", order=80, load=_demo))
    for name, label, absent in (
        ("requests", _("Communication requests the province's units filed with PR"), "zero"),
        (
            "on_time",
            _("Share of the province's communication requests delivered on time (%)"),
            "not_applicable",
        ),
        ("satisfaction", _("Units' mean rating of PR's delivered work (1–5)"), "not_applicable"),
        ("first_response", _("Mean working hours to PR's first response"), "not_applicable"),
    ):
        registry.add_metric(Metric(f"desk.{name}", label, _metric(name), absent=absent))  # type: ignore[arg-type]
