"""The figures of the daily brief on a crafted day (Friday 5 December 2025 = 14 Azar 1404, Tehran).

``brief_day()`` builds the rows with the ORM: seven stories, four channels, two watch queries (one
of Isfahan's), alerts and answers, with posts on both sides of the day's edges. Every figure the
brief shows is then known exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import count
from typing import Any

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from tabyin.core.jalali import TEHRAN
from tabyin.core.models import OrgUnit
from tabyin.monitor.briefs.selectors import brief_content, day_bounds
from tabyin.monitor.enums import AlertKind, QueryKind, ResponseStatus, Sentiment, SourceKind
from tabyin.monitor.models import Alert, AlertRule, Match, Post, Response, Source, Story, WatchQuery

DAY = date(2025, 12, 5)
_keys = count(1)


def at(offset: int, hhmm: str, second: int = 0) -> datetime:
    """Tehran wall time ``hhmm`` on DAY + ``offset`` days."""
    hour, minute = (int(x) for x in hhmm.split(":"))
    d = DAY + timedelta(days=offset)
    return datetime(d.year, d.month, d.day, hour, minute, second, tzinfo=TEHRAN)


@dataclass
class Day:
    sources: dict[str, Source]
    stories: dict[str, Story]
    tehran: OrgUnit
    isfahan: OrgUnit


def story(
    title: str, first: datetime, sentiment: str, *, channels: int, watched: bool = True, **kw: Any
) -> Story:
    return Story.objects.create(
        key=next(_keys),
        signature=b"\x00" * 8,
        title=title,
        first_published_at=first,
        first_seen_at=first,
        last_post_at=first,
        channel_count=channels,
        sentiment=sentiment,
        matches_watch=watched,
        **kw,
    )


def post(s: Story, source: Source, when: datetime, *queries: WatchQuery) -> Post:
    p = Post.objects.create(
        source=source,
        post_id=str(next(_keys)),
        text=s.title,
        published_at=when,
        first_seen_at=when,
        story=s,
        sentiment=s.sentiment,
    )
    for q in queries:
        Match.objects.create(post=p, query=q, published_at=when)
    return p


def brief_day() -> Day:
    tehran = OrgUnit.objects.get(iso_code="IR-23")
    isfahan = OrgUnit.objects.get(iso_code="IR-10")
    tg = SourceKind.TELEGRAM
    a = Source.objects.create(kind=tg, handle="alpha", name="کانال الف")
    b = Source.objects.create(kind=tg, handle="beta", name="کانال ب")
    c = Source.objects.create(kind=tg, handle="gamma", name="خبر تهران", province=tehran)
    e = Source.objects.create(kind=SourceKind.RSS, handle="isna", name="ایسنا")
    org = WatchQuery.objects.create(name="سازمان", kind=QueryKind.ORGANIZATION, expression='"تأمین اجتماعی"')
    isf = WatchQuery.objects.create(
        name="اصفهان", kind=QueryKind.PROVINCE, expression="اصفهان", province=isfahan
    )
    neg, neu, pos = Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE

    s1 = story("شایعهٔ قطع مستمری بازنشستگان", at(0, "09:00"), neg, channels=4, is_rumor=True)
    s1.rumor_flagged_at = at(0, "10:00")
    s1.save()
    post(s1, a, at(0, "09:00"), org)
    post(s1, b, at(0, "09:20"), org)
    post(s1, c, at(0, "09:40"), org, isf)
    post(s1, e, at(0, "10:10"), org)
    post(s1, a, at(0, "11:00"), org)
    Response.objects.create(story=s1, status=ResponseStatus.PUBLISHED, published_at=at(0, "12:30"))

    s2 = story("افزایش پوشش بیمه‌ای دانشجویان", at(0, "14:00"), pos, channels=3)
    post(s2, a, at(0, "14:00"), org, isf)
    post(s2, e, at(0, "14:30"), org, isf)
    post(s2, b, at(0, "23:59", 59), org)  # the last second of the day
    post(s2, e, at(1, "00:00"), org)  # the first second of the next: not counted

    s3 = story("تأخیر در پرداخت کمک‌هزینه", at(-1, "15:00"), neu, channels=3)
    post(s3, a, at(-1, "15:00"), org)
    post(s3, b, at(-1, "16:00"), org)
    post(s3, c, at(0, "08:15"), org)

    s4 = story("نتایج لیگ فوتبال", at(0, "13:00"), neu, channels=2, watched=False)
    post(s4, b, at(0, "13:00"))
    post(s4, c, at(0, "13:05"))

    s5 = story("خبر دیروز", at(-1, "10:00"), neu, channels=3)
    post(s5, a, at(-1, "10:00"), org, isf)
    post(s5, b, at(-1, "10:30"), org)
    post(s5, e, at(-1, "11:00"), org)

    s6 = story("ادعای تعطیلی بیمارستان", at(-1, "19:00"), neg, channels=1, is_rumor=True)
    s6.rumor_flagged_at = at(-1, "20:00")
    s6.save()
    Response.objects.create(story=s6, status=ResponseStatus.IN_REVIEW)

    s7 = story("ادعای حذف دفترچه", at(0, "15:50"), neg, channels=0, is_rumor=True)
    s7.rumor_flagged_at = at(0, "16:00")
    s7.save()

    reach = AlertRule.objects.create(name="سه کانال", kind=AlertKind.REACH, threshold=3)
    fast = AlertRule.objects.create(name="شتاب", kind=AlertKind.VELOCITY, threshold=2)
    Alert.objects.create(
        rule=reach, story=s1, created_at=at(0, "10:05"), reason="r", acknowledged_at=at(0, "10:45")
    )
    Alert.objects.create(rule=fast, story=s2, created_at=at(0, "14:40"), reason="v")
    Alert.objects.create(rule=reach, story=s5, created_at=at(-1, "11:00"), reason="r")
    return Day(
        sources={"a": a, "b": b, "c": c, "e": e},
        stories={f"s{i}": s for i, s in enumerate((s1, s2, s3, s4, s5, s6, s7), start=1)},
        tehran=tehran,
        isfahan=isfahan,
    )


@pytest.fixture
def day(org: None) -> Day:
    return brief_day()


def test_a_day_is_the_tehran_calendar_day() -> None:
    start, end = day_bounds(DAY)

    assert start.isoformat() == "2025-12-05T00:00:00+03:30"
    assert end.isoformat() == "2025-12-06T00:00:00+03:30"


def test_headline_figures(day: Day) -> None:
    c = brief_content(day=DAY, now=at(2, "07:00"))

    assert (c.complete, c.start, c.end) == (True, at(0, "00:00"), at(1, "00:00"))
    assert (c.mentions, c.mentions_previous, c.change_percent) == (9, 5, 80.0)
    # s7 has no post about the organization (no match at all): not a new story of the brief.
    assert (c.new_stories, c.new_negative_stories) == (2, 1)
    assert c.sentiment == {"negative": 5, "neutral": 1, "positive": 3}
    assert c.sentiment_percent == {"negative": 55.6, "neutral": 11.1, "positive": 33.3}
    assert (c.alerts_total, c.alerts_acknowledged, c.rumors_open) == (2, 1, 2)


def test_top_stories_with_reach_and_their_fastest_hour(day: Day) -> None:
    c = brief_content(day=DAY, now=at(2, "07:00"))

    s = day.stories
    got = [
        (x.id, x.channels, x.channels_today, x.posts_today, x.peak_new_channels, x.peak_hour, x.is_rumor)
        for x in c.top_stories
    ]
    assert got == [
        (s["s1"].pk, 4, 4, 5, 3, at(0, "09:00"), True),
        (s["s2"].pk, 3, 3, 3, 2, at(0, "14:00"), False),
        (s["s3"].pk, 3, 1, 1, 1, at(0, "08:00"), False),
    ]
    assert c.top_stories[0].url == story_link(s["s1"].pk)


def story_link(pk: int) -> str:
    """The story page's address on the site, or "" (no link rather than a broken one) while the
    dashboard's ``monitor:story`` page does not exist."""
    try:
        return settings.TABYIN_SITE_URL + reverse("monitor:story", args=[pk])
    except NoReverseMatch:
        return ""


