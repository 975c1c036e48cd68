"""What the monitoring dashboard reads: mentions over time, sentiment, top stories and channels,
mentions by province, share of voice and open alerts — all within the viewer's scope.

A *mention* is a post about the organization: the weights of the watch queries it matched (active
or not) reach the relevance threshold (``queries.selectors_relevance``); a post that only matched a place
name or a peer organization is not one. A
provincial PR officer sees only posts that match their province's PROVINCE queries or come from a
source of their province (``visible_posts``); every figure here goes through that filter, so no
view or template can leak another province's mentions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDay, TruncHour

from tabyin.core.enums import UnitKind
from tabyin.core.models import OrgUnit
from tabyin.core.scoping import Scope
from tabyin.monitor import permissions
from tabyin.monitor.enums import QueryKind, ResponseStatus, Sentiment, SourceKind, StoryKind
from tabyin.monitor.models import Alert, Match, Post, Response, Story, WatchQuery
from tabyin.monitor.pipeline import spread
from tabyin.monitor.queries.selectors_relevance import relevant

TEHRAN: Final = ZoneInfo("Asia/Tehran")
PERIODS: Final = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}
# Up to two days the series is hourly; longer periods would have too many bars to read.
HOURLY_UP_TO: Final = timedelta(days=2)
TOP: Final = 10
LATEST_ALERTS: Final = 5


@dataclass(frozen=True)
class Filters:
    """The dashboard's and the story list's filters, as the GET form cleans them."""

    period: str = "7d"
    source_kind: str = ""
    province_id: int | None = None
    query_id: int | None = None
    # The story list can also show stories that matched a query but are not about the
    # organization (a place name or a peer only), so an analyst can see what the score left out.
    all_matches: bool = False

    @property
    def span(self) -> timedelta:
        return PERIODS.get(self.period, PERIODS["7d"])


# --- Spreaders ------------------------------------------------------------------------------------

# Sources that carry a story without spreading it: citizens asking the tipline, staff pastes.
NOT_SPREADING_KINDS: Final = (SourceKind.TIPLINE, SourceKind.PASTE)


def spreaders_q(prefix: str = "source__") -> Q:
    """Sources counted as channels that spread a story: not the tipline, not a staff paste, not one
    of the organization's own channels (they carry our answers, not the rumor)."""
    return ~Q(**{f"{prefix}kind__in": NOT_SPREADING_KINDS}) & Q(**{f"{prefix}is_owned": False})


# --- Scope -----------------------------------------------------------------------------------------


def posts_concerning(province_ids: frozenset[int] | set[int]) -> Q:
    """Posts that concern these provinces: published by their sources or matching their queries."""
    province_match = Match.objects.filter(
        post=OuterRef("pk"), query__kind=QueryKind.PROVINCE, query__province_id__in=province_ids
    )
    return Q(source__province_id__in=province_ids) | Q(Exists(province_match))


def post_scope_q(scope: Scope) -> Q:
    """The condition on ``Post`` rows that this viewer may see; 403 without monitoring rights."""
    permissions.require(permissions.can_view(scope), "no access to media monitoring")
    if permissions.sees_everything(scope):
        return Q()
    return posts_concerning(permissions.provinces(scope))


def visible_posts(scope: Scope) -> QuerySet[Post]:
    return Post.objects.filter(post_scope_q(scope))


def visible_stories(scope: Scope) -> QuerySet[Story]:
    if permissions.sees_everything(scope):
        permissions.require(permissions.can_view(scope))
        return Story.objects.all()
    posts = Post.objects.filter(post_scope_q(scope), story=OuterRef("pk"))
    return Story.objects.filter(Exists(posts))


def filtered_posts(scope: Scope, filters: Filters, *, now: datetime, mentions: bool = True) -> QuerySet[Post]:
    """Visible posts of the period with the form's filters; ``mentions``: only mentions of the
    organization (relevant posts; the query filter, when set, narrows that to one query's matches)."""
    posts = visible_posts(scope).filter(published_at__gt=now - filters.span, published_at__lte=now)
    if filters.source_kind:
        posts = posts.filter(source__kind=filters.source_kind)
    if filters.province_id is not None:
        posts = posts.filter(posts_concerning({filters.province_id}))
    if not mentions:
        return posts
    if filters.query_id is not None:
        posts = posts.filter(Exists(Match.objects.filter(post=OuterRef("pk"), query_id=filters.query_id)))
    elif filters.all_matches:
        posts = posts.filter(Exists(Match.objects.filter(post=OuterRef("pk"))))
    return posts if filters.all_matches else relevant(posts)


# --- Figures ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    start: datetime  # Tehran time
    count: int


