"""Polling: which sources are due, one poll of one source, and how often each is polled.

* ``poll_due`` (every 10 s) claims due sources (active, polled kind, ``next_poll_at`` ≤ now) with a
  conditional update, so two schedulers never poll one source twice, and enqueues
  ``sources.tasks.poll_source`` for each while the source's host has budget left this minute
  (``TABYIN_MONITOR_HOST_REQUESTS_PER_MINUTE``, counted in the "shared" cache, which every process
  sees: the database in embedded mode, Redis in scaled mode). A source over budget stays due.
* ``poll_source`` first takes one of its host's ``HOST_CONCURRENCY`` slots (in the shared cache; a
  host already that busy gets the source back in a few seconds, unfetched), then calls the
  adapter, writes a ``FetchLog`` (the raw start of a failed response is
  kept, ``TABYIN_MONITOR_RAW_KEEP_BYTES``), ingests the items and schedules the next poll:
  - success: the interval follows the channel's pace (``posts_per_day``, smoothed over about a day),
    about one new post per poll, between ``MIN_INTERVAL`` and ``TABYIN_MONITOR_FRESHNESS_SECONDS``
    (a post must be read within about two minutes of appearing, whatever its channel's pace; the
    host budget, not a long interval, is what keeps a host from being asked too often);
  - 304: nothing to read, same interval;
  - failure: exponential back-off from ``BACKOFF_BASE`` doubling per failure in a row, capped at
    ``BACKOFF_CAP``, and never sooner than the server's ``Retry-After`` (429, 503).
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tabyin.monitor import task_refs
from tabyin.monitor.enums import POLLED_KINDS, FetchOutcome, SourceStatus
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import FetchLog, Source
from tabyin.monitor.sources import FetchError, SourceState, adapter_for
from tabyin.monitor.sources.base import FetchResult

log = logging.getLogger(__name__)

MIN_INTERVAL = 60
BACKOFF_BASE = 60
BACKOFF_CAP = 6 * 3600
RETRY_AFTER_CAP = 24 * 3600
# A claimed source is not offered again for this long, in case its worker dies mid-poll.
CLAIM = timedelta(minutes=10)
# Sources claimed a round: 1,200 sources polled every 100 s are ~120 a 10-second round.
DUE_BATCH = 1000
# Requests in flight to one host at once, across the worker's threads and processes.
HOST_CONCURRENCY = 2
# A source whose host was busy is offered again this soon.
RECHECK = timedelta(seconds=5)
KEEP_FETCHES = 200
# Smoothing time constant of posts_per_day: a day of observation weighs as much as the past.
PACE_DAYS = 1.0


def _budget_key(host: str, now: datetime) -> str:
    return f"monitor:host-budget:{host}:{now.strftime('%Y%m%d%H%M')}"


def budget_take(host: str, *, now: datetime, count: int = 1) -> bool:
    """Count ``count`` requests to ``host`` this minute; False if that would pass the budget."""
    if not host:
        return True
    cache = caches["shared"]
    key = _budget_key(host, now)
    cache.add(key, 0, timeout=120)
    used = cache.incr(key, count)
    if used > settings.TABYIN_MONITOR_HOST_REQUESTS_PER_MINUTE:
        cache.decr(key, count)
        return False
    return True


def budget_used(host: str, *, now: datetime) -> int:
    return int(caches["shared"].get(_budget_key(host, now), 0))


def _inflight_key(host: str) -> str:
    return f"monitor:host-inflight:{host}"


class _Slots:
    """Embedded mode: every poll runs in the one process that holds the scheduler, so its slots
    are counted here (the shared cache is the database there: three queries a poll for a count)."""

    lock = threading.Lock()
    used: ClassVar[dict[str, int]] = {}


def host_slot_take(host: str) -> bool:
    """One of ``host``'s ``HOST_CONCURRENCY`` request slots, or False when all are taken. Scaled, the
    count is in Redis and expires with the claim, so a worker that died mid-poll does not hold its
    slot for ever."""
    if not host:
        return True
    if not settings.SCALED:
        with _Slots.lock:
            if _Slots.used.get(host, 0) >= HOST_CONCURRENCY:
                return False
            _Slots.used[host] = _Slots.used.get(host, 0) + 1
            return True
    cache = caches["shared"]
    key = _inflight_key(host)
    cache.add(key, 0, timeout=int(CLAIM.total_seconds()))
    if cache.incr(key) > HOST_CONCURRENCY:
        cache.decr(key)
        return False
    return True


def host_slot_release(host: str) -> None:
    if not host:
        return
    if not settings.SCALED:
        with _Slots.lock:
            _Slots.used[host] = max(0, _Slots.used.get(host, 0) - 1)
        return
    # ValueError: the count expired meanwhile, nothing left to give back.
    with contextlib.suppress(ValueError):
        caches["shared"].decr(_inflight_key(host))


def poll_due(*, now: datetime | None = None) -> list[int]:
    """Claim the due sources within their hosts' budgets and enqueue a poll of each."""
    now = now or timezone.now()
    due = list(
        Source.objects.filter(is_active=True, kind__in=POLLED_KINDS)
        .filter(Q(next_poll_at__lte=now) | Q(next_poll_at__isnull=True))
        .order_by("next_poll_at", "pk")
        .values_list("pk", "host", "next_poll_at")[:DUE_BATCH]
    )
    enqueued = []
    for pk, host, next_poll_at in due:
        if not budget_take(host, now=now):
            continue
        claimed = Source.objects.filter(pk=pk, next_poll_at=next_poll_at).update(next_poll_at=now + CLAIM)
        if not claimed:  # another scheduler took it first: give the request back
            caches["shared"].decr(_budget_key(host, now))
            continue
        task_refs.poll_source.enqueue(source_id=pk)
        enqueued.append(pk)
    return enqueued