def test_rumors_with_their_answer_and_alerts_with_acknowledgement(day: Day) -> None:
    c = brief_content(day=DAY, now=at(2, "07:00"))

    s = day.stories
    # The one clock (pipeline.clock): from the story's detection and first post, not from the flag.
    took = [(r.id, r.status, r.time_to_answer and r.time_to_answer.from_first_post) for r in c.rumors]
    assert took == [(s["s1"].pk, "published", timedelta(hours=3, minutes=30)), (s["s7"].pk, "", None)]
    assert [(a.story_id, a.rule, a.kind, a.time_to_acknowledge) for a in c.alerts] == [
        (s["s1"].pk, "سه کانال", "reach", timedelta(minutes=40)),
        (s["s2"].pk, "شتاب", "velocity", None),
    ]


def test_channels_and_provinces_with_most_mentions(day: Day) -> None:
    c = brief_content(day=DAY, now=at(2, "07:00"))

    src = day.sources
    assert [(ch.source_id, ch.key, ch.mentions) for ch in c.channels] == [
        (src["a"].pk, "telegram:alpha", 3),
        (src["b"].pk, "telegram:beta", 2),
        (src["c"].pk, "telegram:gamma", 2),
        (src["e"].pk, "rss:isna", 2),
    ]
    # Isfahan: three posts matching its query today. Tehran: its channel's two mentions (the
    # football post from the same channel matches no query and is not a mention).
    assert [(p.name_fa, p.mentions) for p in c.provinces] == [("اصفهان", 3), ("تهران", 2)]


def test_a_day_not_over_is_compared_with_the_same_hours_of_the_day_before(day: Day) -> None:
    c = brief_content(day=DAY, now=at(0, "10:50"))

    assert (c.complete, c.end) == (False, at(0, "10:50"))
    # Today to 10:50: S3's 08:15 and S1's four posts to 10:10. Yesterday to 10:50: S5's 10:00 and
    # 10:30 (its 11:00 is later in the day).
    assert (c.mentions, c.mentions_previous, c.change_percent) == (5, 2, 150.0)
    assert (c.new_stories, c.alerts_total, c.alerts_acknowledged) == (1, 1, 1)


def test_an_empty_day(org: None) -> None:
    c = brief_content(day=DAY, now=at(2, "07:00"))

    assert (c.mentions, c.mentions_previous, c.change_percent) == (0, 0, None)
    assert c.sentiment_percent == {"negative": 0.0, "neutral": 0.0, "positive": 0.0}
    assert (c.top_stories, c.rumors, c.alerts, c.channels, c.provinces) == ([], [], [], [], [])


def test_the_content_is_read_with_a_fixed_number_of_queries(day: Day, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(13):
        brief_content(day=DAY, now=at(2, "07:00"))
    more = story("یک خبر دیگر", at(0, "18:00"), Sentiment.NEGATIVE, channels=2)
    for source in day.sources.values():
        post(more, source, at(0, "18:10"), WatchQuery.objects.first())  # type: ignore[arg-type]
    with django_assert_num_queries(13):
        brief_content(day=DAY, now=at(2, "07:00"))
