"""A handler's reply reaches the reporter's inbox (core's notices to the public, ADR 0040): told
in the same transaction as the message, content-free, and read with the token the follow-up gives."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tabyin.core.apiclients import services as client_services
from tabyin.core.models import PublicDelivery, PublicNotice, User
from tabyin.reports.cases import services as services_case
from tabyin.reports.intake import validation
from tabyin.reports.keys import services as services_keys
from tests.reports import helpers

pytestmark = [pytest.mark.django_db]


def test_a_reply_on_a_report_reaches_the_reporters_inbox_and_no_one_elses(
    tehran_security: User, settings: Any
) -> None:
    settings.TABYIN_PUBLIC_SMS = True  # configured, but the reporter gave no number: inbox only
    _client, key = client_services.client_create(actor=None, name="Mobile app", rate="600/m")
    mine, other = helpers.submit(), helpers.submit()
    unlocked = services_keys.keys_unlock(user=tehran_security, passphrase=helpers.PASSPHRASE)
    services_case.message_send(
        actor=tehran_security, unlocked=unlocked, report=mine.report, text="SECRET-CANARY رسید را بفرستید",
        files=[validation.Attachment(name="form.pdf", data=helpers.PDF)], max_files=5, max_bytes=1024 * 1024,
    )  # fmt: skip

    def follow_up(code: str) -> dict[str, Any]:
        answer = Client().post(
            "/api/v1/reports/follow-up", json.dumps({"receipt": code}), content_type="application/json",
            HTTP_X_API_KEY=key,
        )  # fmt: skip
        assert answer.status_code == 200
        return dict(json.loads(answer.content))

    token = follow_up(mine.code)["inbox_token"]
    assert token.startswith("tbi_")
    assert follow_up(mine.code)["inbox_token"] == token
    inbox = json.loads(Client().get("/api/v1/inbox/", HTTP_X_INBOX_TOKEN=token).content)
    assert [(n["title"], n["body"], n["url"], n["read"]) for n in inbox["notices"]] == [
        ("پیام تازه‌ای دربارهٔ گزارش شما هست", "گزارش خود را با کد رهگیری‌اش باز کنید تا آن را بخوانید.",
         "/reports/follow-up/", False)
    ]  # fmt: skip
    assert "CANARY" not in json.dumps(inbox)
    assert list(PublicDelivery.objects.values_list("channel", "state")) == [("inbox", "sent")]
    # The other reporter's token opens an empty inbox: notices go to one report's mailbox only.
    theirs = follow_up(other.code)["inbox_token"]
    assert json.loads(Client().get("/api/v1/inbox/", HTTP_X_INBOX_TOKEN=theirs).content)["notices"] == []
    assert PublicNotice.objects.count() == 1


def test_the_web_follow_up_page_shows_the_reporters_inbox(tehran_security: User) -> None:
    mine, other = helpers.submit(), helpers.submit()
    unlocked = services_keys.keys_unlock(user=tehran_security, passphrase=helpers.PASSPHRASE)
    services_case.message_send(
        actor=tehran_security, unlocked=unlocked, report=mine.report, text="SECRET-CANARY", files=[],
        max_files=5, max_bytes=1024 * 1024,
    )  # fmt: skip

    def page(code: str) -> str:
        client = Client()
        opened = client.post("/reports/follow-up/", {"code": code, **helpers.passed("lookup")})
        assert opened.status_code == 303
        return client.get(opened["Location"]).content.decode()

    text = page(mine.code)
    assert "پیام‌های سامانه به شما" in text
    assert "پیام تازه‌ای دربارهٔ گزارش شما هست" in text
    assert "گزارش خود را با کد رهگیری‌اش باز کنید تا آن را بخوانید." in text
    assert "<script" not in text.split("notices-title")[1].split("</section>")[0]
    theirs = page(other.code)
    assert "پیام تازه‌ای دربارهٔ گزارش شما هست" not in theirs
    assert "هنوز پیامی برای شما نیست." in theirs
