"""Alert channels against local servers: the signed webhook, the bot API, e-mail, in the app."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation
from pytest_httpserver import HTTPServer

from tabyin.monitor.alerts import services as services_alerts
from tabyin.monitor.alerts import services_delivery
from tabyin.monitor.alerts.channels.base import DeliveryError, Message
from tabyin.monitor.alerts.channels.bot.sender import send_message
from tabyin.monitor.alerts.channels.webhook import sender as webhook
from tabyin.monitor.models import Alert, Delivery
from tests.monitor.test_alerts_helpers import rule, spread, story, watch

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SAMPLES = Path(services_alerts.__file__).parent / "channels"
TOKEN = "123456:ABC-test-token"
Capture = Callable[..., Any]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Reasons are asserted in English; messages still use the site language (Persian)."""
    with translation.override("en"):
        yield


class Receiver:
    """A webhook receiver on 127.0.0.1 that records what it was sent."""

    def __init__(self, status: int = 200) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.arrived = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests.append((dict(self.headers.items()), body))
                self.send_response(status)
                self.end_headers()
                outer.arrived.set()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tabyin-hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.server.shutdown()
    found.server.server_close()


def _alert(**fields: Any) -> Alert:
    query = watch()
    rule("reach", threshold=1, name="بازنشر", **fields)
    item = story(at=NOW)
    spread(item, [NOW], query=query)
    [alert_id] = services_alerts.alerts_evaluate(story_ids=[item.pk], now=NOW)
    return Alert.objects.select_related("rule", "story").get(pk=alert_id)


