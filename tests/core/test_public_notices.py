"""Notices to the public (core.notify.public, ADR 0040): the mailbox token, the inbox API, and the
ledger of SMS (console backend), Bale's Safir (a local HTTP server speaking its API) and browser
push (pywebpush to a local push service), with retries and nothing stored in clear."""

from __future__ import annotations

import base64
import json
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tabyin.core.models import PublicDelivery, PublicMailbox, PublicNotice, User
from tabyin.core.notify import public
from tabyin.core.sms import console
from tests.conftest import verified_client

pytestmark = [pytest.mark.django_db]
PHONE = "۰۹۱۲ ۳۴۵ ۶۷۸۹"  # as typed on a Persian keyboard


class _Server:
    """A local HTTP server that records each request and answers with ``status`` and ``answer``."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.status = 200
        self.answer: dict[str, Any] = {"message_id": "safir-1"}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                raw = json.dumps(outer.answer).encode()
                self.send_response(outer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def server() -> Iterator[_Server]:
    found = _Server()
    yield found
    found.httpd.shutdown()


def inbox(token: str, language: str = "fa") -> Any:
    return Client().get("/api/v1/inbox/", HTTP_X_INBOX_TOKEN=token, HTTP_ACCEPT_LANGUAGE=language)


def put(path: str, token: str, body: dict[str, Any]) -> Any:
    return Client().put(
        f"/api/v1/inbox/{path}", json.dumps(body), content_type="application/json", HTTP_X_INBOX_TOKEN=token
    )


def test_with_no_channel_configured_a_notice_reaches_the_inbox_only(settings: Any) -> None:
    settings.TABYIN_PUBLIC_SMS = False
    token = public.mailbox_token(app="reports", ref="report-7")
    assert token == public.mailbox_token(app="reports", ref="report-7")  # the same every time
    assert put("contact", token, {"phone": PHONE, "sms": True, "bale": True}).status_code == 200
    notice = public.tell_public(app="reports", ref="report-7", key="message-1", title="پیام تازه", url="/x/")
    assert notice is not None
    assert public.tell_public(app="reports", ref="report-7", key="message-1", title="پیام تازه") is None
    rows = list(PublicDelivery.objects.values_list("channel", "state", "attempts"))
    assert rows == [("inbox", "sent", 1)]
    answer = inbox(token)
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store"
    body = json.loads(answer.content)
    assert [(n["title"], n["url"], n["read"]) for n in body["notices"]] == [("پیام تازه", "/x/", False)]
    assert (body["unread"], body["channels"], body["chosen"], body["push_key"]) == (1, [], [], "")
    read = json.loads(Client().post("/api/v1/inbox/read", HTTP_X_INBOX_TOKEN=token).content)
    assert read["unread"] == 0


def test_a_token_opens_its_own_mailbox_and_no_other() -> None:
    mine = public.mailbox_token(app="reports", ref="report-1")
    public.mailbox_token(app="reports", ref="report-2")
    public.tell_public(app="reports", ref="report-2", key="k", title="someone else's")
    assert json.loads(inbox(mine).content)["notices"] == []
    box_id = mine.split("_")[1]
    other = PublicMailbox.objects.get(ref="report-2").pk
    forged = mine.replace(f"tbi_{box_id}_", f"tbi_{other}_")
    for token in (forged, "tbi_1_" + "A" * 43, "nonsense"):
        answer = inbox(token, "en")
        assert answer.status_code == 401
        assert json.loads(answer.content)["detail"] == "This inbox token opens no inbox."
    assert Client().get("/api/v1/inbox/").status_code == 422  # no token at all


def test_sms_is_sent_once_and_the_ledger_keeps_no_number(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TABYIN_SITE_URL = "http://127.0.0.1:8000"
    settings.TABYIN_PUBLIC_SMS = True
    console.clear()
    token = public.mailbox_token(app="meetings", ref="registration-3")
    put("contact", token, {"phone": PHONE, "sms": True})
    with django_capture_on_commit_callbacks(execute=True):
        public.tell_public(
            app="meetings", ref="registration-3", key="reminder", title="یادآوری نشست", url="/m/"
        )
    assert [(m.to, m.text) for m in console.OUTBOX] == [
        ("+989123456789", "یادآوری نشست\nhttp://127.0.0.1:8000/m/")
    ]
    row = PublicDelivery.objects.get(channel="sms")
    assert (row.state, row.attempts, row.result) == ("sent", 1, "console-1")
    assert row.target_hash == PublicMailbox.objects.get().phone_hash and len(row.target_hash) == 64
    sealed = PublicMailbox.objects.get().phone_sealed
    assert sealed is not None
    stored = json.dumps(list(PublicMailbox.objects.values("phone_hash", "ref"))) + str(bytes(sealed))
    assert "9123456789" not in stored
    assert public.retry_due(now=timezone.now() + timedelta(hours=1)) == 0  # nothing left to send
    assert len(console.OUTBOX) == 1


def test_bale_safir_is_spoken_to_and_a_refusal_is_retried_then_failed(settings: Any, server: _Server) -> None:
    settings.TABYIN_BALE_SAFIR_API_BASE = server.base
    settings.TABYIN_BALE_SAFIR_KEY = "safir-key"
    settings.TABYIN_BALE_SAFIR_BOT_ID = 4242
    token = public.mailbox_token(app="tipline", ref="tip-9")
    put("contact", token, {"phone": "+98 912 345 6789", "bale": True})
    notice = public.tell_public(app="tipline", ref="tip-9", key="status", title="وضعیت خبر شما تغییر کرد")
    assert notice is not None
    assert public.deliver(notice_id=notice.pk) == 1
    path, headers, body = server.requests[0]
    assert (path, headers["api-access-key"]) == ("/api/v3/send_message", "safir-key")
    row = PublicDelivery.objects.get(channel="bale")
    assert json.loads(body) == {
        "request_id": f"tabyin-public-{row.pk}",
        "bot_id": 4242,
        "phone_number": "989123456789",
        "message_data": {"message": {"text": "وضعیت خبر شما تغییر کرد"}},
    }
    assert (row.state, row.attempts, row.result) == ("sent", 1, "safir-1")

    server.status, server.answer = 400, {"message": "invalid phone"}
    second = public.tell_public(app="tipline", ref="tip-9", key="status-2", title="دوباره")
    assert second is not None
    now = timezone.now()
    assert public.deliver(notice_id=second.pk, now=now) == 0
    failing = PublicDelivery.objects.get(notice=second, channel="bale")
    assert (failing.state, failing.attempts, failing.result) == (
        "queued",
        1,
        "Safir refused (HTTP 400) invalid phone",
    )
    assert public.retry_due(now=now + timedelta(minutes=4)) == 0  # not yet: back-off
    assert PublicDelivery.objects.get(pk=failing.pk).attempts == 1
    later = now
    for _attempt in range(4):
        later += timedelta(hours=2)
        public.retry_due(now=later)
    failing.refresh_from_db()
    assert (failing.state, failing.attempts) == ("failed", public.MAX_ATTEMPTS)
    # The same request id on every retry: Safir sends a repeated one once.
    ids = {json.loads(b)["request_id"] for p, h, b in server.requests[1:]}
    assert ids == {f"tabyin-public-{failing.pk}"}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _subscription() -> dict[str, Any]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"p256dh": _b64(point), "auth": _b64(b"0123456789abcdef")}


def _reach_through(monkeypatch: pytest.MonkeyPatch, server: _Server) -> None:
    """The push service "push.example.org" is the local HTTP server: the name resolves to a public
    address for the send-time check, and pywebpush's requests go to the local server instead (no
    internet; the rule that refuses private addresses stays on)."""
    import pywebpush
    import requests
    from requests.adapters import HTTPAdapter

    from tabyin.core.notify import push_target

    real = socket.getaddrinfo

    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        if host != "push.example.org":  # the local server's own connection
            return real(host, port, *args, **kwargs)
        return [(2, 1, 6, "", ("93.184.215.14", port))]

    class ToLocal(HTTPAdapter):
        def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            request.url = request.url.replace("https://push.example.org", server.base)
            return super().send(request, *args, **kwargs)

    session = requests.Session()
    session.mount("https://push.example.org/", ToLocal())
    monkeypatch.setattr(push_target.socket, "getaddrinfo", resolve)  # the module's is socket's
    monkeypatch.setattr(pywebpush, "requests", session)


def test_browser_push_goes_encrypted_and_signed_to_the_push_service(
    settings: Any, server: _Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pywebpush")
    from py_vapid import Vapid01
    from py_vapid.utils import b64urlencode

    vapid = Vapid01()
    vapid.generate_keys()
    raw_private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    settings.TABYIN_VAPID_PRIVATE_KEY = b64urlencode(raw_private)
    settings.TABYIN_VAPID_PUBLIC_KEY = "BPublic"
    settings.TABYIN_VAPID_SUBJECT = "mailto:pr@example.org"
    server.status, server.answer = 201, {}
    _reach_through(monkeypatch, server)
    token = public.mailbox_token(app="ideas", ref="idea-5")
    endpoint = "https://push.example.org/push/abc"
    answer = put("push", token, {"endpoint": endpoint, "keys": _subscription()})
    assert json.loads(answer.content)["chosen"] == ["push"]
    notice = public.tell_public(app="ideas", ref="idea-5", key="accepted", title="ایده پذیرفته شد", body="…")
    assert notice is not None
    assert public.deliver(notice_id=notice.pk) == 1
    path, headers, body = server.requests[0]
    assert path == "/push/abc"
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["authorization"].startswith("vapid t=")
    assert "ایده".encode() not in body  # encrypted for the browser only
    row = PublicDelivery.objects.get(channel="push")
    assert (row.state, row.result) == ("sent", "HTTP 201")
    assert endpoint not in json.dumps(list(PublicDelivery.objects.values()), default=str)

    server.status = 410  # the browser unsubscribed: the service says gone
    gone = public.tell_public(app="ideas", ref="idea-5", key="winner", title="برنده")
    assert gone is not None
    public.deliver(notice_id=gone.pk)
    assert PublicMailbox.objects.get().push_sealed is None
    # Final: never retried (a retry would only find no subscription).
    failed = PublicDelivery.objects.get(notice=gone, channel="push")
    assert (failed.state, failed.attempts, failed.result) == ("failed", 1, "push service refused (HTTP 410)")
    assert PublicNotice.objects.count() == 2


def test_a_push_endpoint_that_now_resolves_to_a_private_address_is_forgotten(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pywebpush")
    from tabyin.core.notify import push_target

    settings.TABYIN_VAPID_PUBLIC_KEY, settings.TABYIN_VAPID_PRIVATE_KEY = "BPublic", "private"
    token = public.mailbox_token(app="ideas", ref="idea-6")
    put("push", token, {"endpoint": "https://push.example.org/push/abc", "keys": _subscription()})
    assert PublicMailbox.objects.get().push_sealed is not None

    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        return [(2, 1, 6, "", ("10.0.0.7", port))]

    monkeypatch.setattr(push_target.socket, "getaddrinfo", resolve)
    notice = public.tell_public(app="ideas", ref="idea-6", key="accepted", title="ایده پذیرفته شد")
    assert notice is not None
    public.deliver(notice_id=notice.pk)
    row = PublicDelivery.objects.get(channel="push")
    assert (row.state, row.attempts) == ("failed", 1)
    assert PublicMailbox.objects.get().push_sealed is None


def test_the_ledger_in_the_admin_is_for_national_administrators_only(
    hq_admin: User, tehran_admin: User, settings: Any
) -> None:
    settings.TABYIN_PUBLIC_SMS = True
    token = public.mailbox_token(app="meetings", ref="registration-8")
    put("contact", token, {"phone": PHONE, "sms": True})
    public.tell_public(app="meetings", ref="registration-8", key="code", title="کد تأیید")
    national = verified_client(hq_admin).get("/en/staff/admin/core/publicdelivery/")
    provincial = verified_client(tehran_admin).get("/en/staff/admin/core/publicdelivery/")
    page = national.content.decode()
    assert national.status_code == 200 and "meetings registration-8" in page
    assert "9123456789" not in page
    assert provincial.status_code == 403
