"""Plain ORM helpers that create sources, watch queries, stories, posts, matches, alerts and
responses quickly in tests.

They write rows directly (no ingestion pipeline), so a test states exactly the data it needs.
``story_refresh`` recomputes a story's denormalised figures the way ingestion keeps them.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from django.db.models import Count, Min, Sum

from tabyin.core.models import OrgUnit
from tabyin.monitor.enums import AlertKind, QueryKind, ResponseStatus, Sentiment, SourceKind
from tabyin.monitor.models import (
    Alert,
    AlertRule,
    Match,
    Post,
    PostVersion,
    Response,
    Source,
    Story,
    WatchQuery,
)

# A fixed "now" for tests that pin the clock: Thursday 2026-11-26 12:00 UTC (15:30 in Tehran).
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
_keys = itertools.count(1_000_001)


def province(code: str = "ir-23") -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def source(
    handle: str,
    *,
    kind: str = SourceKind.TELEGRAM,
    name: str = "",
    province_code: str | None = None,
    is_owned: bool = False,
) -> Source:
    return Source.objects.create(
        kind=kind,
        handle=handle,
        name=name or handle,
        province=province(province_code) if province_code else None,
        is_owned=is_owned,
    )


def query(
    name: str, *, kind: str = QueryKind.ORGANIZATION, expression: str = "", province_code: str | None = None
) -> WatchQuery:
    return WatchQuery.objects.create(
        name=name,
        kind=kind,
        expression=expression or f'"{name}"',
        province=province(province_code) if province_code else None,
    )


def story(
    title: str = "یک خبر", *, at: datetime = NOW, sentiment: str = Sentiment.NEUTRAL, **fields: object
) -> Story:
    return Story.objects.create(
        key=next(_keys),
        signature=b"\0" * 8,
        title=title,
        first_published_at=at,
        first_seen_at=at,
        last_post_at=at,
        sentiment=sentiment,
        **fields,
    )


def post(
    src: Source,
    st: Story,
    at: datetime,
    *,
    post_id: str | None = None,
    views: int | None = None,
    forwarded_from: str = "",
    sentiment: str = Sentiment.NEUTRAL,
    text: str = "",
    queries: tuple[WatchQuery, ...] = (),
    versions: tuple[str, ...] = (),
) -> Post:
    """A post of ``src`` in story ``st``; ``queries`` it matches; ``versions``: earlier texts."""
    p = Post.objects.create(
        source=src,
        post_id=post_id or str(next(_keys)),
        text=text or st.title,
        published_at=at,
        first_seen_at=at,
        views=views,
        forwarded_from=forwarded_from,
        story=st,
        sentiment=sentiment,
        version=len(versions) + 1,
    )
    for q in queries:
        Match.objects.create(post=p, query=q, published_at=at)
    for number, old in enumerate(versions, start=1):
        PostVersion.objects.create(post=p, version=number, text=old, seen_at=at + timedelta(minutes=number))
    return p


def alert(st: Story, at: datetime) -> Alert:
    """An alert on ``st`` created at ``at``, from a rule of its own (a rule alerts once a story)."""
    rule = AlertRule.objects.create(name=f"rule {next(_keys)}", kind=AlertKind.REACH)
    later = Alert.objects.filter(story=st).count()  # a story's alerts after a cool-down: next round
    return Alert.objects.create(rule=rule, story=st, created_at=at, reason="test", round=later)


def response(
    st: Story, *, published_at: datetime | None = None, answer_story: Story | None = None
) -> Response:
    """The answer to ``st``: published at ``published_at``, else a draft."""
    return Response.objects.create(
        story=st,
        status=ResponseStatus.PUBLISHED if published_at else ResponseStatus.DRAFT,
        title="پاسخ",
        body="متن پاسخ",
        published_at=published_at,
        answer_story=answer_story,
    )


def story_refresh(st: Story) -> Story:
    """Recompute first/last times, counts, views and origin from the story's posts."""
    posts = Post.objects.filter(story=st)
    figures = posts.aggregate(
        first=Min("published_at"),
        posts=Count("id"),
        channels=Count("source", distinct=True),
        views=Sum("views"),
    )
    last = posts.order_by("-published_at").values_list("published_at", flat=True).first()
    st.first_published_at = figures["first"] or st.first_published_at
    st.first_seen_at = st.first_published_at
    st.last_post_at = last or st.last_post_at
    st.post_count = figures["posts"]
    st.channel_count = figures["channels"]
    st.total_views = figures["views"] or 0
    st.origin_post = posts.order_by("published_at", "id").first()
    st.matches_watch = Match.objects.filter(post__story=st).exists()
    st.negative_count = posts.filter(sentiment=Sentiment.NEGATIVE).count()
    st.positive_count = posts.filter(sentiment=Sentiment.POSITIVE).count()
    st.rumor_count = posts.filter(rumor_signal=True).count()
    st.save()
    return st


