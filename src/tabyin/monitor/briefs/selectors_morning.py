"""The senior manager's morning on ``/staff/``: what needs them today, each with a count and a link.

Five lists, each read with one or two queries whatever the number of rows (the page's query count
is constant): new and growing stories about the organization today, rumors still without a
published answer and how long they have waited, alerts nobody acknowledged, answers waiting for
approval, and yesterday's brief with the stories it named. "Today" is the Tehran calendar day.

"About the organization" is the relevance rule (``queries.selectors_relevance``), not "matched any watch
query". A story is *new* today when its first post is today, *growing* when an older story reached new
channels today (a channel whose first post in the story is today).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Min
from django.db.models.functions import Coalesce
from django.utils import timezone

from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.monitor.briefs.selectors import day_bounds, local_day
from tabyin.monitor.enums import ResponseStatus, StoryKind
from tabyin.monitor.models import Alert, Brief, Post, Response, Story
from tabyin.monitor.queries.selectors_relevance import story_relevant_q

SHOWN = 5


@dataclass(frozen=True)
class StoryRow:
    id: int
    title: str
    channels: int
    new_channels: int  # channels that first carried it today
    is_new: bool  # first posted today (else: an older story still growing)
    is_rumor: bool


@dataclass(frozen=True)
class RumorRow:
    id: int
    title: str
    since: datetime  # when it was flagged (when first seen, should the flag time be missing)
    age: timedelta
    status: str  # ResponseStatus value, "" when nobody has started an answer


@dataclass(frozen=True)
class AlertRow:
    id: int
    story_id: int
    title: str
    created_at: datetime
    count: int


@dataclass(frozen=True)
class AnswerRow:
    story_id: int
    title: str
    submitted_at: datetime


@dataclass(frozen=True)
class Section[T]:
    total: int
    rows: list[T] = field(default_factory=list)


@dataclass(frozen=True)
class Morning:
    day: datetime
    now: datetime
    stories: Section[StoryRow]
    rumors: Section[RumorRow]
    alerts: Section[AlertRow]
    answers: Section[AnswerRow]
    brief: Brief | None


def for_senior_manager(user: User) -> bool:
    return scope_for(user).has_national_role(Role.SENIOR_MANAGER)


def _stories(start: datetime, end: datetime) -> Section[StoryRow]:
    # Each story's channels with the first time each carried it (one aggregate query), restricted
    # to stories about the organization (one post reaches the relevance threshold: a story that
    # matched only a place name is not) that had a post today.
    today = Post.objects.filter(
        story_relevant_q(ref="story_id"),
        published_at__gte=start,
        published_at__lt=end,
        story__kind=StoryKind.ITEM,
    ).values("story_id")
    firsts = (
        Post.objects.filter(story_id__in=today, published_at__lt=end)
        .values("story_id", "source_id")
        .annotate(first=Min("published_at"))
        .order_by()
    )
    fresh: dict[int, int] = {}
    carried: dict[int, int] = {}  # every channel that carried it by now, counted the same way
    for row in firsts:
        fresh.setdefault(row["story_id"], 0)
        carried[row["story_id"]] = carried.get(row["story_id"], 0) + 1
        if row["first"] >= start:
            fresh[row["story_id"]] += 1
    ids = [pk for pk, n in fresh.items() if n]
    stories = Story.objects.filter(pk__in=ids).only("id", "title", "first_published_at", "is_rumor")
    rows = [
        StoryRow(s.pk, s.title, carried[s.pk], fresh[s.pk], s.first_published_at >= start, s.is_rumor)
        for s in stories
    ]
    rows.sort(key=lambda r: (not r.is_new, -r.new_channels, r.id))
    return Section(len(rows), rows[:SHOWN])


def _rumors(now: datetime) -> Section[RumorRow]:
    waiting = Story.objects.filter(is_rumor=True).exclude(response__published_at__isnull=False)
    total = waiting.count()
    rows = [
        RumorRow(r["id"], r["title"], r["since"], now - r["since"], r["response__status"] or "")
        for r in waiting.annotate(since=Coalesce("rumor_flagged_at", "first_seen_at"))
        .values("id", "title", "since", "response__status")
        .order_by("since", "id")[:SHOWN]
    ]
    return Section(total, rows)


def _alerts() -> Section[AlertRow]:
    open_alerts = Alert.objects.filter(acknowledged_at__isnull=True)
    total = open_alerts.count()
    rows = [
        AlertRow(a["id"], a["story_id"], a["story__title"], a["created_at"], a["count"])
        for a in open_alerts.values("id", "story_id", "story__title", "created_at", "count").order_by(
            "-created_at", "-id"
        )[:SHOWN]
    ]
    return Section(total, rows)


def _answers() -> Section[AnswerRow]:
    waiting = Response.objects.filter(status=ResponseStatus.IN_REVIEW)
    total = waiting.count()
    rows = [
        AnswerRow(r["story_id"], r["story__title"], r["updated_at"])
        for r in waiting.values("story_id", "story__title", "updated_at").order_by("updated_at", "id")[:SHOWN]
    ]
    return Section(total, rows)


def morning(*, user: User, now: datetime | None = None) -> Morning | None:
    """The senior manager's morning, or None for anyone else (their page stays as it was)."""
    if not for_senior_manager(user):
        return None
    now = now or timezone.now()
    today = local_day(now)
    start, end = day_bounds(today)
    brief = Brief.objects.defer("html", "pdf").filter(day=today - timedelta(days=1)).first()
    return Morning(
        day=start,
        now=now,
        stories=_stories(start, min(end, now + timedelta(seconds=1))),
        rumors=_rumors(now),
        alerts=_alerts(),
        answers=_answers(),
        brief=brief,
    )
