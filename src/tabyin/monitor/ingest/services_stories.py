"""Story figures: kept by ingestion a batch at a time, or recounted from the posts.

Ingestion adds each batch's deltas (``pipeline.figures``) to the stored figures: one read of the
touched stories, one probe per (story, channel) pair of the new posts, one UPDATE per changed story.
That costs the same for a story of ten posts as for one of ten thousand, where a recount reads every
post of every touched story on every batch (it was the largest single cost of ingestion).

:func:`recompute_stories` recounts from the posts. Anything that changes posts outside ingestion
(a staff correction) uses it, and the tests hold the kept figures to it. Both run under the story
assignment lock, so a recount and a batch never interleave their read and write.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection

from tabyin.monitor import api_version
from tabyin.monitor.enums import ResponseStatus, Sentiment
from tabyin.monitor.ingest.services_sql import CHUNK, StoredTimes, update_many
from tabyin.monitor.models import Match, Post, Response, Story
from tabyin.monitor.pipeline.batch import PostKey
from tabyin.monitor.pipeline.figures import StoryDelta

# Any constant: every ingesting process takes the same PostgreSQL advisory lock.
ADVISORY_LOCK_ID = 0x7461_6279_696E_01  # "tabyin" 01

# A story is negative (positive) when at least this share of its posts is; negative wins a tie
# because a negative story is what an analyst must not miss.
STORY_SENTIMENT_SHARE = 0.4

# Written in this order. An UPDATE rewrites the index entries of every indexed column it sets,
# changed or not, and the last three are indexed: most batches change none of them or only
# last_post_at (a later post joined), so the statement is cut to the figures that changed.
STORY_FIGURES = ["post_count", "channel_count", "total_views", "negative_count", "positive_count"]
STORY_FIGURES += ["rumor_count", "origin_post_id", "sentiment", "rumor_signal"]
STORY_FIGURES += ["last_post_at", "first_published_at", "matches_watch"]
_UNINDEXED = 9
_SHAPES = (_UNINDEXED, _UNINDEXED + 1, _UNINDEXED + 3)
_TIMES = frozenset({"last_post_at", "first_published_at"})


def serialise_story_assignment() -> None:
    """Make story assignment one-at-a-time across processes, for the rest of the transaction.

    SQLite: nothing to do, transactions are IMMEDIATE (one writer at a time). PostgreSQL: a
    transaction-scoped advisory lock. Anything else: no lock; the unique ``Story.key`` and
    ``Post(source, post_id)`` constraints turn a race into an IntegrityError and the batch is retried
    on a reloaded index."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])


def story_sentiment(total: int, negative: int, positive: int) -> str:
    if total and negative / total >= STORY_SENTIMENT_SHARE:
        return Sentiment.NEGATIVE
    if total and positive / total >= STORY_SENTIMENT_SHARE:
        return Sentiment.POSITIVE
    return Sentiment.NEUTRAL


Change = tuple[tuple[Any, ...], tuple[Any, ...] | None, int]  # (figures, stored figures, story id)


def _write(changes: Iterable[Change]) -> None:
    """UPDATE each story whose figures (in STORY_FIGURES order, times in the stored form) differ from
    the stored ones."""
    shaped: dict[int, list[tuple[Any, ...]]] = {size: [] for size in _SHAPES}
    for figures, old, story_id in changes:
        if old is not None and old[:-1] == figures[:-1] and bool(old[-1]) == figures[-1]:
            continue
        size = _UNINDEXED
        if old is None or old[_UNINDEXED] != figures[_UNINDEXED]:
            size += 1
        if old is None or old[_UNINDEXED + 1] != figures[_UNINDEXED + 1] or bool(old[-1]) != figures[-1]:
            size = len(STORY_FIGURES)
        shaped[size].append((*figures[:size], story_id))
    for size, rows in shaped.items():
        update_many(Story._meta.db_table, STORY_FIGURES[:size], rows)
    _bump_public_answers([row[-1] for row in shaped[len(STORY_FIGURES)]])


def _bump_public_answers(story_ids: list[int]) -> None:
    """The public API shows a published answer's rumor with its first publication time, and this raw
    UPDATE sends no signal: a moved time must change the API's cache token. Only full rows can move
    it, and they are rare (an earlier post joined, or the watch match changed)."""
    if story_ids and published_answers_among(story_ids):
        api_version.bump()


def published_answers_among(story_ids: list[int]) -> bool:
    return Response.objects.filter(
        story_id__in=story_ids, status=ResponseStatus.PUBLISHED, published_at__isnull=False
    ).exists()


def _stored(cursor: Any, times: StoredTimes, chunk: list[int]) -> dict[int, tuple[Any, ...]]:
    qn = connection.ops.quote_name
    columns = [times.select(qn(c)) if c in _TIMES else qn(c) for c in STORY_FIGURES]
    cursor.execute(
        f"SELECT id, {', '.join(columns)} FROM {qn(Story._meta.db_table)}"  # noqa: S608 (model table, quoted)
        f" WHERE id IN ({', '.join(['%s'] * len(chunk))})",
        chunk,
    )
    return {row[0]: row[1:] for row in cursor.fetchall()}


