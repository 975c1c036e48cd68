"""Reading the answer workflow: the staff queue, one rumor with its answer, the public clarifications.

The spread comparison puts a rumor and our answer side by side: distinct channels (a channel
counts once, at its first post; the tipline, staff pastes and, for the rumor, our own channels are
not spreaders) reached 1, 3, 6, 12, 24, 48 and 72 hours after each story's first publication,
totals, and the response time on the one clock (``pipeline.clock``): from detection and from the
rumor's first post to the answer's publication. The answer side
is our published answer's story plus the denials by other channels the stance step linked to the
rumor (``StanceLink``); those denials are never counted on the rumor's side.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone

from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.monitor import permissions
from tabyin.monitor.dashboard.selectors import NOT_SPREADING_KINDS, spreaders_q
from tabyin.monitor.enums import ResponseStatus, Stance
from tabyin.monitor.models import Post, Publication, Response, Story, Tip
from tabyin.monitor.pipeline.clock import ResponseTime, response_time
from tabyin.monitor.pipeline.spread import Side

CHECKPOINTS_HOURS = (1, 3, 6, 12, 24, 48, 72)


@dataclass(frozen=True)
class QueueRow:
    story: Story
    response: Response | None
    age: timedelta
    time_to_answer: ResponseTime | None
    channels: int  # spreaders only


@dataclass(frozen=True)
class Spread:
    # None on an answer side made only of other channels' denials (no answer of ours tracked).
    story: Story | None
    channels: int
    posts: int
    views: int
    first_at: datetime | None
    # (hours after first publication, channels reached by then); None once in the future.
    curve: list[tuple[int, int | None]]
    # Answer side: how many of its posts are denials by other channels linked to the rumor.
    denials: int = 0


@dataclass(frozen=True)
class Comparison:
    rumor: Spread
    answer: Spread | None
    time_to_answer: ResponseTime | None
    answered_at: datetime | None
    rows: list[tuple[int, int | None, int | None]] = field(default_factory=list)


@dataclass(frozen=True)
class ResponsePage:
    story: Story
    response: Response | None
    publications: list[Publication]
    tips: int
    comparison: Comparison
    can_triage: bool
    can_approve: bool
    drafted_by_me: bool


def _viewer(actor: User) -> None:
    permissions.require(permissions.sees_everything(scope_for(actor)), "rumor answers are handled at HQ")


def _response_of(story: Story) -> Response | None:
    try:
        return story.response
    except Response.DoesNotExist:
        return None


def time_to_answer(story: Story, response: Response | None) -> ResponseTime | None:
    """The one response clock for this story (None until the answer is published)."""
    return response_time(
        first_seen_at=story.first_seen_at,
        first_published_at=story.first_published_at,
        answered_at=response.published_at if response else None,
    )


def responses_queue(actor: User, *, now: datetime | None = None) -> list[QueueRow]:
    """Flagged rumors: unanswered first (oldest flag first), then answered (newest answer first)."""
    _viewer(actor)
    now = now or timezone.now()
    stories = (
        Story.objects.filter(is_rumor=True)
        .select_related("assignee", "response", "response__drafted_by")
        .annotate(spreaders=Count("posts__source", distinct=True, filter=spreaders_q("posts__source__")))
        .order_by("rumor_flagged_at", "id")
    )
    rows = []
    for s in stories:
        response = _response_of(s)
        rows.append(
            QueueRow(
                story=s,
                response=response,
                age=now - s.first_published_at,
                time_to_answer=time_to_answer(s, response),
                channels=s.spreaders,
            )
        )
    open_rows = [r for r in rows if r.time_to_answer is None]
    answered = sorted(
        (r for r in rows if r.time_to_answer is not None),
        key=lambda r: r.response.published_at if r.response and r.response.published_at else now,
        reverse=True,
    )
    return open_rows + answered


def _rows(posts: QuerySet[Post]) -> Iterable[tuple[int, int, datetime, int | None]]:
    return posts.values_list("id", "source_id", "published_at", "views").iterator()


def _spread(side: Side, story: Story | None, now: datetime, *, denials: int = 0) -> Spread:
    first_seen = side.first_seen
    start = min(first_seen.values()) if first_seen else None
    curve: list[tuple[int, int | None]] = []
    for hours in CHECKPOINTS_HOURS:
        if start is None or start + timedelta(hours=hours) > now:
            curve.append((hours, None))
            continue
        until = start + timedelta(hours=hours)
        curve.append((hours, sum(1 for at in first_seen.values() if at <= until)))
    return Spread(
        story=story,
        channels=side.channels,
        posts=side.posts,
        views=side.views,
        first_at=start,
        curve=curve,
        denials=denials,
    )


def denial_posts(story: Story) -> QuerySet[Post]:
    """Posts by other channels that deny ``story`` (linked by the stance step, kept out of it)."""
    return Post.objects.filter(stance_link__rumor=story, stance_link__stance=Stance.DISAGREE)


def spread_comparison(story: Story, *, now: datetime | None = None) -> Comparison:
    """The rumor's spread beside its answer side's: our answer (if published and tracked) and the
    denials by other channels linked to the rumor."""
    now = now or timezone.now()
    response = _response_of(story)
    # Our own channels, the tipline and staff pastes never spread the rumor; our channels do carry
    # the answer (its reach).
    rumor = _spread(Side().add(_rows(Post.objects.filter(story=story).filter(spreaders_q()))), story, now)
    side = Side()
    answer_story = None
    if response is not None and response.answer_story_id:
        answer_story = Story.objects.filter(pk=response.answer_story_id).first()
        if answer_story is not None:
            side.add(
                _rows(Post.objects.filter(story=answer_story).exclude(source__kind__in=NOT_SPREADING_KINDS))
            )
    denying = denial_posts(story).exclude(source__kind__in=NOT_SPREADING_KINDS)
    denials = denying.exclude(source__is_owned=True).count()
    side.add(_rows(denying))
    answer = _spread(side, answer_story, now, denials=denials) if side.posts else None
    rows = [
        (hours, channels, answer.curve[i][1] if answer else None)
        for i, (hours, channels) in enumerate(rumor.curve)
    ]
    return Comparison(
        rumor=rumor,
        answer=answer,
        time_to_answer=time_to_answer(story, response),
        answered_at=response.published_at if response else None,
        rows=rows,
    )


def response_page(actor: User, story: Story) -> ResponsePage:
    _viewer(actor)
    scope = scope_for(actor)
    response = _response_of(story)
    return ResponsePage(
        story=story,
        response=response,
        publications=list(response.publications.select_related("source").order_by("id")) if response else [],
        tips=Tip.objects.filter(post__story=story).count(),
        comparison=spread_comparison(story),
        can_triage=permissions.can_triage(scope),
        can_approve=permissions.can_approve(scope),
        drafted_by_me=bool(response and response.drafted_by_id == actor.pk),
    )


# --- public --------------------------------------------------------------------------------------


def clarifications_public() -> QuerySet[Response]:
    """Published answers, newest first (no staff names: only what the public page shows)."""
    return (
        Response.objects.filter(status=ResponseStatus.PUBLISHED, published_at__isnull=False)
        .select_related("story")
        .only("id", "title", "body", "published_at", "story__title", "story__first_published_at")
        .order_by("-published_at", "-id")
    )


def clarification_public(pk: int) -> Response | None:
    return clarifications_public().filter(pk=pk).first()
