"""What apps give core's registry to shape the site: navigation, home figures and panels, "my work"
items, calendar entries, demo steps, scorecard metrics, sitemap entries and API routers.

The records only; ``core.registry`` holds the registry that collects them and re-exports every name
here, so apps keep importing from ``tabyin.core.registry``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Literal

from django.http.response import HttpResponseBase
from django.utils.functional import Promise

from tabyin.core.models import User

Area = Literal["public", "staff"]
Absent = Literal["zero", "not_applicable"]
Text = str | Promise


@dataclass(frozen=True)
class NavEntry:
    area: Area
    label: Text
    url_name: str
    order: int = 100
    # Staff entries show only when this returns true for the user.
    visible: Callable[[User], bool] | None = None
    # Staff entries: show the count of the user's waiting work from this app (an ``add_work`` key;
    # ``"*"`` counts every app's).
    work: str = ""
    # Public entries: stay on the menu's first line on a phone; the others go under «بیشتر»
    # (More). Keep these few and short: the line is 328 px wide at 360 px.
    phone: bool = False


@dataclass(frozen=True)
class Figure:
    label: Text
    value: int | float | str | None
    url: str = ""


@dataclass(frozen=True)
class HomePanel:
    """A section an app puts on a person's ``/staff/`` page (e.g. the monitor's "this morning" for
    a senior manager): the app's own template, rendered with ``panel`` (this object) in context."""

    template: str
    data: object = None
    order: int = 100


class Priority(IntEnum):
    """How pressing a work item is; the smaller, the sooner it is listed."""

    URGENT = 1
    HIGH = 2
    NORMAL = 3
    LOW = 4


@dataclass(frozen=True)
class WorkItem:
    """One thing waiting for a person, as an app offers it for their "my work" list on /staff/.

    ``title`` says what to do in a few words, never private content (a report case is named by its
    number and category only). ``url`` opens the page where it is done. ``due`` is when it should be
    done by (aware; ``None`` when nothing sets a time). ``key`` is stable while the item waits
    (e.g. ``"case-12"``), unique within the app: notifications use it to tell new work from old.
    ``app`` is filled in by the registry with the key the provider was added under.
    """

    title: Text
    url: str
    key: str
    due: datetime | None = None
    priority: Priority = Priority.NORMAL
    app: str = ""

    def overdue(self, now: datetime) -> bool:
        return self.due is not None and self.due < now


@dataclass(frozen=True)
class WorkSource:
    app: str
    label: Text
    items: Callable[[User], Iterable[WorkItem]]


class EventKind(StrEnum):
    """What a calendar entry is; the calendar page names and colours each kind."""

    DUE = "due"  # something promised by a date (a request, a meeting commitment)
    SEND = "send"  # a planned campaign message
    MEETING = "meeting"  # a public meeting
    DEADLINE = "deadline"  # a deadline set for others (scorecard data entry, appeals)
    PHASE = "phase"  # a phase of a challenge (submissions, support, jury, results)


@dataclass(frozen=True)
class CalendarEvent:
    """One entry of the staff calendar, as an app offers it (``registry.add_calendar``).

    ``start`` is an aware datetime, or a date for an all-day entry; ``end`` likewise (a timed end,
    or the last day of an all-day entry, included), ``None`` for a point in time or a single day.
    ``province`` is the ISO 3166-2 code of the province it belongs to, ``None`` for a national
    entry. ``key`` is stable and unique within the app (``"meeting-4"``): the .ics UID is made of it.
    ``app`` is filled in by the registry.
    """

    title: Text
    start: date | datetime
    kind: EventKind
    url: str
    key: str
    end: date | datetime | None = None
    province: str | None = None
    app: str = ""

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)


@dataclass(frozen=True)
class CalendarSource:
    app: str
    label: Text
    # (user, first day, last day) -> the entries that person may see touching those days.
    events: Callable[[User, date, date], Iterable[CalendarEvent]]


@dataclass(frozen=True)
class DemoStep:
    app: str
    order: int
    load: Callable[[], str]


@dataclass(frozen=True)
class Metric:
    """A figure one app computes for others, by province, over a date range (both ends included).

    ``compute(start, end)`` returns ``{province ISO code: value}``. The scorecard reads
    platform-computed indicators this way (e.g. explanations published on the transparency site)
    without importing the app that owns them.

    ``absent`` says what a province the result does not name stands for: ``"zero"`` for a count
    (nothing happened there, which is a value), ``"not_applicable"`` for a rate or a duration
    (nothing to measure: a province with no rumors has no share of rumors answered, and neither 0 %
    nor 0 hours would be true).
    """

    name: str
    label: Text
    compute: Callable[[date, date], dict[str, Decimal]]
    absent: Absent = "zero"


@dataclass(frozen=True)
class SitemapEntry:
    """One public page for /sitemap.xml: reversed as ``url_name`` with ``args`` in each language,
    ``lastmod`` taken from the data the page shows (``None`` when the page has no data date)."""

    url_name: str
    args: tuple[str | int, ...] = ()
    lastmod: datetime | date | None = None


View = Callable[..., HttpResponseBase]


@dataclass(frozen=True)
class ApiRouter:
    """A part of the public API (/api/v1/) an app contributes: a django-ninja ``Router``, named by
    its import path (imported only when the URLs are built, not when a command starts), mounted at
    ``prefix`` ("" or "scorecards/"), its routes reversed as ``namespace:<url_name>``.

    ``wrap(url_name, view)`` may wrap each route's view (an app's response cache, conditional GET);
    it runs inside the API's client-key check, so cached answers are counted and limited too.
    ``client_keys`` false exempts the router's writes from the client key (an endpoint behind the
    staff session instead).
    """

    prefix: str
    router: str
    namespace: str
    wrap: Callable[[str, View], View] | None = None
    client_keys: bool = True
