"""/api/v1/meetings/ reads are served from the response cache (``reception.meetings.http``): a second
read is a hit, a confirmed seat or a vote shows on the next read, each language has its own copy,
and a registration's answers are never cached."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tabyin.core.models import User
from tabyin.reception.meetings import services
from tabyin.reception.meetings.models import Registration
from tests.reception.test_api_meetings import PHONE, _code, _post, key, open_meeting, outbox  # noqa: F401

pytestmark = pytest.mark.django_db


def _get(path: str, language: str = "en") -> Any:
    return Client().get(path, HTTP_ACCEPT_LANGUAGE=language)


def test_a_second_read_is_a_hit_and_a_confirmed_seat_is_seen_next(hq_analyst: User, key: str) -> None:  # noqa: F811
    meeting = open_meeting(hq_analyst, capacity=2)
    paths = ("/api/v1/meetings/", f"/api/v1/meetings/{meeting.pk}")
    first = [_get(p) for p in paths]
    again = [_get(p) for p in paths]
    assert [(r.status_code, r["X-Tabyin-Cache"]) for r in first] == [(200, "miss"), (200, "miss")]
    assert [r["X-Tabyin-Cache"] for r in again] == ["hit", "hit"]
    assert [r.content for r in again] == [r.content for r in first]
    assert json.loads(again[0].content)[0]["seats_left"] == 2

    started = _post(
        f"/api/v1/meetings/{meeting.pk}/registrations",
        {"name": "مریم احمدی", "kind": "phone", "contact": PHONE},
        key,
    )
    token = json.loads(started.content)["token"]
    _post("/api/v1/meetings/registrations/confirm", {"token": token, "code": _code(PHONE)}, key)

    after = [_get(p) for p in paths]
    assert [r["X-Tabyin-Cache"] for r in after] == ["miss", "miss"]
    assert json.loads(after[0].content)[0]["seats_left"] == 1
    assert json.loads(after[1].content)["seats_left"] == 1
    assert after[0]["ETag"] != first[0]["ETag"]


def test_a_vote_counted_with_f_is_seen_on_the_next_read(hq_analyst: User) -> None:
    meeting = open_meeting(hq_analyst)
    question = services.question_ask(meeting=meeting, text="مستمری این ماه کی واریز می‌شود؟")
    path = f"/api/v1/meetings/{meeting.pk}"
    assert json.loads(_get(path).content)["questions"][0]["votes"] == 0
    assert _get(path)["X-Tabyin-Cache"] == "hit"

    assert services.question_vote(question=question, token="a" * 32) is True
    after = _get(path)
    assert (after["X-Tabyin-Cache"], json.loads(after.content)["questions"][0]["votes"]) == ("miss", 1)


def test_each_language_has_its_own_copy(hq_analyst: User) -> None:
    open_meeting(hq_analyst)
    english = [_get("/api/v1/meetings/", "en") for _ in range(2)]
    persian = [_get("/api/v1/meetings/", "fa") for _ in range(2)]
    assert [r["X-Tabyin-Cache"] for r in english + persian] == ["miss", "hit", "miss", "hit"]
    assert [json.loads(r.content)[0]["province_name"] for r in (english[1], persian[1])] == [
        "Tehran",
        "تهران",
    ]
    assert [r["Vary"] for r in (english[0], english[1])] == ["Accept-Language", "Accept-Language"]
    assert english[1]["ETag"] != persian[1]["ETag"]


def test_a_registration_is_never_cached(hq_analyst: User, key: str) -> None:  # noqa: F811
    meeting = open_meeting(hq_analyst)
    started = _post(
        f"/api/v1/meetings/{meeting.pk}/registrations",
        {"name": "مریم احمدی", "kind": "phone", "contact": PHONE},
        key,
    )
    token = Registration.objects.get().token
    assert json.loads(started.content)["token"] == token
    answers = [_post("/api/v1/meetings/registrations/status", {"token": token}, key) for _ in range(2)]
    assert [(r.status_code, r["Cache-Control"], r.has_header("X-Tabyin-Cache")) for r in answers] == [
        (200, "no-store", False),
        (200, "no-store", False),
    ]
    assert started.has_header("X-Tabyin-Cache") is False
