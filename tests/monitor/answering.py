"""The rumor-answering world the response, tipline and public-page tests share: a rumor carried
by three channels, the answer's title and body, a local stand-in for the bot API, and the steps of
the workflow (the fixtures are in conftest.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from pytest_httpserver import HTTPServer
from werkzeug import Request
from werkzeug import Response as WResponse

from tabyin.core.models import User
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import Response, Story
from tabyin.monitor.pipeline.types import RawPost
from tabyin.monitor.responses import services as services_responses

T0 = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)  # the rumor's first post, 09:30 in Tehran
PUBLISHED = T0 + timedelta(hours=5, minutes=30)
RUMOR = (
    "فوری: سازمان تأمین اجتماعی از ماه آینده پرداخت مستمری بازنشستگان را به مدت سه ماه متوقف می‌کند "
    "و صندوق هیچ پولی برای پرداخت حقوق ندارد؛ این خبر را برای همه بفرستید"
)
ANSWER_TITLE = "مستمری بازنشستگان متوقف نمی‌شود"
ANSWER_BODY = (
    "مستمری همهٔ بازنشستگان طبق تقویم همیشگی در روز بیست‌وپنجم هر ماه واریز می‌شود. هیچ تصمیمی برای "
    "توقف پرداخت گرفته نشده و اعتبار پرداخت ماه‌های آینده تأمین شده است."
)
TOKEN = "123456:TEST-token"


def ingest_rumor(text: str = RUMOR, *, at: datetime = T0, n: int = 1) -> Story:
    """The rumor posted in three channels: at ``at``, 40 minutes and 2 hours later."""
    items = [
        RawPost("telegram:hostile_news", f"10{n}", text, at, views=5000),
        RawPost("telegram:akhbar_rooz", f"8{n}", text, at + timedelta(minutes=40), views=1200),
        RawPost("eitaa:khabar_fori", f"{n}", text, at + timedelta(hours=2), views=300),
    ]
    summary = services_ingest.ingest(items)
    return Story.objects.get(pk=summary.story_ids[("telegram:hostile_news", f"10{n}")])


class BotApi:
    """A local stand-in for the bot API: records what it is sent; refuses chats listed in ``refuse``."""

    def __init__(self, server: HTTPServer) -> None:
        self.sent: list[dict[str, Any]] = []
        self.refuse: set[str] = set()
        server.expect_request(f"/bot{TOKEN}/sendMessage", method="POST").respond_with_handler(self.handle)

    def handle(self, request: Request) -> WResponse:
        body = json.loads(request.data)
        if body["chat_id"] in self.refuse:
            payload = {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
            return WResponse(json.dumps(payload), status=400, content_type="application/json")
        self.sent.append(body)
        payload = {"ok": True, "result": {"message_id": 500 + len(self.sent)}}
        return WResponse(json.dumps(payload), content_type="application/json")


def approved(rumor: Story, analyst: User, manager: User) -> Response:
    services_responses.story_flag_rumor(actor=analyst, story=rumor)
    draft = services_responses.response_save_draft(
        actor=analyst, story=rumor, title=ANSWER_TITLE, body=ANSWER_BODY
    )
    services_responses.response_submit(actor=analyst, response=draft)
    return services_responses.response_approve(actor=manager, response=draft)


def publish(response: Response, manager: User, capture: Any) -> Response:
    # Callbacks run inside the frozen clock, so sent_at and notified_at are exact.
    with time_machine.travel(PUBLISHED, tick=False), capture(execute=True):
        return services_responses.response_publish(actor=manager, response=response)
