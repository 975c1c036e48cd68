"""Polling against local servers: good feeds, 304s, and every kind of bad source, each marked with
a clear error, backed off and its raw payload kept while the other sources go on. Time is frozen
with time-machine; no test leaves this machine."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.cache import caches
from django.test import override_settings
from django.utils import translation
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tabyin.monitor import sources
from tabyin.monitor.enums import FetchOutcome, SourceStatus
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.ingest.services import IngestSummary
from tabyin.monitor.models import FetchLog, Source
from tabyin.monitor.pipeline.types import RawPost
from tabyin.monitor.sources import services_polling

pytestmark = pytest.mark.django_db
SAMPLES = Path(sources.__file__).parent
FEED = (SAMPLES / "rss/samples/isna.xml").read_bytes()
NOW = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    caches["shared"].clear()
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def ingested(monkeypatch: pytest.MonkeyPatch) -> list[RawPost]:
    """Polling is tested here, ingestion in H2's tests: items are recorded, "new" means unseen."""
    received: list[RawPost] = []

    def ingest(items: Iterable[RawPost], *, batch_size: int = 1000) -> IngestSummary:
        batch = list(items)
        seen = {(i.source, i.post_id) for i in received}
        received.extend(batch)
        return IngestSummary(read=len(batch), new=sum(1 for i in batch if (i.source, i.post_id) not in seen))

    monkeypatch.setattr(services_ingest, "ingest", ingest)
    return received


def _source(url: str, *, kind: str = "rss", handle: str = "isna", host: str = "127.0.0.1") -> Source:
    return Source.objects.create(kind=kind, handle=handle, url=url, host=host, next_poll_at=NOW)


def _poll(source: Source, now: datetime = NOW) -> Source:
    with time_machine.travel(now, tick=False):
        services_polling.poll_source(source_id=source.pk)
    source.refresh_from_db()
    return source


def test_a_feed_is_read_then_not_modified_with_its_validators(
    httpserver: HTTPServer, ingested: list[RawPost]
) -> None:
    headers = {"ETag": '"v1"', "Last-Modified": "Wed, 01 May 2024 09:02:11 GMT"}
    httpserver.expect_ordered_request("/rss").respond_with_data(
        FEED, content_type="application/rss+xml; charset=utf-8", headers=headers
    )
    httpserver.expect_ordered_request(
        "/rss", headers={"If-None-Match": '"v1"', "If-Modified-Since": "Wed, 01 May 2024 09:02:11 GMT"}
    ).respond_with_data("", status=304)
    source = _poll(_source(httpserver.url_for("/rss")))
    assert (source.status, source.etag, source.last_modified, source.name) == (
        SourceStatus.OK, '"v1"', "Wed, 01 May 2024 09:02:11 GMT", "ایسنا - خبرگزاری دانشجویان ایران",
    )  # fmt: skip
    assert [(i.source, i.post_id) for i in ingested] == [
        ("rss:isna", "1403021107531"), ("rss:isna", "1403021106980"), ("rss:isna", "1403021105112"),
    ]  # fmt: skip
    # Three posts over 11 h 10 min: 4.3 a day; a quiet feed is polled at the freshness ceiling.
    assert (source.posts_per_day, source.interval_seconds) == (4.299, 100)
    assert source.next_poll_at == NOW + timedelta(seconds=100)
    later = NOW + timedelta(hours=2)
    source = _poll(source, later)
    log = FetchLog.objects.filter(source=source).order_by("started_at")
    assert [(f.outcome, f.http_status, f.items, f.new_items, f.raw) for f in log] == [
        (FetchOutcome.OK, 200, 3, 3, None),
        (FetchOutcome.NOT_MODIFIED, 304, 0, 0, None),
    ]
    assert (source.status, source.etag, source.last_success_at) == (SourceStatus.OK, '"v1"', later)


