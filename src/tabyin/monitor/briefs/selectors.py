"""What the daily brief says: the figures of one Tehran day, read with a few aggregate queries.

A *mention* is a post about the organization: its watch-query matches reach the relevance
threshold (``queries.selectors_relevance``); a post that matched only a place or a peer («قیمت طلا در بازار
تهران») is not counted, and a story is in the brief when one of its posts is a mention. The
threshold is read inside the brief's queries (``threshold_sql``), not one query more. A day is
the Asia/Tehran calendar day, 00:00 to 24:00; a brief of the current day covers it up to ``now``
and is compared with the same hours of the day before, so a morning is not set against a whole day.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import Combinable
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from tabyin.core.jalali import TEHRAN
from tabyin.core.models import OrgUnit, User
from tabyin.core.scoping import scope_for
from tabyin.monitor import permissions
from tabyin.monitor.enums import Sentiment, StoryKind
from tabyin.monitor.models import Alert, Brief, Match, Post, Story
from tabyin.monitor.pipeline.clock import ResponseTime, response_time
from tabyin.monitor.queries.selectors_relevance import relevant, story_relevant_q, threshold_sql

TOP_STORIES = 5
TOP_CHANNELS = 5
TOP_PROVINCES = 5
MAX_RUMORS = 10
MAX_ALERTS = 10
LIST_DAYS = 90


@dataclass(frozen=True)
class StoryLine:
    id: int
    title: str
    url: str
    sentiment: str
    is_rumor: bool
    first_published_at: datetime
    channels: int  # every channel that has carried it so far
    channels_today: int  # channels that posted it during the day
    posts_today: int
    # Velocity: the most channels that picked it up for the first time within one clock hour.
    peak_new_channels: int
    peak_hour: datetime | None


@dataclass(frozen=True)
class RumorLine:
    id: int
    title: str
    url: str
    flagged_at: datetime | None
    status: str  # ResponseStatus value, "" when nobody has started an answer
    published_at: datetime | None
    time_to_answer: ResponseTime | None  # the one clock (pipeline.clock), as on the story page


@dataclass(frozen=True)
class AlertLine:
    id: int
    story_id: int
    title: str
    url: str
    rule: str
    kind: str
    created_at: datetime
    acknowledged_at: datetime | None
    time_to_acknowledge: timedelta | None
    count: int = 1  # rule trips folded into this alert within the cool-down


@dataclass(frozen=True)
class ChannelLine:
    source_id: int
    name: str
    key: str
    mentions: int


@dataclass(frozen=True)
class ProvinceLine:
    id: int
    name_fa: str
    name_en: str
    iso_code: str
    mentions: int


@dataclass(frozen=True)
class BriefContent:
    day: date
    start: datetime
    end: datetime  # the end of the day, or ``now`` for a day not over yet
    complete: bool
    mentions: int
    mentions_previous: int
    new_stories: int
    new_negative_stories: int
    sentiment: dict[str, int]
    alerts_total: int
    alerts_acknowledged: int
    rumors_open: int
    top_stories: list[StoryLine] = field(default_factory=list)
    rumors: list[RumorLine] = field(default_factory=list)
    alerts: list[AlertLine] = field(default_factory=list)
    channels: list[ChannelLine] = field(default_factory=list)
    provinces: list[ProvinceLine] = field(default_factory=list)

    @property
    def change_percent(self) -> float | None:
        """Mentions against the day before, in per cent (None when the day before had none)."""
        if not self.mentions_previous:
            return None
        return round(100 * (self.mentions - self.mentions_previous) / self.mentions_previous, 1)

    @property
    def sentiment_percent(self) -> dict[str, float]:
        total = sum(self.sentiment.values())
        return {
            value: round(100 * self.sentiment.get(value, 0) / total, 1) if total else 0.0
            for value in Sentiment.values
        }


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """00:00 of ``day`` and of the next day in Tehran, as aware datetimes."""
    start = datetime.combine(day, time(0), tzinfo=TEHRAN)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=TEHRAN)


def local_day(moment: datetime) -> date:
    return moment.astimezone(TEHRAN).date()


def story_url(pk: int) -> str:
    """Absolute address of the story page (e-mail and PDF leave the site), or "" while the
    dashboard has no story page."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse("monitor:story", args=[pk])
    except NoReverseMatch:
        return ""
    return f"{settings.TABYIN_SITE_URL}{path}"


