"""Days and months of the calendar, in Tehran: which days an entry covers, the aware moments a
range of days spans (for the apps' queries), and a Jalali month laid out in Saturday-first weeks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import jdatetime

from tabyin.core.jalali import TEHRAN
from tabyin.core.registry import CalendarEvent

WEEK = 7


def day_of(value: date | datetime) -> date:
    """The Tehran day of a moment (a date is its own day)."""
    if isinstance(value, datetime):
        return value.astimezone(TEHRAN).date()
    return value


def span(event: CalendarEvent) -> tuple[date, date]:
    """First and last day (both included) an entry covers."""
    first = day_of(event.start)
    if event.end is None:
        return first, first
    last = day_of(event.end)
    # A timed entry ending at midnight ends on the day before.
    if isinstance(event.end, datetime) and event.end.astimezone(TEHRAN).time() == time.min and last > first:
        last -= timedelta(days=1)
    return first, max(first, last)


def bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """The aware moments [start, end) that days ``first``..``last`` (Tehran, included) span: what a
    provider filters its timed rows by."""
    start = datetime.combine(first, time.min, tzinfo=TEHRAN)
    return start, datetime.combine(last + timedelta(days=1), time.min, tzinfo=TEHRAN)


def touches(event: CalendarEvent, first: date, last: date) -> bool:
    start, end = span(event)
    return start <= last and end >= first


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    first: date
    last: date

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def shifted(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return month_of(jdatetime.date(index // 12, index % 12 + 1, 1).togregorian())

    def weeks(self) -> list[list[date | None]]:
        """The month's days in rows of seven, Saturday first; ``None`` pads the first and last row."""
        # Python's weekday(): Monday 0 … Saturday 5; the Iranian week starts on Saturday.
        lead = (self.first.weekday() - 5) % WEEK
        cells: list[date | None] = [None] * lead
        day = self.first
        while day <= self.last:
            cells.append(day)
            day += timedelta(days=1)
        cells += [None] * (-len(cells) % WEEK)
        return [cells[i : i + WEEK] for i in range(0, len(cells), WEEK)]


def month_of(day: date) -> Month:
    j = jdatetime.date.fromgregorian(date=day)
    year, month = int(j.year), int(j.month)
    first = jdatetime.date(year, month, 1)
    following = jdatetime.date(year + 1, 1, 1) if month == 12 else jdatetime.date(year, month + 1, 1)
    start: date = first.togregorian()
    end: date = following.togregorian() - timedelta(days=1)
    return Month(year, month, start, end)
