"""Ingestion: raw posts in, posts, versions, stories, matches and labels stored.

Each batch is one transaction: lock story assignment
(``ingest.services_stories.serialise_story_assignment``), bring the process's near-duplicate index
up to date with the stories other processes stored, look up the batch's keys in one query, let the
pure step (``pipeline.batch.decide``) decide, then write with bulk statements and add the batch to
the touched stories' figures (``ingest.services_stories``). Alert evaluation is enqueued after the
commit.

The index lives in the process (one per worker): it is rebuilt from ``Story.signature`` of the hot
window when the process starts, and any failure resets it, so it never holds a story the database
does not. ``Story.key`` is unique, the last guard if two processes ever disagree.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from tabyin.core.collector import fewer_collections
from tabyin.monitor import task_refs
from tabyin.monitor.ingest.selectors import classifier_current
from tabyin.monitor.ingest.services_sql import CHUNK, insert_rows, tune_connection, update_many
from tabyin.monitor.ingest.services_stance import denials_link, denials_separate
from tabyin.monitor.ingest.services_stories import (
    advance_stories,
    channels_present,
    serialise_story_assignment,
)
from tabyin.monitor.models import Match, Post, PostVersion, Source, Story, WatchQuery
from tabyin.monitor.pipeline import batch as pure
from tabyin.monitor.pipeline import items as raw_items
from tabyin.monitor.pipeline.dates import DateWindow
from tabyin.monitor.pipeline.figures import story_deltas
from tabyin.monitor.pipeline.memo import TextMemo
from tabyin.monitor.pipeline.types import RawPost, split_source

ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class IngestError:
    line: int | None
    message: str


@dataclass(slots=True)
class IngestSummary:
    read: int = 0
    new: int = 0
    duplicates: int = 0
    edited: int = 0
    stories_created: int = 0
    errors: list[IngestError] = field(default_factory=list)
    story_ids: dict[tuple[str, str], int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, int]:
        return {
            "posts_read": self.read,
            "new": self.new,
            "duplicates": self.duplicates,
            "edited": self.edited,
            "stories_created": self.stories_created,
            "errors": len(self.errors),
        }

    def add(self, other: IngestSummary) -> None:
        self.read += other.read
        self.new += other.new
        self.duplicates += other.duplicates
        self.edited += other.edited
        self.stories_created += other.stories_created
        self.errors.extend(other.errors)
        self.story_ids.update(other.story_ids)


class StaleIndexError(Exception):
    """The index named a story the database does not hold (a rolled-back batch or a reset database)."""


class _State:
    """Per-process state. The lock keeps the embedded task threads of one process from mutating the
    index together; across processes the database lock does."""

    lock = threading.Lock()
    index: Any = None
    watermark = 0
    since: datetime | None = None
    matcher: Any = None
    matcher_version: tuple[Any, ...] = ()
    # The pure functions of the dedup step; the benchmark swaps in its baseline here.
    steps: pure.Steps | None = None
    # What the pure step worked out for texts it has seen (``pipeline.memo``), across batches.
    memo = TextMemo()


def reset_index() -> None:
    """Forget the in-process index; the next batch reloads it from the database."""
    _State.index, _State.watermark, _State.since = None, 0, None


def index_size() -> int:
    return len(_State.index) if _State.index is not None else 0


def _sync_index(earliest: datetime) -> Any:
    from tabyin.monitor.pipeline.fingerprint import from_bytes
    from tabyin.monitor.pipeline.index import NearDupIndex

    window = timedelta(days=settings.TABYIN_MONITOR_INDEX_WINDOW_DAYS)
    need = earliest - window
    query = Q(id__gt=_State.watermark)
    if _State.index is not None and _State.watermark:
        # The watermark row itself: gone means the database was reset or rolled back under us.
        query |= Q(id=_State.watermark)
        if _State.since is not None and need < _State.since:
            query |= Q(id__lte=_State.watermark, last_post_at__gte=need, last_post_at__lt=_State.since)
    if _State.index is None:
        _State.index = NearDupIndex(window)
        query = Q(last_post_at__gte=need)
    rows = list(Story.objects.filter(query).values_list("id", "key", "signature", "last_post_at"))
    if _State.watermark and not any(row[0] == _State.watermark for row in rows):
        reset_index()
        return _sync_index(earliest)
    for story_id, key, signature, last_at in rows:
        if story_id != _State.watermark and signature:
            _State.index.add(key, from_bytes(bytes(signature)), last_at)
        _State.watermark = max(_State.watermark, story_id)
    _State.since = need if _State.since is None else min(_State.since, need)
    # Keep memory to the hot window of the batch's earliest item. A later batch of older items
    # reloads what it needs (the range below ``since``); ``add`` of a story still held only touches it.
    if _State.index.expire(earliest):
        _State.since = max(_State.since, need)
    return _State.index


def _matcher() -> Any:
    from tabyin.monitor.pipeline.query import Matcher, QuerySyntaxError, parse

    # The highest id too (as queries.services.matcher_current): a query deleted and another added
    # within one clock tick leave the count and the latest time unchanged, and the old key then
    # kept matching the deleted query's words. Ids only grow, so a new query always changes it.
    version = tuple(WatchQuery.objects.aggregate(n=Count("id"), at=Max("updated_at"), top=Max("id")).values())
    if _State.matcher is None or version != _State.matcher_version:
        queries = list(WatchQuery.objects.filter(is_active=True).values_list("id", "expression"))
        valid = []
        for query_id, expression in queries:
            try:
                parse(expression)
            except QuerySyntaxError:
                continue  # a bad stored query must not stop ingestion; the query page shows it
            valid.append((query_id, expression))
        _State.matcher, _State.matcher_version = Matcher(valid), version
    return _State.matcher


def _classifier() -> pure.ClassifierLike:
    return classifier_current()


def _source_ids(sources: Iterable[str]) -> dict[str, int]:
    """Ids of the stored sources among ``sources`` ("kind:handle")."""
    pairs = {key: split_source(key) for key in sources}
    handles = sorted({h for _, h in pairs.values()})
    rows: list[tuple[int, str, str]] = []
    # Plain SQL: the ORM prepared each of a batch's hundreds of handles one by one.
    table = connection.ops.quote_name(Source._meta.db_table)
    with connection.cursor() as cursor:
        for at in range(0, len(handles), CHUNK):
            chunk = handles[at : at + CHUNK]
            cursor.execute(
                f"SELECT id, kind, handle FROM {table} WHERE handle IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608 (model table, quoted)
                chunk,
            )
            rows += cursor.fetchall()
    return {key: pk for pk, kind, handle in rows if (key := f"{kind}:{handle}") in pairs}


def _lookup(keys: set[tuple[str, str]], source_ids: dict[str, int]) -> dict[tuple[str, str], pure.StoredPost]:
    """The stored posts of the batch's keys, probed by (source id, post id): the unique index.
    One query a chunk of keys (a second only for replays of edited posts)."""
    wanted = [(source_ids[source], post_id, source) for source, post_id in keys if source in source_ids]
    qn = connection.ops.quote_name
    post, story = qn(Post._meta.db_table), qn(Story._meta.db_table)
    found: dict[tuple[str, str], pure.StoredPost] = {}
    source_of = {pk: source for source, pk in source_ids.items()}
    with connection.cursor() as cursor:
        for at in range(0, len(wanted), CHUNK):
            chunk = wanted[at : at + CHUNK]
            cursor.execute(
                # A join with the keys (not a row-value IN, which SQLite answers with a table scan).
                f"WITH k (source_id, post_id) AS (VALUES {', '.join(['(%s, %s)'] * len(chunk))})"  # noqa: S608 (model tables, quoted)
                " SELECT p.id, p.source_id, p.post_id, p.text, p.version, p.views, s.key, p.sentiment,"
                " p.rumor_signal"
                f" FROM k JOIN {post} p ON p.source_id = k.source_id AND p.post_id = k.post_id"
                f" JOIN {story} s ON s.id = p.story_id",
                [value for source_id, post_id, _ in chunk for value in (source_id, post_id)],
            )
            for pk, source_id, post_id, text, version, views, key, sentiment, rumor in cursor.fetchall():
                found[(source_of[source_id], post_id)] = pure.StoredPost(
                    pk, text, version, views, key, sentiment=sentiment, rumor=bool(rumor)
                )
    return found


def _load_old_texts(items: list[RawPost], stored: dict[tuple[str, str], pure.StoredPost]) -> None:
    edited = {
        stored[(i.source, i.post_id)].id: (i.source, i.post_id)
        for i in items
        if (known := stored.get((i.source, i.post_id))) and known.version > 1 and known.text != i.text
    }
    if not edited:
        return
    texts: dict[int, set[str]] = {}
    for post_id, text in PostVersion.objects.filter(post_id__in=edited).values_list("post_id", "text"):
        texts.setdefault(post_id, set()).add(text)
    for pk, key in edited.items():
        stored[key].old_texts = frozenset(texts.get(pk, ()))


def _sources(items: list[RawPost], known: dict[str, int]) -> dict[str, int]:
    """Ids of the items' sources (``known`` holds those already looked up); unknown ones are created."""
    names: dict[str, str] = {}
    for item in items:
        if not names.get(item.source):
            names[item.source] = item.source_name
    missing = [key for key in names if key not in known]
    if not missing:
        return known
    pairs = {key: split_source(key) for key in missing}
    Source.objects.bulk_create(
        [Source(kind=pairs[k][0], handle=pairs[k][1], name=names[k][:200]) for k in missing],
        ignore_conflicts=True,
    )
    return known | _source_ids(missing)


