"""/api/v1/clarifications/: published answers read without a key; the tipline for client apps (a
key for every write, the same limits as the web form), the status token and following a tip to its
published answer."""

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
from tabyin.core.notify import public as public_notify
from tabyin.monitor.enums import TipStatus
from tabyin.monitor.models import Story, Tip
from tests.monitor.answering import ANSWER_BODY, ANSWER_TITLE, PUBLISHED, RUMOR, T0, approved, publish

pytestmark = pytest.mark.usefixtures("answering")
DEVICE = "device-0123456789abcdef"


@pytest.fixture(autouse=True)
def empty_counters(db: Any) -> None:
    caches["shared"].clear()


@pytest.fixture
def key(org: None) -> str:
    return client_services.client_create(actor=None, name="Mobile app", rate="600/m")[1]


def _post(path: str, body: dict[str, Any], key: str | None, language: str = "en") -> Any:
    headers: dict[str, Any] = {"HTTP_X_API_KEY": key} if key else {}
    return Client().post(
        path, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE=language, **headers
    )


def _answer(rumor: Story, analyst: User, manager: User, capture: Any) -> Any:
    with override_settings(TABYIN_SITE_URL="https://tamin.example"):
        return publish(approved(rumor, analyst, manager), manager, capture)


def test_published_clarifications_are_listed_and_read_without_a_key(
    rumor: Story, hq_analyst: User, manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    assert json.loads(Client().get("/api/v1/clarifications/").content) == {
        "count": 0,
        "page": 1,
        "pages": 1,
        "results": [],
    }
    done = _answer(rumor, hq_analyst, manager, django_capture_on_commit_callbacks)
    with override_settings(TABYIN_SITE_URL="https://tamin.example"):
        listed = Client().get("/api/v1/clarifications/?page=9")
        one = Client().get(f"/api/v1/clarifications/{done.pk}")
    expected = {
        "id": done.pk,
        "title": ANSWER_TITLE,
        "body": ANSWER_BODY,
        "claim": rumor.title,
        "claim_first_seen_at": T0.isoformat(),
        "published_at": PUBLISHED.isoformat(),
        "url": f"https://tamin.example/clarifications/{done.pk}/",
    }
    assert json.loads(listed.content) == {"count": 1, "page": 1, "pages": 1, "results": [expected]}
    assert (one.status_code, json.loads(one.content)) == (200, expected)
    missing = Client().get("/api/v1/clarifications/999999", HTTP_ACCEPT_LANGUAGE="en")
    assert (missing.status_code, json.loads(missing.content)["detail"]) == (
        404,
        "There is no published clarification with this number.",
    )


def test_a_tip_needs_a_key_and_is_followed_to_its_answer(
    rumor: Story,
    hq_analyst: User,
    manager: User,
    key: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    tip = {"device": DEVICE, "text": RUMOR, "link": "https://t.me/hostile_news/101"}
    refused = _post("/api/v1/clarifications/tips", tip, None)
    assert (refused.status_code, refused["Content-Type"]) == (401, "application/problem+json; charset=utf-8")
    assert json.loads(refused.content)["type"] == "/api/v1/docs#problem-unauthorized"
    assert Tip.objects.count() == 0

    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        sent = _post("/api/v1/clarifications/tips", tip, key)
    assert (sent.status_code, sent["Cache-Control"]) == (201, "no-store")
    token = json.loads(sent.content)["token"]
    stored = Tip.objects.get()
    assert (stored.text, stored.link, stored.contact, stored.status) == (
        RUMOR,
        "https://t.me/hostile_news/101",
        "",
        TipStatus.LINKED,
    )

    status = _post("/api/v1/clarifications/tips/status", {"token": token}, key)
    assert (status.status_code, status["Cache-Control"]) == (200, "no-store")
    assert json.loads(status.content) == {
        "status": "received",
        "received_at": (T0 + timedelta(hours=3)).isoformat(),
        "clarification": None,
        "inbox_token": public_notify.mailbox_token(app="monitor", ref=f"tip-{stored.pk}"),
    }
    inbox_token = json.loads(status.content)["inbox_token"]

    done = _answer(rumor, hq_analyst, manager, django_capture_on_commit_callbacks)
    with override_settings(TABYIN_SITE_URL="https://tamin.example"):
        answered = json.loads(_post("/api/v1/clarifications/tips/status", {"token": token}, key).content)
    assert answered["status"] == "answered"
    assert (answered["clarification"]["id"], answered["clarification"]["url"]) == (
        done.pk,
        f"https://tamin.example/clarifications/{done.pk}/",
    )
    assert answered["inbox_token"] == inbox_token
    # The answer was told to the tip's mailbox, which the token opens without the status token.
    inbox = json.loads(Client().get("/api/v1/inbox/", HTTP_X_INBOX_TOKEN=inbox_token).content)
    assert [(n["title"], n["body"], n["read"]) for n in inbox["notices"]] == [
        ("به پرسش شما پاسخ داده شد", done.title, False)
    ]

    forged = _post("/api/v1/clarifications/tips/status", {"token": token[:-2] + "xx"}, key)
    assert (forged.status_code, json.loads(forged.content)["detail"]) == (
        404,
        "No tip opens with this token.",
    )


def test_bad_tips_are_422_problems_in_persian(key: str) -> None:
    bad = _post(
        "/api/v1/clarifications/tips",
        {"device": DEVICE, "text": "  ", "link": "ftp://example.com/x", "contact": "not-mail"},
        key,
        language="fa",
    )
    body = json.loads(bad.content)
    assert (bad.status_code, bad["Content-Language"]) == (422, "fa")
    assert body["title"] == "برخی از بخش‌های درخواست درست نیست"
    assert [e["loc"] for e in body["errors"]] == [["body", "text"], ["body", "link"], ["body", "contact"]]
    assert Tip.objects.count() == 0
    short = _post("/api/v1/clarifications/tips", {"device": "short", "text": "متن"}, key, language="fa")
    assert short.status_code == 422
    assert [e["loc"] for e in json.loads(short.content)["errors"]] == [["body", "payload", "device"]]


@override_settings(TABYIN_MONITOR_TIPS_PER_HOUR=2)
def test_tips_are_limited_per_device_and_hour_as_on_the_web(key: str) -> None:
    def send(device: str) -> int:
        text = f"آیا این خبر درست است؟ شمارهٔ {device}"
        return int(_post("/api/v1/clarifications/tips", {"device": device, "text": text}, key).status_code)

    assert [send(DEVICE), send(DEVICE), send(DEVICE)] == [201, 201, 429]
    assert send("another-device-0123456789") == 201
    limited = _post("/api/v1/clarifications/tips", {"device": DEVICE, "text": "متن دیگر"}, key)
    assert (json.loads(limited.content)["detail"], limited["Retry-After"]) == (
        "You have sent many items in the last hour. Please try again later.",
        "3600",
    )