def spread(
    st: Story,
    sources: list[Source],
    start: datetime,
    *,
    every: timedelta = timedelta(minutes=10),
    queries: tuple[WatchQuery, ...] = (),
    sentiment: str = Sentiment.NEUTRAL,
    views: int | None = None,
) -> list[Post]:
    """One post per source, ``every`` apart from ``start``, then the story refreshed."""
    made = [
        post(s, st, start + i * every, queries=queries, sentiment=sentiment, views=views)
        for i, s in enumerate(sources)
    ]
    story_refresh(st)
    return made


class Scenario:
    """A small monitored world around ``NOW`` (see ``scenario``)."""

    def __init__(self) -> None:
        h, m, d = timedelta(hours=1), timedelta(minutes=1), timedelta(days=1)
        self.org = query("تامین اجتماعی", kind=QueryKind.ORGANIZATION)
        self.peer = query("بیمه سلامت", kind=QueryKind.PEER)
        self.tehran_q = query("تهران", kind=QueryKind.PROVINCE, province_code="ir-23")
        self.isfahan_q = query("اصفهان", kind=QueryKind.PROVINCE, province_code="ir-10")
        self.national = source("akhbar", name="اخبار فوری")
        self.news = source("irna", kind=SourceKind.RSS, name="ایرنا")
        self.tehran = source("tehran_news", name="خبر تهران", province_code="ir-23")
        self.isfahan = source("isfahan_news", kind=SourceKind.EITAA, name="خبر اصفهان", province_code="ir-10")
        # A: a negative rumor about a Tehran branch, copied nationally and in two provinces.
        self.rumor = story("شایعه تعطیلی شعبه", at=NOW - 5 * h, sentiment=Sentiment.NEGATIVE, is_rumor=True)
        self.rumor_posts = [
            post(
                self.national,
                self.rumor,
                NOW - 5 * h,
                views=1000,
                sentiment=Sentiment.NEGATIVE,
                queries=(self.org, self.tehran_q),
                post_id="10",
            ),
            post(self.news, self.rumor, NOW - 4 * h - 50 * m, queries=(self.org,), versions=("متن اول",)),
            post(
                self.tehran,
                self.rumor,
                NOW - 30 * m,
                views=500,
                queries=(self.org,),
                forwarded_from="telegram:akhbar/10",
            ),
            post(self.isfahan, self.rumor, NOW - 20 * m, views=250, queries=(self.org,)),
        ]
        story_refresh(self.rumor)
        # B: three days old, about the peer only.
        self.peer_story = story("خبر بیمه سلامت", at=NOW - 3 * d)
        post(self.news, self.peer_story, NOW - 3 * d, queries=(self.peer,))
        story_refresh(self.peer_story)
        # C: forty days old (outside every period); D: matches no query (not a mention).
        self.old = story("خبر قدیمی", at=NOW - 40 * d)
        post(self.national, self.old, NOW - 40 * d, queries=(self.org,))
        story_refresh(self.old)
        self.unwatched = story("خبر ورزشی", at=NOW - h)
        post(self.national, self.unwatched, NOW - h)
        story_refresh(self.unwatched)


def scenario() -> Scenario:
    return Scenario()