def _stories(decision: pure.BatchDecision, now: datetime) -> tuple[dict[int, int], int]:
    """Story ids by key for the batch, the new stories inserted; and how many were inserted. A new
    story's key that is already stored (its story left the hot window and the same item came back:
    keys are derived from the signature) revives that story instead."""
    keys = sorted(set(decision.story_of.values()))
    ids: dict[int, int] = {}
    table, key = connection.ops.quote_name(Story._meta.db_table), connection.ops.quote_name("key")
    with connection.cursor() as cursor:
        for at in range(0, len(keys), CHUNK):
            chunk = keys[at : at + CHUNK]
            cursor.execute(
                f"SELECT {key}, id FROM {table} WHERE {key} IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608 (model table, quoted)
                chunk,
            )
            ids.update(cursor.fetchall())
    fresh = [s for key, s in decision.new_stories.items() if key not in ids]
    fields = ["key", "signature", "title", "first_published_at", "first_seen_at", "last_post_at"]
    rows = [(s.key, s.signature, s.title, s.at, now, s.at) for s in fresh]
    ids.update(zip([s.key for s in fresh], insert_rows(Story, fields, rows, with_ids=True), strict=True))
    if set(keys) - ids.keys():
        raise StaleIndexError(f"{len(set(keys) - ids.keys())} story keys unknown to the database")
    return ids, len(fresh)