def _mentions(start: datetime, end: datetime, threshold: Combinable) -> QuerySet[Post]:
    return relevant(Post.objects.filter(published_at__gte=start, published_at__lt=end), threshold)


def brief_content(*, day: date, now: datetime | None = None) -> BriefContent:
    now = now or timezone.now()
    start, day_end = day_bounds(day)
    end = min(day_end, max(now, start))
    previous_start = day_bounds(day - timedelta(days=1))[0]
    previous_end = previous_start + (end - start)
    threshold = threshold_sql()  # read inside each query: the brief's query count does not grow

    sentiment = {
        row["sentiment"]: row["n"]
        for row in _mentions(start, end, threshold).values("sentiment").annotate(n=Count("id")).order_by()
    }
    stories = Story.objects.filter(
        story_relevant_q(threshold),
        kind=StoryKind.ITEM,
        first_published_at__gte=start,
        first_published_at__lt=end,
    ).aggregate(n=Count("id"), negative=Count("id", filter=Q(sentiment=Sentiment.NEGATIVE)))
    alerts = Alert.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(
        n=Count("id"), acknowledged=Count("id", filter=Q(acknowledged_at__isnull=False))
    )
    return BriefContent(
        day=day,
        start=start,
        end=end,
        complete=end >= day_end,
        mentions=sum(sentiment.values()),
        mentions_previous=_mentions(previous_start, previous_end, threshold).count(),
        new_stories=stories["n"],
        new_negative_stories=stories["negative"],
        sentiment={value: sentiment.get(value, 0) for value in Sentiment.values},
        alerts_total=alerts["n"],
        alerts_acknowledged=alerts["acknowledged"],
        rumors_open=Story.objects.filter(is_rumor=True).exclude(response__published_at__isnull=False).count(),
        top_stories=_top_stories(start, end, threshold),
        rumors=_rumors(start, end),
        alerts=_alerts(start, end),
        channels=_channels(start, end, threshold),
        provinces=_provinces(start, end, threshold),
    )


def _top_stories(start: datetime, end: datetime, threshold: Combinable) -> list[StoryLine]:
    # The filter on posts comes before the annotation, so the counts are of the day's posts only.
    day_posts = Q(posts__published_at__gte=start, posts__published_at__lt=end)
    fields = ("id", "title", "sentiment", "is_rumor", "first_published_at", "channel_count")
    rows = list(
        Story.objects.filter(day_posts, story_relevant_q(threshold), kind=StoryKind.ITEM)
        .annotate(
            channels_today=Count("posts__source", distinct=True), posts_today=Count("posts", distinct=True)
        )
        .order_by("-channels_today", "-posts_today", "id")
        .values(*fields, "channels_today", "posts_today")[:TOP_STORIES]
    )
    first_seen: dict[int, dict[int, datetime]] = defaultdict(dict)
    posts = Post.objects.filter(story_id__in=[r["id"] for r in rows], published_at__lt=end)
    for story_id, source_id, at in posts.values_list("story_id", "source_id", "published_at"):
        seen = first_seen[story_id]
        if source_id not in seen or at < seen[source_id]:
            seen[source_id] = at
    lines = []
    for r in rows:
        hours = Counter(
            at.astimezone(TEHRAN).replace(minute=0, second=0, microsecond=0)
            for at in first_seen[r["id"]].values()
            if at >= start
        )
        peak = min(hours.items(), key=lambda item: (-item[1], item[0])) if hours else None
        lines.append(
            StoryLine(
                id=r["id"],
                title=r["title"],
                url=story_url(r["id"]),
                sentiment=r["sentiment"],
                is_rumor=r["is_rumor"],
                first_published_at=r["first_published_at"],
                channels=max(r["channel_count"], r["channels_today"]),
                channels_today=r["channels_today"],
                posts_today=r["posts_today"],
                peak_new_channels=peak[1] if peak else 0,
                peak_hour=peak[0] if peak else None,
            )
        )
    return lines


