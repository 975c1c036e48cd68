"""/api/v1/clarifications/'s public reads come from the response cache (``responses.api_cache``):
a second read is the stored copy, and what changes a published answer (a new answer, an edit, an
earlier post of its rumor joining through ingestion's raw UPDATE) shows at once. The tipline is
never cached."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client, override_settings

from tabyin.core.apiclients import services as client_services
from tabyin.core.models import User
from tabyin.monitor import api_version
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import Response, Story
from tabyin.monitor.pipeline.types import RawPost
from tabyin.monitor.responses import api_cache
from tests.monitor.answering import RUMOR, T0, approved, publish

pytestmark = [pytest.mark.usefixtures("answering"), pytest.mark.django_db]
LIST = "/api/v1/clarifications/"
DEVICE = "device-0123456789abcdef"


@pytest.fixture(autouse=True)
def empty_counters(db: Any) -> None:
    caches["shared"].clear()


@pytest.fixture
def answer(
    rumor: Story, hq_analyst: User, manager: User, django_capture_on_commit_callbacks: Any
) -> Response:
    return publish(approved(rumor, hq_analyst, manager), manager, django_capture_on_commit_callbacks)


def _get(path: str, **headers: Any) -> Any:
    with override_settings(TABYIN_SITE_URL="https://tamin.example"):
        return Client().get(path, **headers)


def test_a_second_read_is_the_cached_copy(answer: Response) -> None:
    for path in (LIST, f"{LIST}{answer.pk}"):
        first, again = _get(path), _get(path)
        assert (first.status_code, first["X-Tabyin-Cache"], again["X-Tabyin-Cache"]) == (200, "miss", "hit")
        assert again.content == first.content
        assert (again["ETag"], first["Cache-Control"]) == (first["ETag"], "public, max-age=300")
        assert _get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # A signed-in visitor's request is answered afresh (core's rule for any cookie session).
    signed_in = Client()
    signed_in.cookies["sessionid"] = "x"
    with override_settings(TABYIN_SITE_URL="https://tamin.example"):
        assert signed_in.get(LIST)["X-Tabyin-Cache"] == "bypass"


def test_an_edited_answer_and_a_new_one_show_at_once(
    answer: Response, rumor: Story, hq_analyst: User, manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    assert _get(LIST)["X-Tabyin-Cache"] == "miss"
    assert _get(LIST)["X-Tabyin-Cache"] == "hit"

    answer.title = "مستمری‌ها سر وقت پرداخت می‌شود"
    answer.save(update_fields=["title"])
    edited = _get(LIST)
    assert edited["X-Tabyin-Cache"] == "miss"
    assert [r["title"] for r in json.loads(edited.content)["results"]] == ["مستمری‌ها سر وقت پرداخت می‌شود"]
    assert json.loads(_get(f"{LIST}{answer.pk}").content)["title"] == "مستمری‌ها سر وقت پرداخت می‌شود"

    answer.delete()
    assert json.loads(_get(LIST).content)["count"] == 0


def test_an_earlier_post_joining_the_rumor_moves_its_time_at_once(answer: Response, rumor: Story) -> None:
    first = json.loads(_get(LIST).content)
    assert first["results"][0]["claim_first_seen_at"] == T0.isoformat()
    assert _get(LIST)["X-Tabyin-Cache"] == "hit"
    before = api_version.version()

    # Ingestion writes the story's figures with a raw UPDATE (no signal): it bumps the counter itself.
    earlier = T0 - timedelta(hours=2)
    with time_machine.travel(T0 + timedelta(hours=7), tick=False):
        summary = services_ingest.ingest([RawPost("telegram:late_finder", "7", RUMOR, earlier, views=10)])
    assert summary.story_ids[("telegram:late_finder", "7")] == rumor.pk
    assert api_version.version() != before
    moved = _get(LIST)
    assert moved["X-Tabyin-Cache"] == "miss"
    assert json.loads(moved.content)["results"][0]["claim_first_seen_at"] == earlier.isoformat()


def test_a_batch_that_moves_no_published_rumor_keeps_the_copy(answer: Response) -> None:
    assert _get(LIST)["X-Tabyin-Cache"] == "miss"
    with time_machine.travel(T0 + timedelta(hours=7), tick=False):
        services_ingest.ingest([RawPost("telegram:late_finder", "8", "خبری دیگر دربارهٔ هوای فردا", T0)])
    assert _get(LIST)["X-Tabyin-Cache"] == "hit"


def test_the_tipline_is_never_cached(org: None) -> None:
    view = object()
    assert api_cache.api_view("tip-submit", view) is view  # type: ignore[arg-type]
    assert api_cache.api_view("tip-status", view) is view  # type: ignore[arg-type]
    key = client_services.client_create(actor=None, name="Mobile app", rate="600/m")[1]
    tip = {"device": DEVICE, "text": RUMOR, "link": ""}
    for _ in range(2):
        sent = Client().post(
            f"{LIST}tips", json.dumps(tip), content_type="application/json", HTTP_X_API_KEY=key
        )
        assert (sent.status_code, sent["Cache-Control"], "X-Tabyin-Cache" in sent) == (201, "no-store", False)
        status = Client().post(
            f"{LIST}tips/status",
            json.dumps({"token": json.loads(sent.content)["token"]}),
            content_type="application/json",
            HTTP_X_API_KEY=key,
        )
        assert (status.status_code, status["Cache-Control"], "X-Tabyin-Cache" in status) == (
            200,
            "no-store",
            False,
        )