def _floor(at: datetime, hourly: bool) -> datetime:
    local = at.astimezone(TEHRAN).replace(minute=0, second=0, microsecond=0)
    return local if hourly else local.replace(hour=0)


def mention_series(posts: QuerySet[Post], *, span: timedelta, now: datetime) -> tuple[list[Bucket], bool]:
    """Mentions per hour (spans up to two days) or per Tehran day, with empty buckets as zero."""
    hourly = span <= HOURLY_UP_TO
    trunc = TruncHour if hourly else TruncDay
    rows = (
        posts.order_by()
        .annotate(bucket=trunc("published_at", tzinfo=TEHRAN))
        .values("bucket")
        .annotate(n=Count("id"))
    )
    counts = {row["bucket"]: row["n"] for row in rows}
    step = timedelta(hours=1) if hourly else timedelta(days=1)
    start, last = _floor(now - span, hourly), _floor(now, hourly)
    buckets: list[Bucket] = []
    at = start
    while at <= last:
        buckets.append(Bucket(at, counts.get(at, 0)))
        at += step  # Iran keeps no daylight saving time since 2022: a day is 24 hours
    return buckets, hourly


def sentiment_counts(posts: QuerySet[Post]) -> dict[str, int]:
    """Mentions by sentiment label, every label present (zero when none)."""
    counts = {str(value): 0 for value in Sentiment.values}
    for row in posts.order_by().values("sentiment").annotate(n=Count("id")):
        counts[row["sentiment"]] = row["n"]
    return counts


@dataclass(frozen=True)
class StoryRow:
    story: Story
    channels: int
    new_channels_last_hour: int
    velocity_ratio: float | None
    response_status: str  # "" when no response was started

    @property
    def response_label(self) -> str:
        return str(dict(ResponseStatus.choices).get(self.response_status, ""))


def story_rows(stories: list[Story], *, now: datetime) -> list[StoryRow]:
    """Channels reached and velocity of each story from its spreaders' posts (one query for all);
    our answer's own channels count for the answer, which they carry."""
    answers = {s.pk for s in stories if s.kind == StoryKind.ANSWER}
    rows = (
        Post.objects.filter(story__in=[s.pk for s in stories])
        .exclude(source__kind__in=NOT_SPREADING_KINDS)
        .values_list("story_id", "source_id", "published_at", "source__is_owned")
    )
    by_story: dict[int, list[tuple[int, datetime]]] = {}
    for story_id, source_id, at, owned in rows:
        if not owned or story_id in answers:
            by_story.setdefault(story_id, []).append((source_id, at))
    out = []
    for story in stories:
        first = spread.channel_first_seen(by_story.get(story.pk, []))
        v = spread.velocity(first.values(), now)
        out.append(StoryRow(story, len(first), v.last_hour, v.ratio, _response_status(story)))
    return out


def _response_status(story: Story) -> str:
    try:
        return story.response.status
    except Response.DoesNotExist:  # reverse one-to-one: raises when there is none
        return ""


def top_stories(posts: QuerySet[Post], *, now: datetime) -> list[StoryRow]:
    """Stories with mentions in the period, most channels reached first, then fastest spreading."""
    stories = list(
        Story.objects.filter(Exists(posts.filter(story=OuterRef("pk"))))
        .select_related("response")
        .order_by("-channel_count", "-last_post_at", "-pk")[:TOP]
    )
    rows = story_rows(stories, now=now)
    return sorted(rows, key=lambda r: (-r.channels, -r.new_channels_last_hour))


@dataclass(frozen=True)
class ChannelRow:
    source_id: int
    name: str
    key: str
    mentions: int
    views: int


