"""Working-hours arithmetic on the Iranian week: pure, no Django, no database.

The week starts on Saturday. Saturday to Wednesday are full working days, Thursday is a half day
or off (as the organization configures), Friday is off, and every official holiday is a whole day
off. A moment outside working hours counts from the next working moment: a request filed on a
Friday evening starts its clock at the next working morning. Every moment is read in Tehran time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Final, Literal

from tabyin.core.jalali import TEHRAN

THURSDAY: Final = 3  # date.weekday(): Monday is 0
FRIDAY: Final = 4
# A schedule with no working day at all would loop for ever; a year and a half of searching is
# past any service level the desk sets.
HORIZON_DAYS: Final = 550


class NoWorkingTimeError(ValueError):
    """The calendar has no working time within the horizon (every day a holiday)."""


@dataclass(frozen=True)
class Schedule:
    day_start: time = time(7, 30)
    day_end: time = time(14, 30)
    thursday: Literal["half", "off"] = "half"
    thursday_end: time = time(12, 0)
    holidays: frozenset[date] = field(default_factory=frozenset)

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The working hours of ``day`` (Tehran), or ``None`` on a day off."""
        weekday = day.weekday()
        if weekday == FRIDAY or day in self.holidays:
            return None
        end = self.day_end
        if weekday == THURSDAY:
            if self.thursday == "off":
                return None
            end = min(self.thursday_end, self.day_end)
        start = datetime.combine(day, self.day_start, tzinfo=TEHRAN)
        finish = datetime.combine(day, end, tzinfo=TEHRAN)
        return (start, finish) if finish > start else None

    def is_working_day(self, day: date) -> bool:
        return self.window(day) is not None


def _days(first: date) -> Iterator[date]:
    for offset in range(HORIZON_DAYS):
        yield first + timedelta(days=offset)


def add_working_hours(schedule: Schedule, start: datetime, hours: float) -> datetime:
    """The moment ``hours`` working hours after ``start`` (aware), in Tehran time. Zero hours from
    a moment outside working hours is the next working moment."""
    if hours < 0:
        raise ValueError("hours must not be negative")
    moment = start.astimezone(TEHRAN)
    remaining = timedelta(hours=hours)
    for day in _days(moment.date()):
        window = schedule.window(day)
        if window is None:
            continue
        begin = max(moment, window[0])
        if begin >= window[1]:
            continue
        available = window[1] - begin
        if remaining <= available:
            return begin + remaining
        remaining -= available
    raise NoWorkingTimeError(f"no working time within {HORIZON_DAYS} days of {start.isoformat()}")


def working_hours_between(schedule: Schedule, a: datetime, b: datetime) -> float:
    """Working hours from ``a`` to ``b``; negative when ``b`` comes first (how late, how early)."""
    if b < a:
        return -working_hours_between(schedule, b, a)
    a, b = a.astimezone(TEHRAN), b.astimezone(TEHRAN)
    total = timedelta(0)
    day = a.date()
    while day <= b.date():
        window = schedule.window(day)
        if window is not None:
            overlap = min(b, window[1]) - max(a, window[0])
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return round(total.total_seconds() / 3600, 4)
