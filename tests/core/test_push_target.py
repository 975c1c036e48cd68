"""The guard on browser push endpoints (core.notify.push_target): the server POSTs to the endpoint a
browser gives, so only public https push services are taken (API and web page) and reached (at send
time every resolved address must be public). socket.getaddrinfo is patched: no network."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
from django.test import Client

from tabyin.core.models import PublicDelivery, PublicMailbox
from tabyin.core.notify import channels, public, push_target

KEYS = {"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u", "auth": "tBHItJI5svbpez7K"}
INSIDE = "push host refused: it resolves to a private or reserved address"


@pytest.mark.parametrize(
    ("endpoint", "reason"),
    [
        ("https://fcm.googleapis.com/fcm/send/abc:def", None),
        ("https://updates.push.services.mozilla.com/wpush/v2/gAAA", None),
        ("https://web.push.apple.com:443/QGx", None),
        ("https://push.example.org./x", None),
        ("http://fcm.googleapis.com/fcm/send/abc", "not https"),
        ("ftp://push.example.org/x", "not https"),
        ("https://user:pw@push.example.org/x", "user name or password in the address"),
        ("https://push.example.org@10.0.0.1/x", "user name or password in the address"),
        ("https://push.example.org:8443/x", "port other than 443"),
        ("https://push.example.org:99999/x", "not https"),
        ("https://10.0.0.5/x", "an IP address, not a host name"),
        ("https://93.184.215.14/x", "an IP address, not a host name"),
        ("https://[::1]/x", "an IP address, not a host name"),
        ("https://[::ffff:127.0.0.1]:443/x", "an IP address, not a host name"),
        ("https://localhost/x", "a local host name"),
        ("https://LOCALHOST./x", "a local host name"),
        ("https://api.localhost/x", "a local host name"),
        ("https://printer.local/x", "a local host name"),
        ("https://metadata.google.internal/x", "a local host name"),
        ("https://intranet/x", "a local host name"),
        ("https://2130706433/x", "a local host name"),  # 127.0.0.1 as one number
        ("https://127.1/x", "a local host name"),  # 127.0.0.1 shortened
        ("https://0x7f.0.0.1/x", "a local host name"),
        ("https://پوش.ایران/x", "a local host name"),  # not in its xn-- form
        ("https:///x", "not https"),  # no host: not an https address
    ],
)
def test_the_boundary_takes_only_public_https_names(endpoint: str, reason: str | None) -> None:
    assert push_target.endpoint_refusal(endpoint) == reason


def _resolving_to(monkeypatch: pytest.MonkeyPatch, *addresses: str) -> list[str]:
    asked: list[str] = []

    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        asked.append(f"{host}:{port}")
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, 1, 6, "", (a, port)) for a in addresses]

    monkeypatch.setattr(push_target.socket, "getaddrinfo", resolve)
    return asked


@pytest.mark.parametrize(
    ("addresses", "reason"),
    [
        (("93.184.215.14",), None),
        (("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"), None),
        (("10.1.2.3",), INSIDE),
        (("127.0.0.1",), INSIDE),
        (("93.184.215.14", "192.168.1.1"), INSIDE),
        (("169.254.169.254",), INSIDE),
        (("100.64.0.1",), INSIDE),
        (("224.0.0.1",), INSIDE),
        (("240.0.0.1",), INSIDE),
        (("0.0.0.0",), INSIDE),  # noqa: S104 (an address resolved, nothing bound)
        (("::1",), INSIDE),
        (("::ffff:127.0.0.1",), INSIDE),
        (("fe80::1%eth0",), INSIDE),
        (("fd00::1",), INSIDE),
        ((), "push host not resolved"),
    ],
)
def test_at_send_time_every_resolved_address_must_be_public(
    monkeypatch: pytest.MonkeyPatch, addresses: tuple[str, ...], reason: str | None
) -> None:
    asked = _resolving_to(monkeypatch, *addresses)
    assert push_target.address_refusal("https://push.example.org/x") == reason
    assert asked == ["push.example.org:443"]


def test_send_time_rechecks_the_boundary_without_resolving(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _resolving_to(monkeypatch, "93.184.215.14")
    refused = push_target.address_refusal("http://127.0.0.1:8000/x")
    assert (refused, asked) == ("push endpoint refused: not https", [])


def _put(token: str, endpoint: str, language: str = "fa") -> Any:
    return Client().put(
        "/api/v1/inbox/push",
        json.dumps({"endpoint": endpoint, "keys": KEYS}),
        content_type="application/json",
        HTTP_X_INBOX_TOKEN=token,
        HTTP_ACCEPT_LANGUAGE=language,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("endpoint", "reason", "english", "persian"),
    [
        (
            "http://push.example.org/x",
            "not https",
            "The push endpoint must be an https address.",
            "نشانی سرویس اعلان باید با https باشد.",
        ),
        (
            "https://10.0.0.5/x",
            "an IP address, not a host name",
            "The push endpoint must name its host, not an IP address.",
            "نشانی سرویس اعلان باید نام میزبان داشته باشد، نه نشانی IP.",
        ),
        (
            "https://localhost/x",
            "a local host name",
            "The push endpoint's host must be a public name, not localhost or a local network name.",
            "میزبان نشانی سرویس اعلان باید نامی عمومی باشد، نه localhost یا نامی در شبکهٔ محلی.",
        ),
    ],
)
def test_the_api_refuses_an_endpoint_with_a_problem(
    endpoint: str, reason: str, english: str, persian: str
) -> None:
    token = public.mailbox_token(app="ideas", ref="idea-9")
    answer = _put(token, endpoint, "en")
    assert answer.status_code == 422
    assert answer["Content-Type"] == "application/problem+json; charset=utf-8"
    assert json.loads(answer.content) == {
        "type": "/api/v1/docs#problem-validation",
        "title": "Some fields of the request are not valid",
        "status": 422,
        "detail": english,
        "instance": "/api/v1/inbox/push",
        "errors": [{"loc": ["body", "endpoint"], "msg": reason, "type": "push_endpoint"}],
    }
    assert json.loads(_put(token, endpoint).content)["detail"] == persian
    assert PublicMailbox.objects.get(ref="idea-9").push_sealed is None


@pytest.mark.django_db
def test_the_api_takes_a_public_https_push_service(settings: Any) -> None:
    settings.TABYIN_VAPID_PRIVATE_KEY, settings.TABYIN_VAPID_PUBLIC_KEY = "private", "BPublic"
    token = public.mailbox_token(app="ideas", ref="idea-9")
    answer = _put(token, "https://fcm.googleapis.com/fcm/send/abc:def")
    assert answer.status_code == 200
    assert json.loads(answer.content)["chosen"] == ["push"]


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["10.0.0.5", "127.0.0.1"])
def test_a_name_resolving_inside_is_not_reached_and_fails_at_once(
    settings: Any, monkeypatch: pytest.MonkeyPatch, address: str
) -> None:
    settings.TABYIN_VAPID_PRIVATE_KEY, settings.TABYIN_VAPID_PUBLIC_KEY = "private", "BPublic"
    token = public.mailbox_token(app="ideas", ref="idea-9")
    assert _put(token, "https://push.attacker.example/x").status_code == 200  # a public-looking name
    _resolving_to(monkeypatch, address)
    posted: list[Any] = []
    pywebpush = pytest.importorskip("pywebpush")
    monkeypatch.setattr(pywebpush, "webpush", lambda **kwargs: posted.append(kwargs))
    notice = public.tell_public(app="ideas", ref="idea-9", key="accepted", title="پذیرفته شد")
    assert notice is not None
    assert public.deliver(notice_id=notice.pk) == 0
    row = PublicDelivery.objects.get(channel="push")
    assert (row.state, row.attempts, row.result) == ("failed", 1, INSIDE)  # no retry can mend it
    assert posted == []
    ledger = json.dumps(list(PublicDelivery.objects.values()), default=str)
    assert address not in ledger and "attacker" not in ledger


def test_send_push_refuses_before_importing_the_sender(monkeypatch: pytest.MonkeyPatch) -> None:
    _resolving_to(monkeypatch, "127.0.0.1")
    subscription = {"endpoint": "https://push.example.org/x", "keys": KEYS}
    sent = channels.send_push(subscription, "b", title="t", url="/")
    assert sent == channels.Sent(False, INSIDE, True)


@pytest.mark.django_db
def test_the_web_page_route_refuses_an_http_endpoint_with_a_problem(settings: Any) -> None:
    from tests.core.test_public_notices_web import _page, _tip_client

    settings.TABYIN_VAPID_PRIVATE_KEY, settings.TABYIN_VAPID_PUBLIC_KEY = "private", "BPublic"
    client, tip_id = _tip_client()
    csrf, grant = _page(client)
    subscription = {"endpoint": "http://push.example.org/x", "keys": KEYS}
    body = {"csrfmiddlewaretoken": csrf, "grant": grant, "subscription": json.dumps(subscription)}
    answer = client.post("/notices/push/", body, HTTP_ACCEPT_LANGUAGE="en")
    assert (answer.status_code, answer["Cache-Control"]) == (422, "no-store")
    assert json.loads(answer.content) == {
        "done": False,
        "type": "/api/v1/docs#problem-validation",
        "title": "Some fields of the request are not valid",
        "status": 422,
        "detail": "The push endpoint must be an https address.",
        "instance": "/notices/push/",
        "errors": [{"loc": ["body", "endpoint"], "msg": "not https", "type": "push_endpoint"}],
    }
    assert PublicMailbox.objects.get(app="monitor", ref=f"tip-{tip_id}").push_sealed is None
    localhost = {**subscription, "endpoint": "https://localhost/x"}
    persian = client.post("/notices/push/", {**body, "subscription": json.dumps(localhost)})
    assert json.loads(persian.content)["detail"] == (
        "میزبان نشانی سرویس اعلان باید نامی عمومی باشد، نه localhost یا نامی در شبکهٔ محلی."
    )