def top_channels(posts: QuerySet[Post]) -> list[ChannelRow]:
    """Channels with the most mentions; the tipline, pastes and our own channels are not channels
    that talk about us."""
    rows = (
        posts.filter(spreaders_q())
        .order_by()
        .values("source_id", "source__name", "source__kind", "source__handle")
        .annotate(n=Count("id"), views=Coalesce(Sum("views"), 0))
        .order_by("-n", "-views", "source__handle")[:TOP]
    )
    return [
        ChannelRow(
            r["source_id"],
            r["source__name"] or r["source__handle"],
            f"{r['source__kind']}:{r['source__handle']}",
            r["n"],
            r["views"] or 0,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class ProvinceRow:
    province: OrgUnit
    mentions: int


def by_province(posts: QuerySet[Post]) -> list[ProvinceRow]:
    """Distinct mentions per province: from the province's sources, plus posts from elsewhere that
    match the province's PROVINCE queries (a post is counted once per province)."""
    counts: dict[int, int] = {}
    own = posts.order_by().filter(source__province__isnull=False).values("source__province")
    for province_id, n in own.annotate(n=Count("id")).values_list("source__province", "n"):
        if province_id is not None:
            counts[province_id] = n
    elsewhere = (
        Match.objects.filter(
            query__kind=QueryKind.PROVINCE, query__province__isnull=False, post__in=posts.values("pk")
        )
        .exclude(post__source__province_id=F("query__province_id"))
        .values("query__province")
        .annotate(n=Count("post", distinct=True))
    )
    for province_id, n in elsewhere.order_by().values_list("query__province", "n"):
        if province_id is not None:
            counts[province_id] = counts.get(province_id, 0) + n
    units = OrgUnit.objects.in_bulk(list(counts))
    rows = [ProvinceRow(units[pk], n) for pk, n in counts.items() if pk in units]
    return sorted(rows, key=lambda r: (-r.mentions, r.province.code))


@dataclass(frozen=True)
class VoiceRow:
    name: str
    mentions: int
    share: float  # of all the mentions in this comparison, 0..1
    ours: bool = False


def peer_names() -> list[str]:
    """The peer organizations share of voice compares with: the active PEER watch queries."""
    return list(
        WatchQuery.objects.filter(kind=QueryKind.PEER, is_active=True)
        .order_by("name")
        .values_list("name", flat=True)
    )


def share_of_voice(posts: QuerySet[Post], *, ours_label: str) -> list[VoiceRow]:
    """Mentions of the organization (relevant posts) against each named peer (active PEER queries,
    zero included). Empty — nothing shown — when no peer is configured or none was mentioned: a
    share against nobody ("100 %") says nothing."""
    peers = {
        r["query__name"]: r["n"]
        for r in Match.objects.filter(
            query__kind=QueryKind.PEER, query__is_active=True, post__in=posts.values("pk")
        )
        .values("query__name")
        .annotate(n=Count("post", distinct=True))
    }
    if not any(peers.values()):
        return []
    ours = relevant(posts).count()
    counts = {name: peers.get(name, 0) for name in peer_names()}
    peers_sorted = sorted(((n, c, False) for n, c in counts.items()), key=lambda r: (-r[1], r[0]))
    pairs = [(ours_label, ours, True), *peers_sorted]
    total = sum(n for _, n, _ in pairs)
    return [VoiceRow(name, n, n / total, flag) for name, n, flag in pairs]


@dataclass(frozen=True)
class Alerts:
    unacknowledged: int
    latest: list[Alert] = field(default_factory=list)


def open_alerts(scope: Scope) -> Alerts:
    alerts = Alert.objects.filter(acknowledged_at__isnull=True, story__in=visible_stories(scope).values("pk"))
    latest = list(alerts.select_related("story", "rule").order_by("-created_at", "-pk")[:LATEST_ALERTS])
    count = len(latest) if len(latest) < LATEST_ALERTS else alerts.count()
    return Alerts(count, latest)


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    now: datetime
    series: list[Bucket]
    hourly: bool
    total: int
    sentiment: dict[str, int]
    stories: list[StoryRow]
    channels: list[ChannelRow]
    provinces: list[ProvinceRow]
    voice: list[VoiceRow]
    peers: list[str]  # the peer organizations configured (names), mentioned or not
    alerts: Alerts


def dashboard(*, scope: Scope, filters: Filters, now: datetime, ours_label: str) -> Dashboard:
    mentions = filtered_posts(scope, filters, now=now)
    series, hourly = mention_series(mentions, span=filters.span, now=now)
    # Share of voice compares queries, so it ignores the query filter and starts from every post.
    everything = filtered_posts(
        scope, Filters(filters.period, filters.source_kind, filters.province_id), now=now, mentions=False
    )
    return Dashboard(
        filters=filters,
        now=now,
        series=series,
        hourly=hourly,
        total=sum(b.count for b in series),
        sentiment=sentiment_counts(mentions),
        stories=top_stories(mentions, now=now),
        channels=top_channels(mentions),
        provinces=by_province(mentions),
        voice=share_of_voice(everything, ours_label=ours_label),
        peers=peer_names(),
        alerts=open_alerts(scope),
    )


def filter_choices(scope: Scope) -> tuple[list[OrgUnit], list[WatchQuery]]:
    """Provinces and watch queries the filter form offers (a provincial officer: their provinces)."""
    post_scope_q(scope)  # 403 without monitoring rights
    provinces_qs = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, is_active=True).order_by("code")
    if not permissions.sees_everything(scope):
        provinces_qs = provinces_qs.filter(pk__in=permissions.provinces(scope))
    provinces = list(provinces_qs)
    queries = list(WatchQuery.objects.order_by("kind", "name"))
    return provinces, queries
