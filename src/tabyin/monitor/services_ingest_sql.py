"""The SQL side of ingestion: id allocation, bulk inserts and updates, story figures recounted by
the database, and the SQLite connection tuning for large batches.

Plain ``executemany`` rather than ``bulk_create``: at thousands of posts a second the ORM's row
objects cost more than the statements (see docs/modules/monitor.md, Figures).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import DateTimeField

from tabyin.monitor.enums import Sentiment
from tabyin.monitor.models import Match, Post, Story

# A story is negative (positive) when at least this share of its posts is; negative wins a tie
# because a negative story is what an analyst must not miss.
STORY_SENTIMENT_SHARE = 0.4
# Keys per statement in an ``IN (...)`` list: below every vendor's parameter limit.
CHUNK = 900


def allocate_ids(table: str, count: int) -> list[int] | None:
    """``count`` fresh ids of ``table``, so inserted rows need no RETURNING; None when the vendor
    has no way here (the caller then lets the ORM insert). Called under the batch lock."""
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)"
            cursor.execute(sql, [quoted, count])
            return [int(row[0]) for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # IMMEDIATE transaction: no other writer until we commit. AUTOINCREMENT's sequence is
            # honoured so an id of a deleted row is never reused.
            cursor.execute(
                f"SELECT max(coalesce((SELECT max(id) FROM {quoted}), 0),"  # noqa: S608 (model table, quoted)
                " coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
                [table],
            )
            top = int(cursor.fetchone()[0])
            return list(range(top + 1, top + count + 1))
    return None


def datetime_adapter() -> Any:
    """Django's datetime adaptation; on SQLite with time zones its steps inlined (a third of the
    time of the whole INSERT went into it)."""
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor != "sqlite" or not settings.USE_TZ:
        return adapt
    zone = connection.timezone
    done: dict[datetime, str] = {}  # a batch repeats its times (first_seen_at, a match's post time)

    def fast(value: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is not None:
            text = done.get(value)
            if text is None:
                text = done[value] = str(value.astimezone(zone).replace(tzinfo=None))
            return text
        return adapt(value)

    return fast


def insert_rows(model: Any, fields: list[str], rows: list[tuple[Any, ...]], *, with_ids: bool) -> list[int]:
    """INSERT with executemany: Django's bulk_create spends most of a batch preparing values one by
    one. Datetimes are adapted as Django stores them; returns the ids given (with ``with_ids``)."""
    if not rows:
        return []
    table = model._meta.db_table
    ids = allocate_ids(table, len(rows)) if with_ids else []
    if ids is None:
        created = model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in rows])
        return [obj.pk for obj in created]
    adapt = datetime_adapter()
    when = [i for i, name in enumerate(fields) if isinstance(model._meta.get_field(name), DateTimeField)]
    # Every other column gets its model default, as the ORM would give it.
    given = {model._meta.get_field(name).attname for name in fields}
    rest = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in given]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    # Column by column: a C-level transpose costs less than rebuilding every row value by value.
    columns_of = list(zip(*rows, strict=True))
    for i in when:
        columns_of[i] = tuple(map(adapt, columns_of[i]))
    rows = list(zip(*([ids] if ids else []), *columns_of, *([v] * len(rows) for v in defaults), strict=True))
    columns = (["id"] if ids else []) + [model._meta.get_field(name).column for name in fields]
    columns += [f.column for f in rest]
    sql = (
        f"INSERT INTO {connection.ops.quote_name(table)}"  # noqa: S608 (model table and columns, quoted)
        f" ({', '.join(map(connection.ops.quote_name, columns))}) VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return ids


def update_many(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """UPDATE by id with executemany: linear, unlike bulk_update's CASE WHEN per column."""
    if rows:
        assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {connection.ops.quote_name(table)} SET {assignments} WHERE id = %s",  # noqa: S608 (names from the models, quoted)
                rows,
            )


def _story_sentiment(total: int, negative: int, positive: int) -> str:
    if total and negative / total >= STORY_SENTIMENT_SHARE:
        return Sentiment.NEGATIVE
    if total and positive / total >= STORY_SENTIMENT_SHARE:
        return Sentiment.POSITIVE
    return Sentiment.NEUTRAL


