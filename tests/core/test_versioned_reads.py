"""``core.caching.versioned.VersionedReads``: the token of an app's cached public API reads."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.test import RequestFactory

from tabyin.core.caching.versioned import VersionedReads

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh() -> None:
    caches["shared"].delete("test:reads")


def _request(language: str = "") -> object:
    return RequestFactory().get("/api/v1/things/", HTTP_ACCEPT_LANGUAGE=language)


def test_the_token_is_the_counter_and_changes_when_it_is_bumped() -> None:
    reads = VersionedReads(key="test:reads", prefix="t", public=None)
    before = reads.token(_request())  # type: ignore[arg-type]
    assert before == "v0"
    assert reads.current(before) is True
    reads.bump()
    after = reads.token(_request())  # type: ignore[arg-type]
    assert after != before
    assert reads.current(before) is False
    assert reads.current(after) is True
    assert reads.timeout == 600


def test_clock_extra_and_language_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("time.time", lambda: 6_000_059.0)
    reads = VersionedReads(
        key="test:reads",
        prefix="t",
        public=None,
        clock_seconds=60,
        by_language=True,
        extra=lambda: "m2026-12-01",
    )
    english = reads.token(_request("en-US,en;q=0.9"))  # type: ignore[arg-type]
    persian = reads.token(_request())  # type: ignore[arg-type]
    assert (english, persian) == ("v0:100000:m2026-12-01:en", "v0:100000:m2026-12-01:fa")
    assert reads.current(english) is True
    assert reads.timeout == 120
    monkeypatch.setattr("time.time", lambda: 6_000_060.0)
    assert reads.current(english) is False


def test_only_public_operations_are_wrapped_and_language_answers_vary() -> None:
    def view(request: object) -> HttpResponse:
        return HttpResponse(b"[]", content_type="application/json")

    reads = VersionedReads(key="test:reads", prefix="t", public=frozenset({"list"}), by_language=True)
    assert reads.api_view("write", view) is view
    wrapped = reads.api_view("list", view)
    first, again = wrapped(_request("en")), wrapped(_request("en"))
    assert [r["X-Tabyin-Cache"] for r in (first, again)] == ["miss", "hit"]
    assert first["Vary"] == "Accept-Language"
    assert wrapped(_request("fa"))["X-Tabyin-Cache"] == "miss"