def channels_present(pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which (story id, source id) pairs already have a stored post: one probe of the
    (story, source) index each. Called before the batch's posts are written."""
    found: set[tuple[int, int]] = set()
    wanted = sorted(pairs)
    post = connection.ops.quote_name(Post._meta.db_table)
    with connection.cursor() as cursor:
        for at in range(0, len(wanted), CHUNK):
            chunk = wanted[at : at + CHUNK]
            cursor.execute(
                f"WITH k (story_id, source_id) AS (VALUES {', '.join(['(%s, %s)'] * len(chunk))})"  # noqa: S608 (model table, quoted)
                " SELECT k.story_id, k.source_id FROM k WHERE EXISTS"
                f" (SELECT 1 FROM {post} p WHERE p.story_id = k.story_id AND p.source_id = k.source_id)",
                [value for pair in chunk for value in pair],
            )
            found.update((int(story), int(source)) for story, source in cursor.fetchall())
    return found


def advance_stories(
    deltas: Mapping[int, StoryDelta],
    stories: Mapping[int, int],
    sources: Mapping[str, int],
    post_ids: Mapping[PostKey, int],
    present: set[tuple[int, int]],
) -> None:
    """Add the batch's deltas (by story key) to the stored figures. ``stories`` maps story keys to
    ids, ``sources`` source keys to ids, ``post_ids`` the batch's posts to their ids, ``present``
    is :func:`channels_present` of the new posts' (story, source) pairs."""
    if connection.vendor not in ("sqlite", "postgresql"):
        # Timestamps are compared as the driver returns them, known only for these two.
        recompute_stories(stories[key] for key in deltas)
        return
    times = StoredTimes()
    by_id = {stories[key]: delta for key, delta in deltas.items()}
    ids = sorted(by_id)
    changes: list[Change] = []
    with connection.cursor() as cursor:
        for at in range(0, len(ids), CHUNK):
            chunk = ids[at : at + CHUNK]
            stored = _stored(cursor, times, chunk)
            for story_id in chunk:
                old = stored[story_id]
                delta = by_id[story_id]
                posts, channels, views, negative, positive, rumor, origin = old[:7]
                last, first, watched = old[_UNINDEXED:]
                posts += delta.posts
                channels += sum(1 for s in delta.sources if (story_id, sources[s]) not in present)
                negative, positive = negative + delta.negative, positive + delta.positive
                rumor += delta.rumor
                if delta.first is not None:
                    earliest = times.read(delta.first.item.published_at)
                    if origin is None or earliest < first:
                        origin, first = post_ids[delta.first.key], earliest
                if delta.last is not None:
                    last = max(last, times.read(delta.last))
                figures = (
                    posts,
                    channels,
                    views + delta.views,
                    negative,
                    positive,
                    rumor,
                    origin,
                    story_sentiment(posts, negative, positive),
                    rumor / posts if posts else 0.0,
                    last,
                    first,
                    bool(watched) or delta.watched,
                )
                changes.append((figures, old, story_id))
    _write(changes)


def recompute_stories(story_ids: Iterable[int]) -> None:
    """Recount the figures of the given stories from their posts: one grouped read and one read of
    the stored figures a chunk of stories, then an UPDATE of the stories whose figures changed."""
    ids = sorted(set(story_ids))
    times = StoredTimes()
    qn = connection.ops.quote_name
    post, match = qn(Post._meta.db_table), qn(Match._meta.db_table)
    changes: list[Change] = []
    with connection.cursor() as cursor:
        for at in range(0, len(ids), CHUNK):
            chunk = ids[at : at + CHUNK]
            stored = _stored(cursor, times, chunk)
            cursor.execute(
                "SELECT p.story_id, COUNT(*), COUNT(DISTINCT p.source_id), SUM(p.views),"  # noqa: S608 (model tables, quoted)
                " SUM(CASE WHEN p.sentiment = %s THEN 1 ELSE 0 END),"
                " SUM(CASE WHEN p.sentiment = %s THEN 1 ELSE 0 END),"
                " SUM(CASE WHEN p.rumor_signal THEN 1 ELSE 0 END),"
                # The origin and first time come from posts with a known date (any post's time only
                # when none has one: it is when the story was first fetched).
                f" (SELECT o.id FROM {post} o WHERE o.story_id = p.story_id AND NOT o.date_unknown"
                " ORDER BY o.published_at, o.id LIMIT 1),"
                " MAX(p.published_at),"
                " COALESCE(MIN(CASE WHEN p.date_unknown THEN NULL ELSE p.published_at END),"
                " MIN(p.published_at)),"
                f" MAX(CASE WHEN EXISTS (SELECT 1 FROM {match} m WHERE m.post_id = p.id) THEN 1 ELSE 0 END)"
                f" FROM {post} p WHERE p.story_id IN ({', '.join(['%s'] * len(chunk))}) GROUP BY p.story_id",
                [Sentiment.NEGATIVE, Sentiment.POSITIVE, *chunk],
            )
            for (
                story_id,
                posts,
                channels,
                views,
                negative,
                positive,
                rumor,
                origin,
                last,
                first,
                watched,
            ) in cursor.fetchall():
                figures = (
                    posts,
                    channels,
                    views or 0,
                    negative,
                    positive,
                    rumor,
                    origin,
                    story_sentiment(posts, negative, positive),
                    rumor / posts,
                    times.aggregate(last),
                    times.aggregate(first),
                    bool(watched),
                )
                changes.append((figures, stored.get(story_id), story_id))
    _write(changes)