@pytest.mark.django_db
def test_webhook_is_received_with_a_signature_the_receiver_verifies(
    org: None, receiver: Receiver, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        alert = _alert(channels=["webhook"], webhook_url=receiver.url, webhook_secret="shared-secret")

    assert receiver.arrived.wait(5)
    [(headers, body)] = receiver.requests
    timestamp = headers["X-Tabyin-Timestamp"]
    expected = hmac.new(b"shared-secret", timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert headers["X-Tabyin-Signature"] == f"sha256={expected}"
    assert headers["Content-Type"] == "application/json"
    assert webhook.verify("shared-secret", timestamp, body, headers["X-Tabyin-Signature"])
    assert not webhook.verify("other-secret", timestamp, body, headers["X-Tabyin-Signature"])
    assert not webhook.verify(
        "shared-secret", timestamp, body, headers["X-Tabyin-Signature"], now=int(timestamp) + 301
    )
    payload = json.loads(body)
    assert payload == {
        "event": "alert",
        "alert_id": alert.pk,
        "created_at": "2026-03-01T12:00:00+00:00",
        "rule": {"id": alert.rule_id, "name": "بازنشر", "kind": "reach"},
        "story": {
            "id": alert.story_id,
            "title": "شایعهٔ قطع مستمری",
            "url": f"http://127.0.0.1:8000/staff/monitor/stories/{alert.story_id}/",
            "first_published_at": "2026-03-01T12:00:00+00:00",
        },
        # The site's language (Persian) says what crossed which threshold; the JSON keeps ASCII
        # digits and the machine fields beside it.
        "reason": "1 کانال در 1 دقیقه؛ آستانه 1 کانال",
        "reasons": ["1 کانال در 1 دقیقه؛ آستانه 1 کانال"],
        "figures": {"channels": 1, "threshold": 1, "minutes": 0},
        "count": 1,
        "updated_at": "2026-03-01T12:00:00+00:00",
        "trips": [
            {
                "rule_id": alert.rule_id,
                "kind": "reach",
                "at": "2026-03-01T12:00:00+00:00",
                "figures": {"channels": 1, "threshold": 1, "minutes": 0},
            }
        ],
    }
    [row] = Delivery.objects.filter(alert=alert)
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, "")


def test_the_webhook_sample_has_the_shape_we_send() -> None:
    sample = json.loads((SAMPLES / "webhook" / "samples" / "alert.json").read_text())
    assert sorted(sample) == [
        *("alert_id", "count", "created_at", "event", "figures", "reason", "reasons"),
        *("rule", "story", "trips", "updated_at"),
    ]
    headers = json.loads((SAMPLES / "webhook" / "samples" / "alert.headers.json").read_text())
    body = webhook.body_bytes(sample)
    # The sample's signature was made with the secret written beside it, over the sample body.
    assert (
        webhook.sign(headers["secret"], headers["X-Tabyin-Timestamp"], body) == headers["X-Tabyin-Signature"]
    )


def test_webhook_refusal_is_an_error_with_the_status() -> None:
    server = Receiver(status=503)
    try:
        with pytest.raises(DeliveryError, match="webhook answered HTTP 503"):
            webhook.WebhookSender().send(Message("s", "t", "u", {"a": 1}), server.url, secret="k")
    finally:
        server.server.shutdown()
        server.server.server_close()


def test_bot_send_message_against_a_local_bot_api(
    httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    answer = json.loads((SAMPLES / "bot" / "samples" / "sendMessage.response.json").read_text())
    httpserver.expect_oneshot_request(
        f"/bot{TOKEN}/sendMessage",
        method="POST",
        json={"chat_id": "-1001234567890", "text": "سلام", "disable_web_page_preview": True},
    ).respond_with_json(answer)
    caplog.set_level(logging.DEBUG)
    found = send_message(base_url=httpserver.url_for("/"), token=TOKEN, chat_id="-1001234567890", text="سلام")
    assert found == "4821"
    httpserver.check_assertions()
    ours = "\n".join(
        r.getMessage() for r in caplog.records if r.name.split(".")[0] in ("httpx", "httpcore", "tabyin")
    )
    assert "ABC-test-token" not in ours
    assert "/bot***/sendMessage" in ours  # httpx logged the request, masked


def test_bot_refusals_never_show_the_token(httpserver: HTTPServer) -> None:
    refusal = json.loads((SAMPLES / "bot" / "samples" / "sendMessage.error.json").read_text())
    httpserver.expect_oneshot_request(f"/bot{TOKEN}/sendMessage").respond_with_json(refusal, status=400)
    with pytest.raises(DeliveryError) as error:
        send_message(base_url=httpserver.url_for("/"), token=TOKEN, chat_id="1", text="x")
    assert str(error.value) == "bot API refused (HTTP 400): Bad Request: chat not found"
    with pytest.raises(DeliveryError) as error:
        send_message(base_url="http://127.0.0.1:9", token=TOKEN, chat_id="1", text="x")
    assert str(error.value) == "bot API not reached: ConnectError"
    with pytest.raises(DeliveryError, match="no bot token configured"):
        send_message(base_url="http://127.0.0.1:9", token="", chat_id="1", text="x")


@pytest.mark.django_db
def test_alert_by_bot_and_email(
    org: None, httpserver: HTTPServer, django_capture_on_commit_callbacks: Capture
) -> None:
    answer = json.loads((SAMPLES / "bot" / "samples" / "sendMessage.response.json").read_text())
    httpserver.expect_oneshot_request(f"/bot{TOKEN}/sendMessage", method="POST").respond_with_json(answer)
    base = httpserver.url_for("/").rstrip("/")
    with (
        override_settings(TABYIN_MONITOR_BOT_API_BASE=base, TABYIN_MONITOR_BOT_TOKEN=TOKEN),
        django_capture_on_commit_callbacks(execute=True),
    ):
        alert = _alert(channels=["bot", "email"], bot_chat_id="-1001234567890", emails="duty@tabyin.example")

    [(request, _response)] = httpserver.log
    sent = request.get_json()
    message = services_delivery.alert_message(alert)
    assert sent == {"chat_id": "-1001234567890", "text": message.text, "disable_web_page_preview": True}
    # The link to the story closes the message; people read Persian digits.
    assert message.text.endswith("\nدیدن خبر: " + message.url)
    assert "چرا: ۱ کانال در ۱ دقیقه؛ آستانه ۱ کانال\n" in message.text
    assert message.url == f"http://127.0.0.1:8000/staff/monitor/stories/{alert.story_id}/"
    [mail_message] = mail.outbox
    with translation.override("fa"):  # e-mails speak the site's language, whatever the caller's
        subject = translation.gettext("[Tabyin] Alert: %(title)s") % {"title": "شایعهٔ قطع مستمری"}
    assert (mail_message.subject, mail_message.body, mail_message.to) == (
        subject,
        message.text,
        ["duty@tabyin.example"],
    )
    # The reason too is in the site's language, rendered from the alert's figures, Persian digits.
    assert "چرا: ۱ کانال در ۱ دقیقه؛ آستانه ۱ کانال" in mail_message.body
    assert sorted(Delivery.objects.filter(alert=alert).values_list("channel", "status")) == [
        ("bot", "sent"),
        ("email", "sent"),
    ]
