"""How apps contribute to the shell without the shell importing them.

Each app registers, in its ``AppConfig.ready`` (through a ``contrib.register`` function),
navigation entries, staff-dashboard figures, metrics other apps may read and a demo-data loader.
The core reads the registry when it renders the shell or runs ``tabyin demo``; it never imports
another app.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.http import HttpRequest, HttpResponse

from tabyin.core.models import User
from tabyin.core.registry_exchange import (
    ApprovedMessage,
    ChannelDelivery,
    ClarityDay,
    CoveragePost,
    CoverageQuery,
    KeyMessageFigures,
    KeyMessageRef,
    OutboxState,
    SeriesRef,
    SeriesSource,
    TipQuery,
    TipQuestion,
    TipState,
)
from tabyin.core.registry_site import (
    Absent,
    ApiRouter,
    Area,
    CalendarEvent,
    CalendarSource,
    DemoStep,
    EventKind,
    Figure,
    HomePanel,
    Metric,
    NavEntry,
    Priority,
    SitemapEntry,
    Text,
    View,
    WorkItem,
    WorkSource,
)

logger = logging.getLogger(__name__)

__all__ = [
    "Absent",
    "ApiRouter",
    "ApprovedMessage",
    "Area",
    "CalendarEvent",
    "CalendarSource",
    "ChannelDelivery",
    "ClarityDay",
    "CoveragePost",
    "CoverageQuery",
    "DemoStep",
    "EventKind",
    "Figure",
    "HomePanel",
    "KeyMessageFigures",
    "KeyMessageRef",
    "Metric",
    "NavEntry",
    "OutboxState",
    "Priority",
    "Registry",
    "SeriesRef",
    "SeriesSource",
    "SitemapEntry",
    "Text",
    "TipQuery",
    "TipQuestion",
    "TipState",
    "View",
    "WorkItem",
    "WorkSource",
    "load_app_modules",
    "registry",
]


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
    # Questions the public sent to the tipline, with what was done about each (the monitor provides them).
    tips: list[Callable[[TipQuery], list[TipQuestion]]] = field(default_factory=list)
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
    # Told when a draft the publisher wrote goes out (its first delivery is sent):
    # ``(address the publisher gave back, when)``; each app finds its own record by that address.
    published: list[Callable[[str, datetime], None]] = field(default_factory=list)
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

    def add_published(self, listener: Callable[[str, datetime], None]) -> None:
        if listener not in self.published:
            self.published.append(listener)

    def draft_published(self, address: str, when: datetime) -> None:
        """The publisher tells every listener that the draft at ``address`` went out at ``when``
        (it may say so more than once: listeners keep the first). A listener's error is logged and
        never stops the sending that called it."""
        for listener in self.published:
            try:
                listener(address, when)
            except Exception:
                logger.exception("published listener failed for %s", address)

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

    def add_tips(self, provider: Callable[[TipQuery], list[TipQuestion]]) -> None:
        if provider not in self.tips:
            self.tips.append(provider)

    def tips_for(self, query: TipQuery) -> list[TipQuestion]:
        """Every provider's questions, newest first; empty when no app runs a tipline."""
        found = [tip for provider in self.tips for tip in provider(query)]
        return sorted(found, key=lambda t: (t.asked_at, t.key), reverse=True)

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
