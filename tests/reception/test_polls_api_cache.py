"""GET /api/v1/polls/{id} is served from the response cache (``reception.polls.http``): a second
read is a hit with the same body and ETag, a 304 answers a matching If-None-Match, closing or
opening a poll shows on the next read, and answers and 404s are never stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tabyin.core.models import User
from tabyin.reception.polls import http, services
from tabyin.reception.polls.enums import PollState
from tests.reception.polls_helpers import make_poll
from tests.reception.test_polls_api import DEVICE, _post, key  # noqa: F401

pytestmark = pytest.mark.django_db


def _get(path: str, **headers: str) -> Any:
    return Client().get(path, **headers)


def test_a_second_read_is_a_hit_and_a_matching_etag_is_a_304(hq_analyst: User) -> None:
    poll = make_poll(hq_analyst)
    path = f"/api/v1/polls/{poll.pk}"
    first, again = _get(path), _get(path)
    assert [(r.status_code, r["X-Tabyin-Cache"]) for r in (first, again)] == [(200, "miss"), (200, "hit")]
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]
    assert "public" in first["Cache-Control"]
    assert _get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_closing_the_poll_shows_on_the_next_read(hq_analyst: User) -> None:
    poll = make_poll(hq_analyst)
    path = f"/api/v1/polls/{poll.pk}"
    before = _get(path)
    assert json.loads(before.content)["state"] == "open"
    services.poll_set_state(actor=hq_analyst, poll=poll, state=PollState.CLOSED)
    after = _get(path)
    assert (after["X-Tabyin-Cache"], json.loads(after.content)["state"]) == ("miss", "closed")
    assert after["ETag"] != before["ETag"]
    assert _get(path, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_a_draft_read_is_not_stored_and_opening_it_shows_at_once(hq_analyst: User) -> None:
    poll = make_poll(hq_analyst, state=PollState.DRAFT)
    path = f"/api/v1/polls/{poll.pk}"
    assert [_get(path).status_code for _ in range(2)] == [404, 404]
    services.poll_set_state(actor=hq_analyst, poll=poll, state=PollState.OPEN)
    opened = _get(path)
    assert (opened.status_code, opened["X-Tabyin-Cache"]) == (200, "miss")


def test_an_answer_is_never_cached(hq_analyst: User, key: str) -> None:  # noqa: F811
    poll = make_poll(hq_analyst)
    url = f"/api/v1/polls/{poll.pk}/answers"
    body = {"device": DEVICE, "answers": {"q1": "0", "q2": "4", "q3": "روشن بود"}, "province": "IR-23"}
    answers = [_post(url, body, key) for _ in range(2)]
    assert [(r.status_code, r.has_header("X-Tabyin-Cache")) for r in answers] == [(201, False), (409, False)]


def test_only_the_read_is_wrapped() -> None:
    def view(request: object) -> object:
        return request

    assert http.api_view("poll", view) is not view  # type: ignore[arg-type]
    assert http.api_view("answer", view) is view  # type: ignore[arg-type]