BAD_CASES = {
    "invalid XML": (b"<rss version='2.0'><channel><title>x</title></chan", "application/rss+xml",
                    "The feed cannot be read: "),
    "HTML instead of a feed": (b"<!DOCTYPE html><html><body><h1>Welcome</h1></body></html>", "text/html",
                               "The address returned a web page, not an RSS or Atom feed."),
    "wrong encoding": (
        FEED.decode().replace("UTF-8", "utf-8").encode("utf-16-le"),
        "application/rss+xml; charset=utf-8",
        None,
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_a_bad_feed_is_marked_backed_off_and_its_payload_kept(httpserver: HTTPServer, case: str) -> None:
    body, content_type, message = BAD_CASES[case]
    httpserver.expect_request("/rss").respond_with_data(body, content_type=content_type)
    source = _poll(_source(httpserver.url_for("/rss")))
    fetch = FetchLog.objects.get(source=source)
    assert (source.status, source.consecutive_failures, source.next_poll_at) == (
        SourceStatus.ERROR, 1, NOW + timedelta(seconds=60),
    )  # fmt: skip
    if message is not None:
        assert source.last_error.startswith(message)
    else:
        assert source.last_error.startswith(("The text is not in the encoding", "The feed cannot be read"))
    assert (fetch.outcome, fetch.http_status, bytes(fetch.raw), fetch.error) == (
        FetchOutcome.ERROR, 200, body, source.last_error,
    )  # fmt: skip


@override_settings(TABYIN_MONITOR_MAX_RESPONSE_BYTES=1024 * 1024, TABYIN_MONITOR_RAW_KEEP_BYTES=1000)
def test_a_50_mb_response_is_cut_off(httpserver: HTTPServer) -> None:
    sent = {"bytes": 0}

    def huge(request: Request) -> Response:
        def chunks() -> Iterator[bytes]:
            for _ in range(50 * 16):  # 50 MB in 64 KB chunks, no Content-Length
                sent["bytes"] += 65536
                yield b"<" * 65536

        return Response(chunks(), content_type="application/rss+xml")

    httpserver.expect_request("/rss").respond_with_handler(huge)
    source = _poll(_source(httpserver.url_for("/rss")))
    assert source.last_error == "The response is larger than 1 MB; reading stopped."
    assert bytes(FetchLog.objects.get(source=source).raw) == b"<" * 1000
    assert sent["bytes"] < 50 * 1024 * 1024


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/rss"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


@override_settings(TABYIN_MONITOR_FETCH_TIMEOUT_SECONDS=1)
def test_a_server_that_never_answers_times_out(silent_server: str) -> None:
    started = datetime.now(UTC)
    source = _poll(_source(silent_server))
    assert (datetime.now(UTC) - started).total_seconds() < 5
    assert (source.status, source.last_error) == (
        SourceStatus.ERROR, "The source did not answer completely within 1 seconds.",
    )  # fmt: skip


def test_a_redirect_loop_stops(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    source = _poll(_source(httpserver.url_for("/a")))
    assert source.last_error == "Too many redirects (more than 5): the address redirects in a loop."


def test_429_backs_off_until_retry_after(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/rss").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "900"}
    )
    source = _poll(_source(httpserver.url_for("/rss")))
    assert (source.status, source.last_error, source.next_poll_at) == (
        SourceStatus.BACKOFF,
        "The server asks us to slow down (HTTP 429); next try after 900 seconds.",
        NOW + timedelta(seconds=900),
    )
    assert bytes(FetchLog.objects.get(source=source).raw) == b"slow down"


def test_5xx_backs_off_exponentially_and_a_success_resets(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/rss").respond_with_data("oops", status=503)
    source = _source(httpserver.url_for("/rss"))
    now = NOW
    delays = []
    for _ in range(4):
        source = _poll(source, now)
        delays.append((source.next_poll_at - now).total_seconds())
        now = source.next_poll_at
    assert delays == [60, 120, 240, 480]
    assert (source.consecutive_failures, source.last_error) == (4, "The server answered with HTTP 503.")
    httpserver.clear()
    httpserver.expect_request("/rss").respond_with_data(FEED, content_type="application/rss+xml")
    source = _poll(source, now)
    assert (source.status, source.consecutive_failures, source.last_error) == (SourceStatus.OK, 0, "")


def test_backoff_is_capped_and_honours_retry_after() -> None:
    assert services_polling.backoff_seconds(30) == 6 * 3600
    assert services_polling.backoff_seconds(1, retry_after=3600.5) == 3601
    assert services_polling.backoff_seconds(1, retry_after=10 * 86400) == 86400


def test_interval_follows_the_pace_between_bounds() -> None:
    # A quiet source is polled at the freshness ceiling (100 s), a busy one down to once a minute.
    assert [services_polling.interval_for(p) for p in (0, 5, 720, 1000, 5000)] == [100, 100, 100, 86, 60]
    # Smoothing: a quiet day after a busy pace weighs 1 - 1/e.
    assert services_polling.pace(100.0, new=0, since=NOW - timedelta(days=1), now=NOW) == 36.788
    assert services_polling.pace(100.0, new=10, since=NOW - timedelta(hours=1), now=NOW) == 105.713


def test_one_bad_source_does_not_stop_the_others(httpserver: HTTPServer, ingested: list[RawPost]) -> None:
    httpserver.expect_request("/good").respond_with_data(FEED, content_type="application/rss+xml")
    httpserver.expect_request("/bad").respond_with_data("<html>no</html>", content_type="text/html")
    bad = _source(httpserver.url_for("/bad"), handle="bad")
    good = _source(httpserver.url_for("/good"), handle="good")
    with time_machine.travel(NOW, tick=False):
        for pk in services_polling.poll_due():
            services_polling.poll_source(source_id=pk)
    bad.refresh_from_db()
    good.refresh_from_db()
    assert (bad.status, good.status, len(ingested)) == (
        SourceStatus.ERROR, SourceStatus.OK, 3,
    )  # fmt: skip


@override_settings(TABYIN_MONITOR_HOST_REQUESTS_PER_MINUTE=2)
def test_poll_due_respects_host_budgets_and_claims_each_source_once(
    django_capture_on_commit_callbacks: object,
) -> None:
    for n in range(3):
        Source.objects.create(
            kind="telegram", handle=f"chan{n}", host="t.me", next_poll_at=NOW - timedelta(minutes=n)
        )
    Source.objects.create(kind="rss", handle="irna", host="www.irna.ir", next_poll_at=NOW)
    Source.objects.create(
        kind="rss", handle="later", host="www.irna.ir", next_poll_at=NOW + timedelta(minutes=1)
    )
    Source.objects.create(kind="rss", handle="off", host="www.irna.ir", next_poll_at=NOW, is_active=False)
    Source.objects.create(kind="paste", handle="staff", next_poll_at=NOW)
    with time_machine.travel(NOW, tick=False):
        first = services_polling.poll_due()
        again = services_polling.poll_due()
        used = services_polling.budget_used("t.me", now=NOW)
    keys = [Source.objects.get(pk=pk).key for pk in first]
    # The two oldest t.me sources, then irna; chan0 waits for t.me's next minute.
    assert (keys, again) == (["telegram:chan2", "telegram:chan1", "rss:irna"], [])
    assert Source.objects.get(handle="chan0").next_poll_at == NOW
    assert Source.objects.get(handle="chan2").next_poll_at == NOW + services_polling.CLAIM
    assert used == 2
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        assert [Source.objects.get(pk=pk).key for pk in services_polling.poll_due()] == [
            "telegram:chan0", "rss:later",
        ]  # fmt: skip


def test_poll_due_enqueues_poll_source_after_commit(django_capture_on_commit_callbacks: object) -> None:
    Source.objects.create(kind="telegram", handle="chan0", host="t.me", next_poll_at=NOW)
    calls: list[dict[str, object]] = []
    from tabyin.core import background

    with (
        time_machine.travel(NOW, tick=False),
        pytest.MonkeyPatch.context() as patch,
        django_capture_on_commit_callbacks() as callbacks,  # type: ignore[operator]
    ):
        patch.setattr(background, "_dispatch", lambda name, kwargs: calls.append({"name": name, **kwargs}))
        services_polling.poll_due()
    for callback in callbacks:
        callback()
    pk = Source.objects.get(handle="chan0").pk
    assert calls == [{"name": "monitor.poll_source", "source_id": pk}]


def test_telegram_poll_ingests_with_the_cursor_and_counts_the_backfill(
    httpserver: HTTPServer, ingested: list[RawPost]
) -> None:
    httpserver.expect_request("/s/akhbarefori", query_string="").respond_with_data(
        (SAMPLES / "telegram/samples/akhbarefori.html").read_bytes(), content_type="text/html"
    )
    httpserver.expect_request("/s/akhbarefori", query_string="before=48210").respond_with_data(
        (SAMPLES / "telegram/samples/akhbarefori-before-48210.html").read_bytes(), content_type="text/html"
    )
    source = Source.objects.create(
        kind="telegram", handle="akhbarefori", url=httpserver.url_for("/s/akhbarefori"), host="t.me",
        cursor="48207", next_poll_at=NOW, last_success_at=NOW - timedelta(hours=1), posts_per_day=100.0,
    )  # fmt: skip
    with time_machine.travel(NOW, tick=False):
        services_polling.poll_source(source_id=source.pk)
        used = services_polling.budget_used("t.me", now=NOW)
    source.refresh_from_db()
    assert [(p.post_id, p.views, p.forwarded_from) for p in ingested] == [
        ("48208", 2000, ""), ("48209", 10800, ""), ("48210", 1200, ""),
        ("48211", 15300, "telegram:farsna/345678"),
        ("48212", 987, ""), ("48213", 1100000, ""), ("48215", 312, ""),
    ]  # fmt: skip
    # Two pages read: the backfill page is counted in the host budget (the first was counted by poll_due).
    assert (source.cursor, source.name, used) == (
        "48215", "خبر فوری", 1,
    )  # fmt: skip
    # 7 new posts in an hour (168 a day) against 100 a day: the pace rises, weighted by 1 - e^(-1/24);
    # the interval stays at the freshness ceiling (100 s) until the pace passes 864 a day.
    assert (source.posts_per_day, source.interval_seconds) == (102.775, 100)