STORY_FIGURES = ["post_count", "channel_count", "total_views", "origin_post_id", "sentiment", "rumor_signal"]
STORY_FIGURES += ["last_post_at", "first_published_at", "matches_watch"]
# Statement shapes, by how many of the figures (in the order above) they write: an UPDATE rewrites
# the index entries of every indexed column it sets, changed or not, and the last three are indexed.
# Most recounts change no indexed figure or only last_post_at (a later post joined).
_SHAPES = (6, 7, 9)


def recompute_stories(story_ids: Iterable[int]) -> None:
    """Recount the figures of the given stories from their posts: one grouped read and one read of
    the stored figures a chunk of stories, then an UPDATE of the stories whose figures changed.

    The database aggregates (a story's posts are read through the (story, published_at) index, the
    match check is an index probe); Python only sees one row a story. Timestamps are compared and
    copied raw: Django's SQLite text form sorts as the times do."""
    ids = sorted(set(story_ids))
    if not ids:
        return
    qn = connection.ops.quote_name
    post, match, story = qn(Post._meta.db_table), qn(Match._meta.db_table), qn(Story._meta.db_table)
    shaped: dict[int, list[tuple[Any, ...]]] = {size: [] for size in _SHAPES}
    with connection.cursor() as cursor:
        for at in range(0, len(ids), CHUNK):
            chunk = ids[at : at + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT id, {', '.join(map(qn, STORY_FIGURES))} FROM {story} WHERE id IN ({marks})",  # noqa: S608 (model table, quoted)
                chunk,
            )
            stored = {row[0]: row[1:] for row in cursor.fetchall()}
            cursor.execute(
                "SELECT p.story_id, COUNT(*), COUNT(DISTINCT p.source_id), SUM(p.views),"  # noqa: S608 (model tables, quoted)
                " MIN(p.published_at), MAX(p.published_at),"
                " SUM(CASE WHEN p.sentiment = %s THEN 1 ELSE 0 END),"
                " SUM(CASE WHEN p.sentiment = %s THEN 1 ELSE 0 END),"
                " SUM(CASE WHEN p.rumor_signal THEN 1 ELSE 0 END),"
                f" MAX(CASE WHEN EXISTS (SELECT 1 FROM {match} m WHERE m.post_id = p.id) THEN 1 ELSE 0 END),"
                f" (SELECT o.id FROM {post} o WHERE o.story_id = p.story_id"
                " ORDER BY o.published_at, o.id LIMIT 1)"
                f" FROM {post} p WHERE p.story_id IN ({marks}) GROUP BY p.story_id",
                [Sentiment.NEGATIVE, Sentiment.POSITIVE, *chunk],
            )
            for (
                story_id,
                count,
                channels,
                views,
                first,
                last,
                negative,
                positive,
                rumor,
                watched,
                origin,
            ) in cursor.fetchall():
                sentiment = _story_sentiment(count, negative, positive)
                figures = (
                    count,
                    channels,
                    views or 0,
                    origin,
                    sentiment,
                    rumor / count,
                    last,
                    first,
                    bool(watched),
                )
                old = stored.get(story_id)
                if old is not None and old[:8] == figures[:8] and bool(old[8]) == figures[8]:
                    continue
                size = 6
                if old is None or old[6] != last:
                    size = 7
                if old is None or old[7] != first or bool(old[8]) != figures[8]:
                    size = 9
                shaped[size].append((*figures[:size], story_id))
    for size, rows in shaped.items():
        update_many(Story._meta.db_table, STORY_FIGURES[:size], rows)


# SQLite page cache of an ingesting connection, in KiB. The story recount reads every post of the
# touched stories in story order, i.e. scattered over the table: with SQLite's default 2 MiB cache
# nearly every row was a page read (about twice the time a row).
SQLITE_CACHE_KIB = 65536
# WAL pages before an automatic checkpoint (SQLite's default is 1,000, about one batch): a batch
# rewrites the same index and story pages, and a rarer checkpoint copies each of them once for
# many batches. It halved the commit time; the WAL file grows to ~40 MB between checkpoints.
SQLITE_CHECKPOINT_PAGES = 10_000


class _Tuned:
    # The raw connection already tuned (a new connection, e.g. after a reconnect, is tuned again).
    connection: Any = None


def tune_connection() -> None:
    if connection.vendor == "sqlite" and _Tuned.connection is not connection.connection:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_CHECKPOINT_PAGES}")
        _Tuned.connection = connection.connection
