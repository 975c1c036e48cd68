"""What the story list and the story page read: stories in scope, a story's reposts, its spread,
the answer's spread, and the raw evidence for the network of channels that republish one another.

A story is visible when at least one of its posts is (``dashboard.selectors.post_scope_q``); once
visible, the whole story is shown: its reposts are the same public item, and hiding some of them
would make the spread figures wrong. A story outside the viewer's scope is a 404, as if it did not
exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch
from django.http import Http404

from tabyin.core.scoping import Scope
from tabyin.monitor.dashboard.selectors import (
    NOT_SPREADING_KINDS,
    Filters,
    StoryRow,
    filtered_posts,
    spreaders_q,
    story_rows,
    visible_stories,
)
from tabyin.monitor.enums import Sentiment, StoryKind
from tabyin.monitor.models import Post, PostVersion, Response, Source, Story
from tabyin.monitor.pipeline import spread
from tabyin.monitor.pipeline.clock import ResponseTime, response_time
from tabyin.monitor.pipeline.types import split_forward

PER_PAGE: Final = 25
# The network and the hostile-amplifier count look this far back.
HISTORY: Final = timedelta(days=30)
# A channel that reposted this many negative stories in HISTORY gets the "amplifies hostile items" badge.
HOSTILE_MIN: Final = 3
# The timeline lists this many posts at most; the figures above it count every post.
TIMELINE_MAX: Final = 1000


def stories_page(
    *, scope: Scope, filters: Filters, now: datetime, page: int | str = 1, rumors_only: bool = False
) -> tuple[Page[Story], list[StoryRow]]:
    """Stories with mentions in the period (newest activity first), one page of them, in a constant
    number of queries (count, page, posts of the page for velocity)."""
    posts = filtered_posts(scope, filters, now=now)
    stories = (
        Story.objects.filter(Exists(posts.filter(story=OuterRef("pk"))))
        .select_related("response", "origin_post__source")
        .order_by("-last_post_at", "-pk")
    )
    if rumors_only:
        stories = stories.filter(is_rumor=True)
    paginated = Paginator(stories, PER_PAGE).get_page(page)
    return paginated, story_rows(list(paginated.object_list), now=now)


def story_or_404(*, scope: Scope, pk: int) -> Story:
    story = (
        visible_stories(scope)
        .select_related("origin_post__source", "response__answer_story", "assignee", "rumor_flagged_by")
        .filter(pk=pk)
        .first()
    )
    if story is None:
        raise Http404("no such story")
    return story


def response_of(story: Story) -> Response | None:
    try:
        return story.response
    except Response.DoesNotExist:
        return None


@dataclass(frozen=True)
class Spread:
    first_seen: dict[int, datetime]  # channel id → first post of the story there
    cumulative: list[tuple[datetime, int]]
    velocity: spread.Velocity


def spread_of(story: Story, *, now: datetime) -> Spread:
    """The story's spread over the channels that spread it: not the tipline or pastes, and not our
    own channels unless the story is our answer (they carry it)."""
    posts = Post.objects.filter(story=story)
    if story.kind == StoryKind.ANSWER:
        posts = posts.exclude(source__kind__in=NOT_SPREADING_KINDS)
    else:
        posts = posts.filter(spreaders_q())
    rows = posts.values_list("source_id", "published_at")
    first = spread.channel_first_seen(rows)
    times = list(first.values())
    return Spread(first, spread.cumulative(times, step=step_for(times)), spread.velocity(times, now))


def step_for(times: list[datetime]) -> timedelta:
    """A sampling step that keeps the chart to about a hundred points."""
    if len(times) < 2:
        return timedelta(minutes=10)
    length = max(times) - min(times)
    for step in (timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1), timedelta(hours=6)):
        if length / step <= 100:
            return step
    return timedelta(days=1)


@dataclass(frozen=True)
class Timeline:
    posts: list[Post]  # with source, correction and versions loaded
    truncated: bool
    first_in_channel: set[int]  # post ids that brought the story to a new channel


def timeline(story: Story) -> Timeline:
    versions = Prefetch("versions", queryset=PostVersion.objects.order_by("version"))
    posts = list(
        Post.objects.filter(story=story)
        .select_related("source", "correction")
        .prefetch_related(versions)
        .order_by("published_at", "id")[: TIMELINE_MAX + 1]
    )
    seen: set[int] = set()
    first: set[int] = set()
    for p in posts:
        if p.source_id not in seen:
            seen.add(p.source_id)
            first.add(p.pk)
    return Timeline(posts[:TIMELINE_MAX], len(posts) > TIMELINE_MAX, first)


@dataclass(frozen=True)
class NetworkEvidence:
    channels: dict[int, Source]
    first_posts: list[tuple[int, int, datetime]]  # (story id, channel id, first post there)
    forwards: list[tuple[int, int]]  # (forwarded channel id, forwarding channel id)
    negative_reposts: dict[int, int]  # channel id → negative stories it reposted in HISTORY


def network_evidence(story: Story, channel_ids: list[int], *, now: datetime) -> NetworkEvidence:
    """Everything network.py needs about this story's channels over the last 30 days (4 queries)."""
    since = now - HISTORY
    channels = Source.objects.in_bulk(channel_ids)
    recent = Post.objects.filter(source_id__in=channel_ids, published_at__gt=since)
    # Only stories that at least two of these channels carried can give a timing edge.
    shared = (
        recent.order_by()
        .values("story_id")
        .annotate(n=Count("source_id", distinct=True))
        .filter(n__gte=2)
        .values("story_id")
    )
    first_posts = [
        (r["story_id"], r["source_id"], r["first"])
        for r in Post.objects.filter(source_id__in=channel_ids)
        .filter(story_id__in=shared)
        .filter(published_at__gt=since)
        .order_by()
        .values("story_id", "source_id")
        .annotate(first=Min("published_at"))
    ]
    by_key = {s.key: pk for pk, s in channels.items()}
    forwards = []
    forwarding = (recent | Post.objects.filter(story=story)).exclude(forwarded_from="")
    for target, origin in forwarding.values_list("source_id", "forwarded_from").distinct():
        parts = split_forward(origin)
        source_id = by_key.get(parts[0]) if parts else by_key.get(origin)
        if source_id is not None:
            forwards.append((source_id, target))
    negatives = {
        r["source_id"]: r["n"]
        for r in recent.filter(story__sentiment=Sentiment.NEGATIVE)
        .exclude(story__origin_post_id=F("id"))
        .order_by()
        .values("source_id")
        .annotate(n=Count("story_id", distinct=True))
    }
    return NetworkEvidence(channels, first_posts, forwards, negatives)


@dataclass(frozen=True)
class Answer:
    story: Story
    cumulative: list[tuple[datetime, int]]
    channels: int
    published_at: datetime
    took: ResponseTime  # the one clock: from detection and from the rumor's first post


def answer_of(story: Story) -> Answer | None:
    response = response_of(story)
    if response is None or response.answer_story is None:
        return None
    answer = response.answer_story
    # The answer's reach counts our own channels (they carry it) but not the tipline or pastes.
    rows = (
        Post.objects.filter(story=answer)
        .exclude(source__kind__in=NOT_SPREADING_KINDS)
        .values_list("source_id", "published_at")
    )
    times = list(spread.channel_first_seen(rows).values())
    published = response.published_at or answer.first_published_at
    took = response_time(
        first_seen_at=story.first_seen_at, first_published_at=story.first_published_at, answered_at=published
    )
    assert took is not None  # answered_at is set
    return Answer(answer, spread.cumulative(times, step=step_for(times)), len(times), published, took)
