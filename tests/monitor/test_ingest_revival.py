"""Ingestion edge cases: posts with no canonical text, and a story key coming back after its story
left the hot window. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.conf import settings

from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.ingest.services import ingest
from tabyin.monitor.models import Post, Story
from tabyin.monitor.pipeline.canonical import canonical
from tabyin.monitor.pipeline.types import RawPost
from tests.monitor.texts import NEWS, OTHER, T0

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    services_ingest.reset_index()
    yield
    services_ingest.reset_index()


def post(source: str, post_id: str, text: str, at: datetime, **extra: Any) -> RawPost:
    return RawPost(source, post_id, text, at, **extra)


def test_posts_without_canonical_text_get_a_story_each() -> None:
    texts = ["🔥🔥🔥", "👇👇", "🔥🔥🔥", "❤️"]
    assert [canonical(t) for t in texts] == ["", "", "", ""]
    items = [post(f"telegram:c{n}", str(n), t, T0 + timedelta(minutes=n)) for n, t in enumerate(texts)]
    items.append(
        post("telegram:fwd", "9", "🔥🔥🔥", T0 + timedelta(minutes=9), forwarded_from="telegram:c0/0")
    )

    summary = ingest(items)

    assert (summary.new, summary.stories_created, Story.objects.count()) == (5, 4, 4)
    stories = summary.story_ids
    assert (
        len({stories[("telegram:c0", "0")], stories[("telegram:c1", "1")], stories[("telegram:c2", "2")]})
        == 3
    )
    # A formal forward still joins its origin's story.
    assert stories[("telegram:fwd", "9")] == stories[("telegram:c0", "0")]

    # In a later batch, on a reloaded index too, another emoji-only post starts its own story again.
    services_ingest.reset_index()
    later = ingest([post("telegram:c5", "5", "🔥🔥🔥", T0 + timedelta(hours=1))])
    assert (later.stories_created, Story.objects.count()) == (1, 5)


@pytest.mark.parametrize("reload", [False, True], ids=["same-process", "reloaded-index"])
def test_a_story_key_back_after_the_window_revives_its_story(reload: bool) -> None:
    window = timedelta(days=settings.TABYIN_MONITOR_INDEX_WINDOW_DAYS)
    first = ingest([post("telegram:a", "1", NEWS, T0, views=10)])
    (story,) = Story.objects.all()
    # Newer posts of other items move the process's index past the window: the story expires there.
    ingest([post("telegram:z", "2", OTHER, T0 + 2 * window)])
    assert Story.objects.count() == 2
    if reload:
        services_ingest.reset_index()

    later = T0 + 3 * window
    summary = ingest([post("telegram:b", "3", NEWS, later, views=5)])

    assert summary.as_dict() == {
        "posts_read": 1,
        "new": 1,
        "duplicates": 0,
        "edited": 0,
        "stories_created": 0,
        "errors": 0,
    }
    assert summary.story_ids[("telegram:b", "3")] == first.story_ids[("telegram:a", "1")] == story.id
    story.refresh_from_db()
    assert (story.post_count, story.channel_count, story.total_views) == (2, 2, 15)
    assert (story.first_published_at, story.last_post_at) == (T0, later)
    assert story.origin_post_id == Post.objects.get(post_id="1").id
    assert Story.objects.count() == 2


def test_a_cut_copy_joins_its_story_after_a_restart() -> None:
    """The stored signature keeps the prefix hashes (ADR 0043): a story reloaded from the database
    still gathers a copy cut to its first words. On the code before, a story of its own."""
    review = "من از طعم این ماکارونی راضی نیستم و پیشنهاد نمیکنم"
    first = ingest([post("telegram:a", "1", review, T0)])
    services_ingest.reset_index()  # a new worker process: the index is rebuilt from Story rows
    later = ingest([post("telegram:b", "2", "من از طعم …", T0 + timedelta(minutes=5))])
    assert later.stories_created == 0
    assert later.story_ids[("telegram:b", "2")] == first.story_ids[("telegram:a", "1")]
    assert Story.objects.count() == 1
