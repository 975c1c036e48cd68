"""The calendar as iCalendar (RFC 5545), written by the ``icalendar`` library (line folding at 75
octets, escaping of commas, semicolons and new lines, CRLF endings).

Timed entries are written in UTC (``...Z``): every calendar program reads them without a VTIMEZONE
block, and shows them in the reader's own zone. An all-day entry is a DATE with an exclusive end
(the day after its last day), as the RFC says.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from tabyin.core.calendar.days import span
from tabyin.core.registry import CalendarEvent

PRODID = "-//Tabyin//Staff calendar//FA"


def _absolute(url: str, site_url: str) -> str:
    return f"{site_url}{url}" if url.startswith("/") else url


def to_ics(events: Iterable[CalendarEvent], *, name: str, site_url: str, host: str, now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = now.astimezone(UTC)
    for item in events:
        event = Event()
        event.add("uid", f"{item.app}-{item.key}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", str(item.title))
        if item.all_day:
            first, last = span(item)
            event.add("dtstart", first)
            event.add("dtend", last + timedelta(days=1))
        else:
            assert isinstance(item.start, datetime)
            event.add("dtstart", item.start.astimezone(UTC))
            if isinstance(item.end, datetime) and item.end > item.start:
                event.add("dtend", item.end.astimezone(UTC))
        event.add("categories", [item.kind.value])
        if item.url:
            event.add("url", _absolute(item.url, site_url))
        calendar.add_component(event)
    return bytes(calendar.to_ical())
