"""services_ingest.ingest: storage of posts, versions, stories and matches, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tabyin.core import background
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.ingest import services_stories as services_ingest_stories
from tabyin.monitor.ingest.services import IngestError, ingest
from tabyin.monitor.models import Match, Post, PostVersion, Source, Story, WatchQuery
from tabyin.monitor.pipeline.types import RawPost
from tabyin.monitor.task_refs import evaluate_alerts
from tests.monitor.texts import NEWS, OTHER, T0

pytestmark = pytest.mark.django_db
REPOST = f"🔴 فوری: {NEWS}\n🆔 @khabar"


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    services_ingest.reset_index()
    yield
    services_ingest.reset_index()


class FixedClassifier:
    """Negative when the text says «اعتراض», so story sentiment is checked against known labels."""

    def predict_many(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        return [("negative", -0.6) if "اعتراض" in t else ("neutral", 0.0) for t in texts]


def post(source: str, post_id: str, text: str, minutes: int = 0, **extra: Any) -> RawPost:
    return RawPost(source, post_id, text, T0 + timedelta(minutes=minutes), **extra)


def test_reposts_join_one_story_with_its_figures() -> None:
    summary = ingest(
        [
            post("telegram:khabar", "10", NEWS, views=100, source_name="خبر فوری"),
            post("telegram:fori", "7", REPOST, 9, views=50),
            post("rss:irna", "a1", OTHER, 3),
            post("telegram:khabar", "11", OTHER, 30, views=5),
        ]
    )

    assert summary.as_dict() == {
        "posts_read": 4,
        "new": 4,
        "duplicates": 0,
        "edited": 0,
        "stories_created": 2,
        "errors": 0,
    }
    news, other = Story.objects.order_by("first_published_at")
    assert summary.story_ids == {
        ("telegram:khabar", "10"): news.id,
        ("telegram:fori", "7"): news.id,
        ("rss:irna", "a1"): other.id,
        ("telegram:khabar", "11"): other.id,
    }
    origin = Post.objects.get(post_id="10")
    assert (news.post_count, news.channel_count, news.total_views) == (2, 2, 150)
    assert (news.first_published_at, news.last_post_at, news.origin_post_id) == (
        T0,
        T0 + timedelta(minutes=9),
        origin.id,
    )
    assert (news.title, news.kind, news.matches_watch, news.rumor_signal) == (NEWS, "item", False, 0.0)
    assert len(bytes(news.signature)) > 0
    assert (
        other.post_count,
        other.channel_count,
        other.total_views,
        Post.objects.filter(id=other.origin_post_id or 0).values_list("post_id", flat=True).first(),
    ) == (
        2,
        2,
        5,
        "a1",
    )
    assert sorted((s.kind, s.handle, s.name) for s in Source.objects.all()) == [
        ("rss", "irna", ""),
        ("telegram", "fori", ""),
        ("telegram", "khabar", "خبر فوری"),
    ]
    assert (origin.version, origin.views, origin.first_seen_at >= origin.published_at) == (1, 100, True)


def test_the_same_items_again_are_duplicates_and_change_nothing() -> None:
    items = [post("telegram:a", str(i), f"{OTHER} شماره {i}", i) for i in range(5)] + [
        post("telegram:b", "1", NEWS)
    ]
    first = ingest(items, batch_size=2)

    second = ingest(items, batch_size=4)

    assert first.as_dict() == {
        "posts_read": 6,
        "new": 6,
        "duplicates": 0,
        "edited": 0,
        "stories_created": 2,
        "errors": 0,
    }
    assert second.as_dict() == {
        "posts_read": 6,
        "new": 0,
        "duplicates": 6,
        "edited": 0,
        "stories_created": 0,
        "errors": 0,
    }
    assert second.story_ids == first.story_ids
    assert (Post.objects.count(), Story.objects.count(), PostVersion.objects.count()) == (6, 2, 0)


def test_an_edit_keeps_the_old_text_as_a_version_and_the_story() -> None:
    ingest([post("telegram:a", "1", NEWS, views=10), post("telegram:b", "2", REPOST)])
    story = Story.objects.get()

    summary = ingest([post("telegram:a", "1", NEWS + " (اصلاحیه)", views=80), post("telegram:a", "1", NEWS)])

    edited = Post.objects.get(post_id="1")
    assert summary.as_dict() == {
        "posts_read": 2,
        "new": 0,
        "duplicates": 1,
        "edited": 1,
        "stories_created": 0,
        "errors": 0,
    }
    assert (edited.text, edited.version, edited.views, edited.story_id) == (
        NEWS + " (اصلاحیه)",
        2,
        80,
        story.id,
    )
    assert list(PostVersion.objects.values_list("post_id", "version", "text")) == [(edited.id, 1, NEWS)]
    story.refresh_from_db()
    assert (story.post_count, story.total_views) == (2, 80)
    # Once more: the replayed first version is not a new edit.
    again = ingest([post("telegram:a", "1", NEWS)])
    assert (again.duplicates, again.edited, PostVersion.objects.count()) == (1, 0, 1)


def test_a_formal_forward_joins_its_origin_story_whatever_its_text() -> None:
    ingest([post("telegram:origin", "5", NEWS)])

    summary = ingest(
        [
            post("telegram:fwd", "1", OTHER, 5, forwarded_from="telegram:origin/5"),
            post(
                "telegram:fwd2",
                "1",
                "یک متن کاملاً متفاوت دربارهٔ موضوعی دیگر در استان",
                6,
                forwarded_from="telegram:nobody/9",
            ),
        ]
    )

    origin_story = Post.objects.get(post_id="5").story_id
    assert summary.story_ids[("telegram:fwd", "1")] == origin_story
    assert summary.story_ids[("telegram:fwd2", "1")] != origin_story
    assert summary.stories_created == 1
    assert Story.objects.get(id=origin_story).channel_count == 2


def test_watch_queries_match_and_the_matcher_follows_changes() -> None:
    query = WatchQuery.objects.create(name="pensions", expression="مستمری")
    ingest([post("telegram:a", "1", NEWS), post("telegram:a", "2", OTHER, 1)])
    WatchQuery.objects.create(name="hospital", expression="بیمارستان")

    ingest([post("telegram:b", "3", OTHER, 2)])

    news = Post.objects.get(post_id="1")
    assert list(Match.objects.order_by("post__post_id").values_list("post__post_id", "query__name")) == [
        ("1", "pensions"),
        ("3", "hospital"),
    ]
    assert Match.objects.get(query=query).published_at == T0
    assert Story.objects.get(id=news.story_id).matches_watch is True
    assert Story.objects.get(posts__post_id="2").matches_watch is True


def test_story_sentiment_and_rumor_share(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services_ingest, "_classifier", FixedClassifier)
    texts = [NEWS, REPOST, NEWS + " اعتراض", "آیا درست است؟ " + NEWS, REPOST + " اعتراض"]

    ingest([post(f"telegram:c{i}", "1", text, i) for i, text in enumerate(texts[:4])])
    story = Story.objects.get()
    assert (story.post_count, story.sentiment, story.rumor_signal) == (4, "neutral", 0.25)

    ingest([post("telegram:c9", "1", texts[4], 9)])
    story.refresh_from_db()
    assert (story.post_count, story.sentiment, story.rumor_signal) == (5, "negative", 0.2)
    assert list(Post.objects.order_by("source__handle").values_list("sentiment", flat=True)) == [
        "neutral",
        "neutral",
        "negative",
        "neutral",
        "negative",
    ]


def test_invalid_items_are_reported_by_position_and_skipped() -> None:
    summary = ingest(
        [
            post("telegram:a", "1", NEWS),
            post("fax:a", "1", NEWS),
            post("telegram:a", "2", "  "),
            post("telegram:a", "3", OTHER),
        ]
    )

    assert summary.as_dict() == {
        "posts_read": 4,
        "new": 2,
        "duplicates": 0,
        "edited": 0,
        "stories_created": 2,
        "errors": 2,
    }
    assert summary.errors == [
        IngestError(2, "unknown source kind 'fax' (one of rss, telegram, eitaa, web, paste, tipline)"),
        IngestError(3, "text is empty"),
    ]


def test_queries_per_batch_do_not_grow_with_the_batch() -> None:
    def queries(n: int, offset: int) -> int:
        items = [
            post(f"telegram:s{i % 7}", str(offset + i), f"{OTHER} {offset + i} {'ب' * (i % 13)}", i)
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as context:
            ingest(items, batch_size=n)
        return len(context.captured_queries)

    queries(3, 0)  # warm: index loaded, sources created
    small, large = queries(5, 1000), queries(300, 2000)

    assert small == large


def test_a_rolled_back_batch_leaves_no_story_in_the_index() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        ingest([post("telegram:a", "1", NEWS)])
        raise RuntimeError("the caller's transaction fails after ingest")
    assert Story.objects.count() == 0

    summary = ingest([post("telegram:b", "2", REPOST)])

    assert (summary.new, summary.stories_created, Story.objects.count()) == (1, 1, 1)
    assert Story.objects.get().posts.get().post_id == "2"


def test_alert_evaluation_is_enqueued_after_commit(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    calls: list[list[int]] = []

    def record(*, story_ids: list[int]) -> None:
        calls.append(story_ids)

    name = evaluate_alerts.name
    monkeypatch.setitem(background._tasks, name, background.TaskDef(name, record))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        summary = ingest([post("telegram:a", "1", NEWS), post("telegram:a", "2", OTHER, 1)])
        assert calls == []
    for callback in callbacks:
        callback()

    assert calls == [sorted(set(summary.story_ids.values()))]


@pytest.mark.postgresql
def test_postgresql_serialises_story_assignment_with_an_advisory_lock() -> None:
    def advisory_locks() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
            )
            return int(cursor.fetchone()[0])

    with transaction.atomic():
        before = advisory_locks()
        services_ingest_stories.serialise_story_assignment()
        held = advisory_locks()

    assert (before, held) == (0, 1)


def test_the_matcher_is_rebuilt_when_a_query_is_swapped_within_one_clock_tick() -> None:
    # Same count and same latest update time before and after: only the highest id tells them apart.
    tick = T0
    WatchQuery.objects.create(name="pensions", expression="مستمری")
    old = WatchQuery.objects.create(name="fuel", expression="بنزین")
    WatchQuery.objects.update(updated_at=tick)
    ingest([post("telegram:a", "1", NEWS)])
    old.delete()
    WatchQuery.objects.create(name="hospital", expression="بیمارستان")
    WatchQuery.objects.update(updated_at=tick)

    ingest([post("telegram:b", "3", OTHER, 2)])

    assert list(Match.objects.order_by("post__post_id").values_list("post__post_id", "query__name")) == [
        ("1", "pensions"),
        ("3", "hospital"),
    ]