POST_FIELDS = ["source_id", "post_id", "url", "text", "published_at", "first_seen_at", "views", "version"]
POST_FIELDS += ["forwarded_from", "story_id", "sentiment", "sentiment_score", "rumor_signal"]
POST_FIELDS += ["date_unknown", "date_raw"]


def _write_posts(
    decision: pure.BatchDecision, sources: dict[str, int], stories: dict[int, int], now: datetime
) -> dict[pure.PostKey, int]:
    """Insert the new posts, update the changed ones, add versions and matches; the batch's post ids."""
    new = [p for p in decision.posts if p.is_new]
    rows = [
        (
            sources[p.item.source],
            p.item.post_id,
            p.item.url[:1000],
            p.text,
            p.item.published_at,
            now,
            p.views,
            p.version,
            p.item.forwarded_from[:300],
            stories[p.story_key],
            p.sentiment,
            p.score,
            p.rumor,
            p.item.date_unknown,
            p.item.date_raw,
        )
        for p in new
    ]
    inserted = insert_rows(Post, POST_FIELDS, rows, with_ids=True)
    post_ids = {p.key: pk for p, pk in zip(new, inserted, strict=True)}
    changed = [p for p in decision.posts if not p.is_new and (p.text_changed or p.views_changed)]
    post_ids.update({p.key: p.stored_id for p in changed if p.stored_id is not None})
    update_many(
        Post._meta.db_table,
        ["text", "version", "views", "sentiment", "sentiment_score", "rumor_signal"],
        [
            (p.text, p.version, p.views, p.sentiment, p.score, p.rumor, p.stored_id)
            for p in changed
            if p.text_changed
        ],
    )
    update_many(
        Post._meta.db_table, ["views"], [(p.views, p.stored_id) for p in changed if not p.text_changed]
    )
    versions = [(post_ids[p.key], v, t, now) for p in decision.posts for v, t in p.old_versions]
    insert_rows(PostVersion, ["post_id", "version", "text", "seen_at"], versions, with_ids=False)
    matches = [(post_ids[p.key], q, p.item.published_at, q in p.tag_matches) for p in new for q in p.matches]
    insert_rows(Match, ["post_id", "query_id", "published_at", "in_tags_only"], matches, with_ids=False)
    # An edited text may match queries the earlier one matched already: those rows are kept.
    Match.objects.bulk_create(
        [
            Match(
                post_id=post_ids[p.key],
                query_id=q,
                published_at=p.item.published_at,
                in_tags_only=q in p.tag_matches,
            )
            for p in changed
            if p.text_changed
            for q in p.matches
        ],
        ignore_conflicts=True,
    )
    return post_ids


