"""A post without a known date is stored with its raw date, never becomes a story's origin, and its
page says «تاریخ نامعلوم» where a time would be."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import override_settings
from django.utils import translation

from tabyin.core.models import User
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.ingest.services import ingest
from tabyin.monitor.ingest.services_stories import recompute_stories
from tabyin.monitor.models import Post, Story
from tabyin.monitor.pipeline.types import RawPost
from tests.conftest import verified_client
from tests.monitor.texts import NEWS, T0

pytestmark = pytest.mark.django_db
FIGURES = ("post_count", "origin_post_id", "first_published_at", "last_post_at")


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    services_ingest.reset_index()
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        yield
    services_ingest.reset_index()


def at(minutes: int) -> Any:
    return T0 + timedelta(minutes=minutes)


def undated(source: str, post_id: str, fetched: Any, raw: str = "دیروز") -> RawPost:
    return RawPost(source, post_id, NEWS, fetched, date_unknown=True, date_raw=raw)


def kept_equals_recount() -> None:
    kept = {s["id"]: s for s in Story.objects.values("id", *FIGURES)}
    recompute_stories(kept)
    assert {s["id"]: s for s in Story.objects.values("id", *FIGURES)} == kept


def test_the_origin_is_the_earliest_post_with_a_known_date() -> None:
    # The undated copy was fetched first (its stand-in time is the earliest), the dated post is later.
    ingest([undated("telegram:early", "1", at(5)), RawPost("rss:isna", "9", NEWS, at(20))])

    story = Story.objects.get()
    dated = Post.objects.get(source__handle="isna")
    stored = Post.objects.get(source__handle="early")
    assert (stored.date_unknown, stored.date_raw, stored.published_at) == (True, "دیروز", at(5))
    assert (dated.date_unknown, dated.date_raw) == (False, "")
    assert (story.post_count, story.origin_post_id, story.first_published_at) == (2, dated.pk, at(20))
    kept_equals_recount()


def test_a_story_of_undated_posts_has_no_origin_until_a_dated_post_comes() -> None:
    ingest([undated("telegram:a", "1", at(5))])
    story = Story.objects.get()
    assert (story.origin_post_id, story.first_published_at) == (None, at(5))
    kept_equals_recount()

    ingest([undated("telegram:b", "2", at(3), raw="")])
    story.refresh_from_db()
    assert story.origin_post_id is None
    assert Post.objects.get(source__handle="b").date_raw == ""

    ingest([RawPost("eitaa:c", "3", NEWS, at(50))])
    story.refresh_from_db()
    origin = Post.objects.get(source__handle="c")
    assert (story.post_count, story.origin_post_id, story.first_published_at) == (3, origin.pk, at(50))
    # An earlier dated post takes over; a later undated one changes nothing.
    ingest([RawPost("rss:d", "4", NEWS, at(40)), undated("telegram:e", "5", at(1))])
    story.refresh_from_db()
    earlier = Post.objects.get(source__handle="d")
    assert (story.origin_post_id, story.first_published_at) == (earlier.pk, at(40))
    kept_equals_recount()


def test_ingest_refuses_dates_outside_the_window_and_goes_on() -> None:
    summary = ingest(
        [
            RawPost("rss:a", "1", NEWS, T0.replace(year=1403)),
            RawPost("rss:a", "2", NEWS, at(0) + timedelta(days=2)),
            RawPost("rss:a", "3", NEWS, at(10)),
            undated("rss:a", "4", at(11)),
        ]
    )
    assert [(e.line, e.message) for e in summary.errors] == [
        (
            1,
            (
                "published_at 1403-03-01T08:00:00+00:00 is before 2000"
                " (a Jalali date? write it in the Gregorian calendar)"
            ),
        ),
        (2, "published_at 2025-03-03T08:00:00+00:00 is more than 24 hours in the future"),
    ]
    assert sorted(Post.objects.values_list("post_id", flat=True)) == ["3", "4"]


@override_settings(TABYIN_MONITOR_DATE_MIN_YEAR=2026)
def test_the_window_is_a_setting() -> None:
    summary = ingest([RawPost("rss:a", "1", NEWS, at(0))])
    assert [e.message for e in summary.errors] == ["published_at 2025-03-01T08:00:00+00:00 is before 2026"]


def test_the_timeline_says_date_unknown_instead_of_a_time(hq_analyst: User) -> None:
    ingest([undated("telegram:a", "1", at(5), raw="۲ ساعت پیش"), RawPost("rss:isna", "9", NEWS, at(20))])
    story = Story.objects.get()
    with translation.override("fa"):
        page = verified_client(hq_analyst).get(f"/staff/monitor/stories/{story.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="date-unknown"') == 1
    assert (
        '<span class="mon-date-unknown" data-testid="date-unknown" title="۲ ساعت پیش">تاریخ نامعلوم</span>'
        in html
    )
    # The dated post shows its time; the undated one none.
    assert html.count("<time datetime=") == 1