@dataclass(frozen=True)
class PollOutcome:
    outcome: str
    items: int
    new_items: int
    error: str


def poll_source(*, source_id: int, now: datetime | None = None) -> PollOutcome:
    """Poll one source now and record what happened (never raises for a bad source)."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return PollOutcome(FetchOutcome.SKIPPED, 0, 0, "gone")
    now = now or timezone.now()
    if not host_slot_take(source.host):
        Source.objects.filter(pk=source.pk).update(next_poll_at=now + RECHECK)
        return PollOutcome(FetchOutcome.SKIPPED, 0, 0, "host busy")
    try:
        return _poll(source, now=now)
    finally:
        host_slot_release(source.host)


def _poll(source: Source, *, now: datetime) -> PollOutcome:
    started = time.monotonic()
    state = SourceState(
        kind=source.kind,
        handle=source.handle,
        url=source.url,
        etag=source.etag,
        last_modified=source.last_modified,
        cursor=source.cursor,
        name=source.name,
    )
    try:
        result = adapter_for(source.kind, via_account=source.via_account).fetch(state)
    except FetchError as error:
        return _failed(source, error, now=now, duration=time.monotonic() - started)
    if result.requests > 1:
        budget_take(source.host, now=now, count=result.requests - 1)
    if result.not_modified:
        return _finish(source, result, now=now, duration=time.monotonic() - started, new=0)
    summary = services_ingest.ingest(result.items)
    if summary.errors:
        log.warning("source %s: %d items refused by ingest", source.pk, len(summary.errors))
    return _finish(source, result, now=now, duration=time.monotonic() - started, new=summary.new)


def _finish(source: Source, result: FetchResult, *, now: datetime, duration: float, new: int) -> PollOutcome:
    outcome = FetchOutcome.NOT_MODIFIED if result.not_modified else FetchOutcome.OK
    first = source.last_success_at is None
    if not result.not_modified:
        source.posts_per_day = pace(
            source.posts_per_day,
            new=new,
            since=source.last_success_at,
            now=now,
            first_dates=[i.published_at for i in result.items] if first else None,
        )
    source.interval_seconds = interval_for(source.posts_per_day)
    source.etag = result.etag[:255] or ("" if not result.not_modified else source.etag)
    source.last_modified = result.last_modified[:64] or (
        "" if not result.not_modified else source.last_modified
    )
    source.cursor = result.cursor[:64] or source.cursor
    if result.source_name and not source.name:
        source.name = result.source_name[:200]
    source.status = SourceStatus.OK
    source.last_error = ""
    source.consecutive_failures = 0
    source.last_polled_at = source.last_success_at = now
    source.next_poll_at = now + timedelta(seconds=source.interval_seconds)
    with transaction.atomic():
        source.save()
        _log(source, now=now, duration=duration, outcome=outcome, status=result.http_status,
             items=len(result.items), new=new)  # fmt: skip
    return PollOutcome(outcome, len(result.items), new, "")


def _failed(source: Source, error: FetchError, *, now: datetime, duration: float) -> PollOutcome:
    message = error.message()
    log.info("source %s failed: %s", source.pk, error)  # English, and never a post's text
    source.consecutive_failures += 1
    delay = backoff_seconds(source.consecutive_failures, retry_after=error.retry_after)
    source.status = SourceStatus.BACKOFF if error.code == "rate_limited" else SourceStatus.ERROR
    source.last_error = message
    source.last_polled_at = now
    source.next_poll_at = now + timedelta(seconds=delay)
    with transaction.atomic():
        source.save()
        _log(source, now=now, duration=duration, outcome=FetchOutcome.ERROR, status=error.status,
             error=message, raw=error.raw, content_type=error.content_type)  # fmt: skip
    return PollOutcome(FetchOutcome.ERROR, 0, 0, message)


def _log(
    source: Source,
    *,
    now: datetime,
    duration: float,
    outcome: str,
    status: int | None,
    items: int = 0,
    new: int = 0,
    error: str = "",
    raw: bytes = b"",
    content_type: str = "",
) -> None:
    keep = settings.TABYIN_MONITOR_RAW_KEEP_BYTES
    FetchLog.objects.create(
        source=source,
        started_at=now,
        duration_ms=round(duration * 1000),
        outcome=outcome,
        http_status=status,
        error=error,
        items=items,
        new_items=new,
        raw=raw[:keep] if raw and keep else None,
        raw_content_type=content_type[:200],
    )
    # Only the recent fetches matter for diagnosis; a busy source must not grow the table for ever.
    recent = FetchLog.objects.filter(source=source).order_by("-started_at", "-pk")
    cutoff = list(recent.values_list("pk", flat=True)[KEEP_FETCHES : KEEP_FETCHES + 1])
    if cutoff:
        FetchLog.objects.filter(source=source, pk__lte=cutoff[0]).delete()


def pace(
    previous: float,
    *,
    new: int,
    since: datetime | None,
    now: datetime,
    first_dates: list[datetime] | None = None,
) -> float:
    """Posts per day, smoothed: an exponential moving average that weighs by elapsed time.

    The first poll has no previous poll to measure from; the spread of the dates of the posts it
    read gives a first estimate (20 posts over 2 hours: 240 a day).
    """
    if since is None:
        dates = sorted(first_dates or [])
        if len(dates) < 2:
            return previous
        span_days = max((dates[-1] - dates[0]).total_seconds() / 86400, 1 / 1440)
        return round((len(dates) - 1) / span_days, 3)
    elapsed_days = max((now - since).total_seconds() / 86400, 1 / 86400)
    observed = new / elapsed_days
    weight = 1 - math.exp(-elapsed_days / PACE_DAYS)
    return round(previous + weight * (observed - previous), 3)


def interval_for(posts_per_day: float) -> int:
    """About one new post per poll, between a minute (1,440 posts a day) and the freshness ceiling:
    a quiet channel's one post of the day is the rumor that must not wait two hours."""
    ceiling = int(settings.TABYIN_MONITOR_FRESHNESS_SECONDS)
    if posts_per_day <= 0:
        return ceiling
    return int(min(ceiling, max(MIN_INTERVAL, 86400 / posts_per_day)))


def backoff_seconds(failures: int, *, retry_after: float | None = None) -> int:
    """60 s, 120 s, 240 s … after 1, 2, 3 … failures in a row, at most 6 h; never before Retry-After
    (itself capped at a day, so a server cannot switch a source off)."""
    delay = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** min(max(0, failures - 1), 20))
    if retry_after:
        delay = max(delay, min(math.ceil(retry_after), RETRY_AFTER_CAP))
    return int(delay)
