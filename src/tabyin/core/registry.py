"""How apps contribute to the shell without the shell importing them.

Each app registers, in its ``AppConfig.ready`` (through a ``contrib.register`` function),
navigation entries, staff-dashboard figures, metrics other apps may read and a demo-data loader.
The core reads the registry when it renders the shell or runs ``tabyin demo``; it never imports
another app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Literal

from django.http import HttpRequest, HttpResponse
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


@dataclass(frozen=True)
class KeyMessageRef:
    """A sentence an app wants people to take away (a campaign's key message), offered so that
    another app (reception) can measure how much of it reached people (pull-through).
    ``key`` is stable ("campaigns:12"); ``context`` names where it comes from (the campaign)."""

    key: str
    text: str
    context: Text


@dataclass(frozen=True)
class CoverageQuery:
    """What coverage an announcement asks for: the posts of a monitored story (``story_key``), or
    the posts naming any of ``terms`` (one term can be several words), published in
    ``[start, end)``; ``province_ids`` limits them to sources of those provinces (``None``: all)."""

    start: datetime
    end: datetime
    story_key: int | None = None
    terms: tuple[str, ...] = ()
    province_ids: frozenset[int] | None = None
    limit: int = 2_000


@dataclass(frozen=True)
class CoveragePost:
    """One monitored post, as another app may read it: no model crosses the app boundary.
    ``reach`` is the post's view count (``None`` unknown); ``story_key`` the story it belongs to."""

    key: str
    text: str
    published_at: datetime
    channel: str
    reach: int | None
    province_id: int | None
    story_key: int | None
    url: str = ""


@dataclass(frozen=True)
class ClarityDay:
    """The "was this clear?" answers of one public page on one day (Iran time), as another app may
    read them: counts only, nothing about the readers. ``key`` is stable ("portal:indicator:12");
    ``province_id`` is the page's province when the page is about one (``None``: national)."""

    key: str
    title: str
    url: str
    province_id: int | None
    day: date
    clear: int
    unclear: int


@dataclass(frozen=True)
class SeriesRef:
    """A published monthly series by province that another app may take as its own figures (a
    campaign's outcome): ``key`` is stable ("portal:main-insured")."""

    key: str
    label: Text
    unit: Text = ""


@dataclass(frozen=True)
class SeriesSource:
    """``catalog()`` lists the series; ``values(key, first, last)`` gives (province ISO code, the
    Gregorian first day of the Jalali month, value) for the months whose first day is in
    ``[first, last]``: published figures only, no suppressed or empty one."""

    catalog: Callable[[], list[SeriesRef]]
    values: Callable[[str, date, date], list[tuple[str, date, float]]]


@dataclass(frozen=True)
class KeyMessageFigures:
    """How much of one key message reached people, measured by another app (reception) over the
    monitored coverage: ``coverage`` posts were read, ``carried`` of them carry it, ``distorted``
    carry it wrongly; ``url`` is the measuring app's page of it."""

    key: str
    coverage: int
    carried: int
    distorted: int
    url: str = ""

    @property
    def pull_through(self) -> float | None:
        return self.carried / self.coverage if self.coverage else None

    @property
    def fidelity(self) -> float | None:
        return (self.carried - self.distorted) / self.carried if self.carried else None


@dataclass(frozen=True)
class ApprovedMessage:
    """A message another app has already approved under its own four-eyes rule (the monitor's
    answer to a rumor), for the owned channels. ``origin_key`` names it once and for all: handing
    the same key again sends nothing new."""

    origin_key: str
    title: str
    text: str
    link: str
    approved_by: User
    approved_at: datetime
    channels: tuple[str, ...]
    # Where the approval was given, for the audit log (e.g. "the monitor's review").
    approved_in: str = ""


@dataclass(frozen=True)
class ChannelDelivery:
    """One channel's deliveries of a released message: sent, waiting (for a retry) or failed."""

    channel: str
    label: str
    sent: int
    pending: int
    failed: int
    last_error: str
    sent_at: datetime | None


@dataclass(frozen=True)
class OutboxState:
    url: str
    channels: tuple[ChannelDelivery, ...]


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


@dataclass
class Registry:
    nav: list[NavEntry] = field(default_factory=list)
    figures: list[Callable[[User], list[Figure]]] = field(default_factory=list)
    home_panels: list[Callable[[User], list[HomePanel]]] = field(default_factory=list)
    demo: list[DemoStep] = field(default_factory=list)
    metrics: dict[str, Metric] = field(default_factory=dict)
    # Public pages for /sitemap.xml, one provider per section (the section's name is its key).
    sitemaps: dict[str, Callable[[], Iterable[SitemapEntry]]] = field(default_factory=dict)
    # The public home page of a deployment comes from a module app (e.g. the transparency site);
    # core's own page is the fallback when none is installed.
    home_view: Callable[[HttpRequest], HttpResponse] | None = None
    # What waits for a person in each app ("my work"), one provider per app key.
    work: dict[str, WorkSource] = field(default_factory=dict)
    # What each app has planned and promised, for the staff calendar, one provider per app key.
    calendar: dict[str, CalendarSource] = field(default_factory=dict)
    # Key messages of every app (campaigns), for pull-through.
    key_messages: list[Callable[[], list[KeyMessageRef]]] = field(default_factory=list)
    # Readers of the view count of one of our own public posts (``https://t.me/<channel>/<id>``):
    # the monitor reads public preview pages; ``None`` when it cannot tell.
    post_views: list[Callable[[str], int | None]] = field(default_factory=list)
    # The monitored coverage of an announcement (the monitor provides it), for pull-through.
    coverage: list[Callable[[CoverageQuery], list[CoveragePost]]] = field(default_factory=list)
    # "Was this clear?" answers of public pages per day in ``[start, end)`` (the portal provides them).
    clarity: list[Callable[[date, date], list[ClarityDay]]] = field(default_factory=list)
    # Opens a draft answer to a wrong claim in the monitor's response workflow:
    # ``(actor, story_key, title, body) -> address of the draft``; raises ValidationError or
    # PermissionDenied with the monitor's own message.
    response_opener: Callable[[User, int, str, str], str] | None = None
    # Writes a message for the owned channels as a draft awaiting a senior manager's approval (the
    # campaigns outbox provides it): ``(actor, title, body, link) -> address of the draft``.
    publisher: Callable[[User, str, str, str], str] | None = None
    # Sends a message another app already approved (campaigns' outbox provides it), once per
    # ``origin_key``; the outbox's ledger state of it is read back through ``outbox_state``.
    approved_publisher: Callable[[ApprovedMessage], str] | None = None
    outbox_reader: Callable[[str], OutboxState | None] | None = None
    # Published monthly series by province (the portal's indicators), e.g. a campaign's outcome.
    series: list[SeriesSource] = field(default_factory=list)
    # Pull-through and fidelity of key messages (reception measures them):
    # ``(messages, start, end) -> figures``, one per message it could measure.
    key_message_figures: list[
        Callable[[list[KeyMessageRef], datetime, datetime], list[KeyMessageFigures]]
    ] = field(default_factory=list)
    # Parts of the one public API (/api/v1/), in the order they were added (``core.api.site``).
    api_routers: list[ApiRouter] = field(default_factory=list)

    def add_nav(self, entry: NavEntry) -> None:
        if entry not in self.nav:
            self.nav.append(entry)
            self.nav.sort(key=lambda e: e.order)

    def add_figures(self, provider: Callable[[User], list[Figure]]) -> None:
        if provider not in self.figures:
            self.figures.append(provider)

    def add_home_panels(self, provider: Callable[[User], list[HomePanel]]) -> None:
        """``provider(user)`` returns the panels for that person (none for roles it does not serve)."""
        if provider not in self.home_panels:
            self.home_panels.append(provider)

    def home_panels_for(self, user: User) -> list[HomePanel]:
        found = [panel for provider in self.home_panels for panel in provider(user)]
        return sorted(found, key=lambda panel: panel.order)

    def add_demo(self, step: DemoStep) -> None:
        if all(s.app != step.app for s in self.demo):
            self.demo.append(step)
            self.demo.sort(key=lambda s: s.order)

    def add_metric(self, metric: Metric) -> None:
        self.metrics[metric.name] = metric

    def add_sitemap(self, section: str, provider: Callable[[], Iterable[SitemapEntry]]) -> None:
        self.sitemaps[section] = provider

    def add_work(self, app: str, label: Text, items: Callable[[User], Iterable[WorkItem]]) -> None:
        """``items(user)`` returns what waits for that person in the app (nothing for roles it does
        not serve), already scoped: the registry shows whatever it is given."""
        self.work[app] = WorkSource(app, label, items)

    def work_for(self, user: User, now: datetime) -> list[WorkItem]:
        """Every app's items for ``user``, most urgent first: overdue (longest overdue first), then
        by priority, then by due time (none last), then by title."""
        found = [
            replace(item, app=source.app) for source in self.work.values() for item in source.items(user)
        ]
        latest = datetime.max.replace(tzinfo=now.tzinfo)

        def urgency(i: WorkItem) -> tuple[object, ...]:
            if i.overdue(now):
                return (0, i.due, i.priority, str(i.title), i.key)
            return (1, i.priority, i.due or latest, str(i.title), i.key)

        return sorted(found, key=urgency)

    def add_calendar(
        self, app: str, label: Text, events: Callable[[User, date, date], Iterable[CalendarEvent]]
    ) -> None:
        """``events(user, first, last)`` returns the app's entries touching those days (Tehran,
        both included) that the person may see, already scoped: the calendar shows what it is given."""
        self.calendar[app] = CalendarSource(app, label, events)

    def calendar_for(self, user: User, first: date, last: date) -> list[CalendarEvent]:
        return [
            replace(event, app=source.app)
            for source in self.calendar.values()
            for event in source.events(user, first, last)
        ]

    def add_key_messages(self, provider: Callable[[], list[KeyMessageRef]]) -> None:
        if provider not in self.key_messages:
            self.key_messages.append(provider)

    def key_messages_all(self) -> list[KeyMessageRef]:
        return [ref for provider in self.key_messages for ref in provider()]

    def add_post_views(self, reader: Callable[[str], int | None]) -> None:
        if reader not in self.post_views:
            self.post_views.append(reader)

    def views_of_post(self, url: str) -> int | None:
        """The first reader's answer for a post's public address; ``None`` is "unknown"."""
        for reader in self.post_views:
            found = reader(url)
            if found is not None:
                return found
        return None

    def add_coverage(self, provider: Callable[[CoverageQuery], list[CoveragePost]]) -> None:
        if provider not in self.coverage:
            self.coverage.append(provider)

    def coverage_for(self, query: CoverageQuery) -> list[CoveragePost]:
        """Every provider's posts, oldest first; empty when no app provides coverage."""
        found = [post for provider in self.coverage for post in provider(query)]
        return sorted(found, key=lambda p: (p.published_at, p.key))

    def add_publisher(self, provider: Callable[[User, str, str, str], str]) -> None:
        self.publisher = provider

    def publish_draft(self, actor: User, title: str, body: str, link: str) -> str | None:
        """The address of the draft written for the owned channels; ``None`` when no app sends
        messages (the caller keeps its own "waiting" state)."""
        if self.publisher is None:
            return None
        return self.publisher(actor, title, body, link)

    def add_approved_publisher(
        self, provider: Callable[[ApprovedMessage], str], reader: Callable[[str], OutboxState | None]
    ) -> None:
        self.approved_publisher = provider
        self.outbox_reader = reader

    def publish_approved(self, message: ApprovedMessage) -> str | None:
        """Release an already approved message through the outbox (idempotent per origin key):
        the staff address of the outbox message, or ``None`` when no app sends messages (the
        caller sends by itself)."""
        if self.approved_publisher is None:
            return None
        return self.approved_publisher(message)

    def outbox_state(self, origin_key: str) -> OutboxState | None:
        """The outbox's delivery state per channel of the message handed with ``origin_key``."""
        if self.outbox_reader is None:
            return None
        return self.outbox_reader(origin_key)

    def add_series(self, source: SeriesSource) -> None:
        if source not in self.series:
            self.series.append(source)

    def series_catalog(self) -> list[SeriesRef]:
        return [ref for source in self.series for ref in source.catalog()]

    def series_values(self, key: str, first: date, last: date) -> list[tuple[str, date, float]] | None:
        """The values of the series named ``key``; ``None`` when no source offers it."""
        for source in self.series:
            if any(ref.key == key for ref in source.catalog()):
                return source.values(key, first, last)
        return None

    def add_key_message_figures(
        self, provider: Callable[[list[KeyMessageRef], datetime, datetime], list[KeyMessageFigures]]
    ) -> None:
        if provider not in self.key_message_figures:
            self.key_message_figures.append(provider)

    def figures_of_key_messages(
        self, messages: list[KeyMessageRef], start: datetime, end: datetime
    ) -> dict[str, KeyMessageFigures]:
        """By message key; a message no provider measured is absent (unknown, not zero)."""
        return {f.key: f for provider in self.key_message_figures for f in provider(messages, start, end)}

    def add_clarity(self, provider: Callable[[date, date], list[ClarityDay]]) -> None:
        if provider not in self.clarity:
            self.clarity.append(provider)

    def clarity_between(self, start: date, end: date) -> list[ClarityDay]:
        """Every provider's pages and days in ``[start, end)``, by page then day."""
        found = [row for provider in self.clarity for row in provider(start, end)]
        return sorted(found, key=lambda row: (row.key, row.day))

    def add_api_router(
        self,
        prefix: str,
        router: str,
        *,
        namespace: str,
        wrap: Callable[[str, View], View] | None = None,
        client_keys: bool = True,
    ) -> None:
        """Mount ``router`` under /api/v1/``prefix``; adding the same router twice keeps the first.
        Longer prefixes are mounted first, so "" (the portal's) never shadows another app's."""
        if all(part.router is not router for part in self.api_routers):
            self.api_routers.append(ApiRouter(prefix, router, namespace, wrap, client_keys))
            self.api_routers.sort(key=lambda part: -len(part.prefix))

    def nav_for(self, area: Area, user: User | None) -> list[NavEntry]:
        return [
            e
            for e in self.nav
            if e.area == area and (e.visible is None or (user is not None and e.visible(user)))
        ]

    def figures_for(self, user: User) -> list[Figure]:
        return [figure for provider in self.figures for figure in provider(user)]


registry = Registry()


def load_app_modules() -> None:
    """Import ``<app>.contrib`` of every installed Tabyin app other than core."""
    from importlib import import_module, util

    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("tabyin.") and config.name != "tabyin.core":
            module = f"{config.name}.contrib"
            if util.find_spec(module) is not None:
                import_module(module).register()
