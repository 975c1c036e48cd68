"""The view count of one of our own public posts, read from its channel's recorded preview page on a
local server, as other apps ask for it through core's registry (the campaigns' reach)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from pytest_httpserver import HTTPServer

from tabyin.core.registry import registry
from tabyin.monitor.models import Source
from tabyin.monitor.sources import post_views

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "tabyin" / "monitor" / "sources"
TELEGRAM = (SAMPLES / "telegram" / "samples" / "akhbarefori.html").read_bytes()
EITAA = (SAMPLES / "eitaa" / "samples" / "tamin_news.html").read_bytes()


@pytest.fixture
def pages(db: Any, httpserver: HTTPServer) -> HTTPServer:
    """The monitor follows both channels at the local server's address (as a mirror would be)."""
    caches["shared"].clear()
    Source.objects.create(kind="telegram", handle="akhbarefori", url=httpserver.url_for("/s/akhbarefori"))
    Source.objects.create(kind="eitaa", handle="tamin_news", url=httpserver.url_for("/tamin_news"))
    httpserver.expect_request("/s/akhbarefori").respond_with_data(TELEGRAM, content_type="text/html")
    httpserver.expect_request("/tamin_news").respond_with_data(EITAA, content_type="text/html")
    return httpserver


def test_the_registry_reads_views_from_the_preview_page_before_the_next_post(pages: HTTPServer) -> None:
    assert registry.views_of_post("https://t.me/akhbarefori/48212") == 987
    assert registry.views_of_post("https://t.me/akhbarefori/48213") == 1_100_000  # "1.1M" on the page
    assert registry.views_of_post("https://eitaa.com/tamin_news/9120") == 2_104_000  # exact data-count
    asked = [(r.path, r.query_string.decode()) for r, _ in pages.log]
    assert asked == [
        ("/s/akhbarefori", "before=48213"),
        ("/s/akhbarefori", "before=48214"),
        ("/tamin_news", "before=9121"),
    ]


def test_what_cannot_be_read_is_unknown_never_a_guess(pages: HTTPServer, settings: Any) -> None:
    assert registry.views_of_post("https://t.me/akhbarefori/47000") is None  # not on the page
    assert registry.views_of_post("https://ble.ir/tamin_bale/12") is None  # Bale: no reader
    assert registry.views_of_post("https://t.me/akhbarefori") is None  # not a post
    assert registry.views_of_post("https://example.org/akhbarefori/1") is None
    assert len(pages.log) == 1  # only the first one asked a page
    pages.clear()
    pages.expect_request("/s/akhbarefori").respond_with_data("down", status=502)
    assert registry.views_of_post("https://t.me/akhbarefori/48212") is None


def test_a_host_over_its_budget_is_not_asked(pages: HTTPServer, settings: Any) -> None:
    settings.TABYIN_MONITOR_HOST_REQUESTS_PER_MINUTE = 1
    assert post_views.views_of_post("https://t.me/akhbarefori/48212") == 987
    assert post_views.views_of_post("https://t.me/akhbarefori/48211") is None
    assert len(pages.log) == 1


def test_without_a_source_the_public_page_is_the_address() -> None:
    assert post_views.KINDS["t.me"][2].format(channel="tamin") == "https://t.me/s/tamin"
    assert post_views.KINDS["eitaa.com"][2].format(channel="tamin") == "https://eitaa.com/tamin"