def _rumors(start: datetime, end: datetime) -> list[RumorLine]:
    """Rumors flagged during the day, and earlier ones whose answer went out during it."""
    window = Q(rumor_flagged_at__gte=start, rumor_flagged_at__lt=end) | Q(
        response__published_at__gte=start, response__published_at__lt=end
    )
    rows = (
        Story.objects.filter(window, is_rumor=True)
        .values(
            "id",
            "title",
            "rumor_flagged_at",
            "response__status",
            "response__published_at",
            "first_seen_at",
            "first_published_at",
        )
        .order_by("rumor_flagged_at", "id")[:MAX_RUMORS]
    )
    lines = []
    for r in rows:
        flagged, published = r["rumor_flagged_at"], r["response__published_at"]
        lines.append(
            RumorLine(
                id=r["id"],
                title=r["title"],
                url=story_url(r["id"]),
                flagged_at=flagged,
                status=r["response__status"] or "",
                published_at=published,
                time_to_answer=response_time(
                    first_seen_at=r["first_seen_at"],
                    first_published_at=r["first_published_at"],
                    answered_at=published,
                ),
            )
        )
    return lines


def _alerts(start: datetime, end: datetime) -> list[AlertLine]:
    rows = (
        Alert.objects.filter(created_at__gte=start, created_at__lt=end)
        .select_related("rule", "story")
        .order_by("created_at", "id")[:MAX_ALERTS]
    )
    return [
        AlertLine(
            id=a.pk,
            story_id=a.story_id,
            title=a.story.title,
            url=story_url(a.story_id),
            rule=a.rule.name,
            kind=a.rule.kind,
            created_at=a.created_at,
            acknowledged_at=a.acknowledged_at,
            time_to_acknowledge=a.acknowledged_at - a.created_at if a.acknowledged_at else None,
            count=a.count,
        )
        for a in rows
    ]


def _channels(start: datetime, end: datetime, threshold: Combinable) -> list[ChannelLine]:
    rows = (
        _mentions(start, end, threshold)
        .values("source_id", "source__name", "source__kind", "source__handle")
        .annotate(n=Count("id"))
        .order_by("-n", "source_id")[:TOP_CHANNELS]
    )
    return [
        ChannelLine(
            source_id=r["source_id"],
            name=r["source__name"] or r["source__handle"],
            key=f"{r['source__kind']}:{r['source__handle']}",
            mentions=r["n"],
        )
        for r in rows
    ]


def _provinces(start: datetime, end: datetime, threshold: Combinable) -> list[ProvinceLine]:
    """A mention belongs to a province when its channel is that province's or it matches one of
    that province's watch queries (as in ``permissions.provinces``); counted once per province.
    Only mentions: a post that matched the province's query alone is not about the organization."""
    mentions = _mentions(start, end, threshold)
    pairs = set(mentions.filter(source__province__isnull=False).values_list("id", "source__province_id"))
    pairs |= set(
        Match.objects.filter(
            published_at__gte=start,
            published_at__lt=end,
            query__province__isnull=False,
            post__in=mentions.values("pk"),
        )
        .values_list("post_id", "query__province_id")
        .distinct()
    )
    counts = Counter(province for _post, province in pairs if province is not None)
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_PROVINCES]
    units = OrgUnit.objects.in_bulk([pk for pk, _n in top])
    return [
        ProvinceLine(
            id=pk,
            name_fa=units[pk].name_fa,
            name_en=units[pk].name_en,
            iso_code=units[pk].iso_code,
            mentions=n,
        )
        for pk, n in top
        if pk in units
    ]


# --- Staff pages ------------------------------------------------------------------------------


def can_read_briefs(user: User) -> bool:
    return permissions.sees_everything(scope_for(user))


def brief_list(*, user: User) -> list[Brief]:
    """The briefs of the last ``LIST_DAYS`` days (without their HTML and PDF, which are large)."""
    permissions.require(can_read_briefs(user), "briefs are for national viewers")
    return list(Brief.objects.defer("html", "pdf").order_by("-day")[:LIST_DAYS])


def web_html(html: str) -> str:
    """The brief as the site serves it: links into the site are made relative to it. The kept
    HTML names the site by ``TABYIN_SITE_URL`` (an e-mail leaves the site and needs it); a browser
    that reached the site by another address (a proxy, a second host name) still follows every
    story link."""
    site = settings.TABYIN_SITE_URL.rstrip("/")
    if not site:
        return html
    return html.replace(f'href="{site}/', 'href="/')


def brief_get(*, user: User, day: date) -> Brief | None:
    permissions.require(can_read_briefs(user), "briefs are for national viewers")
    return Brief.objects.filter(day=day).first()
