"""The working calendar as the organization configured it: the week's hours and the holiday table,
read from the database, with the arithmetic of ``hours``.

``add_working_hours(start, hours)`` is when a service level counted in working hours ends;
``working_hours_between(a, b)`` is how many working hours passed (negative when ``b`` comes
first). Both read Tehran time. The tables are corrected in the admin ("official holidays",
"working week"), audited like every staff change.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal, cast

from tabyin.core.workcal import hours
from tabyin.core.workcal.models import Holiday, WorkSchedule

# Holidays read per call cover this window around the moments asked about: past any service level.
_SPAN = timedelta(days=hours.HORIZON_DAYS)


def schedule_row() -> WorkSchedule:
    found = WorkSchedule.objects.order_by("pk").first()
    return found if found is not None else WorkSchedule()


def schedule(first: date, last: date) -> hours.Schedule:
    """The configured week with the holidays between ``first`` and ``last``."""
    row = schedule_row()
    days = frozenset(Holiday.objects.filter(day__gte=first, day__lte=last).values_list("day", flat=True))
    return hours.Schedule(
        day_start=row.day_start,
        day_end=row.day_end,
        thursday=cast(Literal["half", "off"], row.thursday),
        thursday_end=row.thursday_end,
        holidays=days,
    )


def add_working_hours(start: datetime, hours_: float) -> datetime:
    day = start.date()
    return hours.add_working_hours(schedule(day - timedelta(days=1), day + _SPAN), start, hours_)


def working_hours_between(a: datetime, b: datetime) -> float:
    first, last = min(a, b).date(), max(a, b).date()
    return hours.working_hours_between(schedule(first - timedelta(days=1), last + timedelta(days=1)), a, b)


def is_working_day(day: date) -> bool:
    return schedule(day, day).is_working_day(day)
