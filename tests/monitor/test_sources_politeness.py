"""Polling politely: a Telegram preview page that has not changed costs a 304, not a page; a host
already serving its share of requests is not sent another; a quiet source is still polled within the
freshness ceiling. Local servers only (pytest-httpserver)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.cache import caches
from django.test import override_settings
from pytest_httpserver import HTTPServer

from tabyin.monitor import sources
from tabyin.monitor.enums import FetchOutcome
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.ingest.services import IngestSummary
from tabyin.monitor.models import FetchLog, Source
from tabyin.monitor.pipeline.types import RawPost
from tabyin.monitor.sources import services_polling

pytestmark = pytest.mark.django_db
PAGE = (Path(sources.__file__).parent / "telegram/samples/akhbarefori.html").read_bytes()
NOW = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
ETAG = '"page-48215"'
MODIFIED = "Wed, 01 May 2024 08:59:00 GMT"


@pytest.fixture(autouse=True)
def ingested(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[RawPost]]:
    caches["shared"].clear()
    received: list[RawPost] = []

    def ingest(items: Iterable[RawPost], *, batch_size: int = 1000) -> IngestSummary:
        batch = list(items)
        received.extend(batch)
        return IngestSummary(read=len(batch), new=len(batch))

    monkeypatch.setattr(services_ingest, "ingest", ingest)
    monkeypatch.setattr(services_polling._Slots, "used", {})
    yield received
    caches["shared"].clear()


def _channel(httpserver: HTTPServer) -> Source:
    return Source.objects.create(
        kind="telegram", handle="akhbarefori", url=httpserver.url_for("/s/akhbarefori"), host="t.me",
        next_poll_at=NOW,
    )  # fmt: skip


def _poll(source: Source, now: datetime = NOW) -> services_polling.PollOutcome:
    with time_machine.travel(now, tick=False):
        outcome = services_polling.poll_source(source_id=source.pk)
    source.refresh_from_db()
    return outcome


def test_an_unchanged_preview_page_is_asked_conditionally_and_not_read_again(
    httpserver: HTTPServer, ingested: list[RawPost]
) -> None:
    httpserver.expect_ordered_request("/s/akhbarefori").respond_with_data(
        PAGE, content_type="text/html", headers={"ETag": ETAG, "Last-Modified": MODIFIED}
    )
    httpserver.expect_ordered_request(
        "/s/akhbarefori", headers={"If-None-Match": ETAG, "If-Modified-Since": MODIFIED}
    ).respond_with_data("", status=304)
    source = _channel(httpserver)

    first = _poll(source)
    second = _poll(source, NOW + timedelta(minutes=2))

    httpserver.check_assertions()
    assert (first.outcome, first.items, second.outcome, second.items) == (
        FetchOutcome.OK, 5, FetchOutcome.NOT_MODIFIED, 0,
    )  # fmt: skip
    assert len(ingested) == 5  # the 304 sent nothing to ingest
    # The validators and the cursor survive the 304 for the next poll.
    assert (source.etag, source.last_modified, source.cursor) == (ETAG, MODIFIED, "48215")
    assert list(FetchLog.objects.order_by("started_at").values_list("outcome", "http_status")) == [
        (FetchOutcome.OK, 200), (FetchOutcome.NOT_MODIFIED, 304),
    ]  # fmt: skip


def test_a_host_with_all_its_slots_taken_is_not_sent_another_request(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/s/akhbarefori").respond_with_data(PAGE, content_type="text/html")
    source = _channel(httpserver)
    # One clock for the slots and the polls: the shared cache's expiry follows it.
    with time_machine.travel(NOW, tick=False):
        for _ in range(services_polling.HOST_CONCURRENCY):
            assert services_polling.host_slot_take("t.me") is True
        assert services_polling.host_slot_take("t.me") is False

        busy = _poll(source)

        assert (busy.outcome, busy.error, len(httpserver.log)) == (FetchOutcome.SKIPPED, "host busy", 0)
        assert source.next_poll_at == NOW + timedelta(seconds=5)  # offered again soon, not dropped
        assert FetchLog.objects.count() == 0

        services_polling.host_slot_release("t.me")
        done = _poll(source)

        assert (done.outcome, len(httpserver.log)) == (FetchOutcome.OK, 1)
        # The poll gave its slot back: one is still held by this test, one is free.
        assert services_polling.host_slot_take("t.me") is True
        assert services_polling.host_slot_take("t.me") is False


def test_other_hosts_are_not_held_up_by_a_busy_one() -> None:
    for _ in range(services_polling.HOST_CONCURRENCY):
        services_polling.host_slot_take("t.me")

    assert services_polling.host_slot_take("www.isna.ir") is True
    assert services_polling.host_slot_take("") is True  # a source without a host is never held


@override_settings(SCALED=True)
def test_scaled_workers_count_the_slots_in_the_shared_cache() -> None:
    for _ in range(services_polling.HOST_CONCURRENCY):
        assert services_polling.host_slot_take("t.me") is True
    assert services_polling.host_slot_take("t.me") is False
    assert caches["shared"].get("monitor:host-inflight:t.me") == services_polling.HOST_CONCURRENCY

    services_polling.host_slot_release("t.me")

    assert caches["shared"].get("monitor:host-inflight:t.me") == services_polling.HOST_CONCURRENCY - 1
    assert services_polling.host_slot_take("t.me") is True


@override_settings(TABYIN_MONITOR_FRESHNESS_SECONDS=300)
def test_a_quiet_channel_waits_at_most_the_freshness_ceiling() -> None:
    # One post a day used to mean a poll every two hours: that channel's rumor waited two hours.
    assert [services_polling.interval_for(p) for p in (0, 1, 288, 1440, 9999)] == [300, 300, 300, 60, 60]
