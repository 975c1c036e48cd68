"""/api/v1/ideas/ reads are served from the response cache (``ideas.api.http``): a second read is a
hit, a new support, a flagged burst (``.update()``) and a moderator's screening show on the next
read, a phase that begins shows within the minute, and the codes and sent ideas are never cached."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from time_machine import travel

from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.support import services as support_services
from tests.ideas.helpers import verified
from tests.ideas.test_api_ideas import _post, accepted_entry, key  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("org")]


def _accepted() -> Entry:
    entry = accepted_entry("support")
    entry.refresh_from_db()  # screened with .update()
    return entry


def _get(path: str) -> Any:
    return Client().get(path, HTTP_ACCEPT_LANGUAGE="en")


def _supports(path: str) -> tuple[str, int]:
    answer = _get(path)
    return answer["X-Tabyin-Cache"], json.loads(answer.content)["supports"]


def test_a_second_read_is_a_hit_and_a_support_is_seen_next() -> None:
    entry = _accepted()
    paths = (
        "/api/v1/ideas/challenges",
        "/api/v1/ideas/challenges/queues",
        f"/api/v1/ideas/challenges/queues/entries/{entry.pk}",
    )
    first = [_get(p) for p in paths]
    again = [_get(p) for p in paths]
    assert [(r.status_code, r["X-Tabyin-Cache"]) for r in first] == [(200, "miss")] * 3
    assert [r["X-Tabyin-Cache"] for r in again] == ["hit"] * 3
    assert [r.content for r in again] == [r.content for r in first]

    support_services.support_add(entry=entry, supporter=verified("support", "09120000001"), source="s1")
    assert _supports(paths[2]) == ("miss", 1)
    assert _supports(paths[2]) == ("hit", 1)
    assert json.loads(_get(paths[1]).content)["entries"][0]["supports"] == 1


@override_settings(TABYIN_IDEAS_SUPPORT_BURST=2)
def test_a_flagged_burst_and_a_cleared_one_are_seen_next(hq_admin: Any) -> None:
    entry = _accepted()
    path = f"/api/v1/ideas/challenges/queues/entries/{entry.pk}"
    support_services.support_add(entry=entry, supporter=verified("support", "09120000001"), source="same")
    assert _supports(path) == ("miss", 1)
    assert _supports(path) == ("hit", 1)
    # The second from the same source within the window flags both (``.update()``: no signal).
    support_services.support_add(entry=entry, supporter=verified("support", "09120000002"), source="same")
    assert _supports(path) == ("miss", 0)
    assert _supports(path) == ("hit", 0)
    support_services.supports_clear(actor=hq_admin, entry=entry)
    assert _supports(path) == ("miss", 2)


def test_an_entry_taken_off_is_gone_on_the_next_read() -> None:
    entry = _accepted()
    path = f"/api/v1/ideas/challenges/queues/entries/{entry.pk}"
    assert [_get(path)["X-Tabyin-Cache"] for _ in range(2)] == ["miss", "hit"]
    entry.status = EntryStatus.REJECTED
    entry.save(update_fields=["status"])
    assert _get(path).status_code == 404


def test_a_phase_that_begins_shows_within_the_minute() -> None:
    entry = _accepted()
    closes = entry.challenge.support_closes
    path = "/api/v1/ideas/challenges/queues"
    with travel(closes - timedelta(seconds=90), tick=False):
        assert [_get(path)["X-Tabyin-Cache"] for _ in range(2)] == ["miss", "hit"]
        assert json.loads(_get(path).content)["phase"] == "support"
    with travel(closes + timedelta(seconds=60), tick=False):
        later = _get(path)
    assert (later["X-Tabyin-Cache"], json.loads(later.content)["phase"]) == ("miss", "jury")
    assert timezone.now() < closes


def test_codes_and_sent_ideas_are_never_cached(key: str) -> None:  # noqa: F811
    accepted_entry("submission")
    sent = [
        _post("/api/v1/ideas/codes", {"purpose": "author", "kind": "phone", "value": f"0912000000{i}"}, key)
        for i in (1, 2)
    ]
    assert [(r.status_code, r["Cache-Control"], r.has_header("X-Tabyin-Cache")) for r in sent] == [
        (201, "no-store", False),
        (201, "no-store", False),
    ]