def _ingest_batch(items: list[RawPost]) -> tuple[pure.BatchDecision, dict[int, int], int]:
    now = timezone.now()
    serialise_story_assignment()
    tune_connection()
    index = _sync_index(min(i.published_at for i in items))
    keys = pure.keys_to_look_up(items)
    source_ids = _source_ids({source for source, _ in keys})
    stored = _lookup(keys, source_ids)
    _load_old_texts(items, stored)
    decision = pure.decide(
        items,
        stored,
        index=index,
        matcher=_matcher(),
        classifier=_classifier(),
        steps=_State.steps,
        memo=_State.memo,
    )
    found_denials = denials_separate(decision)  # a denial leaves the story it denies (stance step)
    sources = _sources(items, source_ids)
    stories, created = _stories(decision, now)
    deltas = story_deltas(decision, stored)
    # Which channels each story already had: asked before this batch's posts are stored.
    present = channels_present(
        {(stories[key], sources[s]) for key, delta in deltas.items() for s in delta.sources}
    )
    post_ids = _write_posts(decision, sources, stories, now)
    denials_link(found_denials, post_ids, stories)
    advance_stories(deltas, stories, sources, post_ids, present)
    _State.watermark = max(_State.watermark, *(stories[k] for k in decision.new_stories), 0)
    return decision, stories, created


def _run_batch(items: list[RawPost]) -> IngestSummary:
    for attempt in range(ATTEMPTS):
        try:
            with _State.lock, transaction.atomic():
                decision, stories, created = _ingest_batch(items)
                touched = sorted({stories[k] for k in decision.touched_story_keys})
                if touched:
                    task_refs.evaluate_alerts.enqueue(story_ids=touched)
            break
        except (StaleIndexError, IntegrityError):
            reset_index()
            if attempt == ATTEMPTS - 1:
                raise
        except BaseException:
            reset_index()
            raise
    summary = IngestSummary(
        read=len(items),
        new=decision.new,
        duplicates=decision.duplicates,
        edited=decision.edited,
        stories_created=created,
    )
    summary.story_ids = {key: stories[story_key] for key, story_key in decision.story_of.items()}
    return summary


def _valid(items: Iterable[RawPost], summary: IngestSummary) -> Iterator[RawPost]:
    window = DateWindow.of(settings)
    for position, item in enumerate(items, start=1):
        problem = raw_items.check(item, window=window)
        if problem is None:
            yield item
        else:
            summary.read += 1
            summary.errors.append(IngestError(position, problem))


def ingest(items: Iterable[RawPost], *, batch_size: int = 1000) -> IngestSummary:
    """Store the items, batch by batch (each batch is one transaction). Invalid items are counted as
    errors (``line`` is their 1-based position) and skipped. ``story_ids`` maps every valid item's
    (source, post id) to its story."""
    summary = IngestSummary()
    stream = _valid(items, summary)
    with fewer_collections():
        while chunk := list(islice(stream, batch_size)):
            summary.add(_run_batch(chunk))
    return summary
