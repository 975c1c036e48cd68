"""Story figures kept batch by batch (pipeline.figures + services_ingest_stories) against a recount
from the posts, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest

from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.ingest.services import ingest
from tabyin.monitor.ingest.services_stories import recompute_stories
from tabyin.monitor.models import Post, Story, WatchQuery
from tabyin.monitor.pipeline.batch import BatchDecision, PostDecision, StoredPost
from tabyin.monitor.pipeline.figures import story_deltas
from tabyin.monitor.pipeline.types import RawPost
from tests.monitor.texts import NEWS, OTHER, T0

THIRD = (
    "نرخ ارز در بازار آزاد امروز پس از سه روز افزایش، کاهش یافت و معامله‌گران منتظر تصمیم بانک مرکزی ماندند"
)
FIGURES = (
    "post_count",
    "channel_count",
    "total_views",
    "negative_count",
    "positive_count",
    "rumor_count",
    "origin_post_id",
    "sentiment",
    "rumor_signal",
    "first_published_at",
    "last_post_at",
    "matches_watch",
)


class FixedClassifier:
    """Negative when the text says «اعتراض», positive when it says «خوب», so tallies are known."""

    def predict_many(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        return [
            ("negative", -0.6) if "اعتراض" in t else ("positive", 0.6) if "خوب" in t else ("neutral", 0.0)
            for t in texts
        ]


@pytest.fixture(autouse=True)
def fixed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    services_ingest.reset_index()
    monkeypatch.setattr(services_ingest, "_classifier", FixedClassifier)
    yield
    services_ingest.reset_index()


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def figures() -> dict[int, tuple[Any, ...]]:
    return {s["id"]: tuple(s[f] for f in FIGURES) for s in Story.objects.values("id", *FIGURES)}


# --- The pure step ------------------------------------------------------------------------------


def decided(post: PostDecision, **labels: Any) -> PostDecision:
    for name, value in labels.items():
        setattr(post, name, value)
    return post


def test_deltas_of_new_posts_edits_and_view_updates() -> None:
    new_late = decided(
        PostDecision(("telegram:a", "1"), RawPost("telegram:a", "1", NEWS, at(30)), None, NEWS, 1, 40, 7),
        sentiment="negative",
        matches=[3],
    )
    new_early = decided(
        PostDecision(("telegram:b", "1"), RawPost("telegram:b", "1", NEWS, at(5)), None, NEWS, 1, None, 7),
        rumor=True,
    )
    # Same time as new_early, later in the batch: not the origin candidate.
    new_tie = PostDecision(("telegram:a", "2"), RawPost("telegram:a", "2", NEWS, at(5)), None, NEWS, 1, 3, 7)
    edited = decided(
        PostDecision(("rss:irna", "x"), RawPost("rss:irna", "x", "اعتراض", at(1)), 11, "اعتراض", 2, 90, 7),
        text_changed=True,
        views_changed=True,
        sentiment="negative",
    )
    viewed = decided(
        PostDecision(("rss:isna", "y"), RawPost("rss:isna", "y", OTHER, at(1)), 12, OTHER, 1, 500, 8),
        views_changed=True,
    )
    replay = PostDecision(("rss:isna", "z"), RawPost("rss:isna", "z", OTHER, at(1)), 13, OTHER, 1, 9, 8)
    stored = {
        ("rss:irna", "x"): StoredPost(11, NEWS, 1, 60, 7, sentiment="positive", rumor=True),
        ("rss:isna", "y"): StoredPost(12, OTHER, 1, None, 8),
        ("rss:isna", "z"): StoredPost(13, OTHER, 1, 9, 8),
    }
    decision = BatchDecision([new_late, new_early, new_tie, edited, viewed, replay], {}, {})

    deltas = story_deltas(decision, stored)

    assert set(deltas) == {7, 8}
    seven = deltas[7]
    assert (seven.posts, seven.views, seven.negative, seven.positive, seven.rumor) == (3, 73, 2, -1, 0)
    assert (seven.watched, seven.first, seven.last, seven.sources) == (
        True,
        new_early,
        at(30),
        {"telegram:a", "telegram:b"},
    )
    eight = deltas[8]
    assert (eight.posts, eight.views, eight.negative, eight.positive, eight.rumor) == (0, 500, 0, 0, 0)
    assert (eight.watched, eight.first, eight.last, eight.sources) == (False, None, None, set())


# --- Kept figures against a recount -------------------------------------------------------------


@pytest.mark.django_db
def test_figures_follow_edits_views_and_earlier_posts_exactly() -> None:
    WatchQuery.objects.create(name="pension", expression="«اعتراض بازنشستگان»")
    ingest([RawPost("telegram:a", "1", NEWS, at(20), views=100)])
    story = Story.objects.get()
    first_post = Post.objects.get()
    assert (story.post_count, story.channel_count, story.origin_post_id) == (1, 1, first_post.id)

    ingest(
        [
            RawPost("telegram:b", "1", "🔴 " + NEWS + " خوب", at(30), views=10),
            RawPost("telegram:a", "2", NEWS + " اعتراض بازنشستگان", at(40), views=5),
            RawPost("telegram:a", "1", NEWS, at(20), views=150),  # more views, same text
        ]
    )
    story.refresh_from_db()
    assert (story.post_count, story.channel_count, story.total_views) == (3, 2, 165)
    assert (story.negative_count, story.positive_count, story.sentiment) == (1, 1, "neutral")
    assert (story.first_published_at, story.last_post_at, story.matches_watch) == (at(20), at(40), True)

    earlier = RawPost("eitaa:c", "9", NEWS + " اعتراض", at(10))
    ingest([earlier, RawPost("telegram:b", "1", "🔴 " + NEWS + " اعتراض", at(30), views=12)])  # an edit
    story.refresh_from_db()
    origin = Post.objects.get(source__handle="c")
    assert (story.post_count, story.channel_count, story.total_views) == (4, 3, 167)
    assert (story.negative_count, story.positive_count, story.sentiment) == (3, 0, "negative")
    assert (story.origin_post_id, story.first_published_at, story.last_post_at) == (origin.id, at(10), at(40))

    ingest([RawPost("telegram:d", "3", NEWS, at(10))])  # as early as the origin: the origin stays
    story.refresh_from_db()
    assert (story.post_count, story.channel_count, story.origin_post_id) == (5, 4, origin.id)

    kept = figures()
    recompute_stories(kept)
    assert figures() == kept


def _stream(seed: int, count: int) -> list[RawPost]:
    """Posts of three items over 12 channels, out of order, with re-fetches (more views), edits
    that flip a post's label, formal forwards and rumor cues."""
    rng = random.Random(seed)
    items: list[RawPost] = []
    for n in range(count):
        roll = rng.random()
        if items and roll < 0.15:
            old = rng.choice(items)
            views = None if old.views is None else old.views + rng.randrange(50)
            items.append(RawPost(old.source, old.post_id, old.text, old.published_at, views=views))
        elif items and roll < 0.25:
            old = rng.choice(items)
            extra = rng.choice([" اعتراض", " خوب", " (اصلاح شد)"])
            items.append(
                RawPost(old.source, old.post_id, old.text + extra, old.published_at, views=old.views)
            )
        elif items and roll < 0.32:
            old = rng.choice(items)
            items.append(
                RawPost(
                    f"telegram:ch{rng.randrange(12)}",
                    f"f{n}",
                    old.text,
                    at(rng.randrange(600)),
                    forwarded_from=f"{old.source}/{old.post_id}",
                )
            )
        else:
            text = rng.choice([NEWS, OTHER, THIRD])
            text = rng.choice(["", "آیا درست است که ", "فوری: "]) + text + rng.choice(["", " اعتراض", " خوب"])
            views = rng.choice([None, rng.randrange(10_000)])
            items.append(
                RawPost(f"telegram:ch{rng.randrange(12)}", str(n), text, at(rng.randrange(600)), views=views)
            )
    return items


@pytest.mark.django_db
@pytest.mark.parametrize("batch_size", [1, 7, 1000])
def test_kept_figures_equal_a_recount_after_a_mixed_stream(batch_size: int) -> None:
    WatchQuery.objects.create(name="pension", expression="بازنشستگان")
    summary = ingest(_stream(seed=1405, count=300), batch_size=batch_size)
    assert summary.as_dict() == {
        "posts_read": 300,
        "new": 222,
        "duplicates": 48,
        "edited": 30,
        "stories_created": 3,
        "errors": 0,
    }

    kept = figures()
    recompute_stories(kept)

    assert figures() == kept
    assert sorted(f[:2] for f in kept.values()) == [(68, 12), (77, 12), (77, 12)]
