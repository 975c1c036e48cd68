"""core.sms: number normalisation, keyed identity hashes, the console outbox and the Kavenegar
adapter against a local server that answers as Kavenegar's API does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tabyin.core import sms
from tabyin.core.sms import console, kavenegar
from tabyin.core.sms.base import SmsError, get_backend
from tabyin.core.sms.phone import PhoneError, normalize_ir

SAME_NUMBER = [
    "09123456789",
    "+989123456789",
    "00989123456789",
    "989123456789",
    "9123456789",
    "۰۹۱۲۳۴۵۶۷۸۹",
    "٠٩١٢٣٤٥٦٧٨٩",
    "0912 345 6789",
    "0912-345-6789",
    "+98 (912) 345-67-89",
    "+98 0912 345 6789",
    "\u200e۰۹۱۲-۳۴۵-۶۷۸۹\u200f",
]


@pytest.mark.parametrize("raw", SAME_NUMBER)
def test_every_spelling_gives_one_e164_number(raw: str) -> None:
    assert normalize_ir(raw) == "+989123456789"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "no number"),
        ("0912345678", "has 9"),
        ("091234567890", "has 11"),
        ("02112345678", "starts with 09"),
        ("+12025550123", "has 11"),
        ("0912abc6789", "only digits"),
        ("+98+9123456789", "only digits"),
    ],
)
def test_what_is_not_an_iranian_mobile_is_refused_with_a_reason(raw: str, reason: str) -> None:
    with pytest.raises(PhoneError, match=reason):
        normalize_ir(raw)


def test_identity_hash_is_keyed_per_purpose_and_spelling_free(settings: Any) -> None:
    settings.TABYIN_IDENTITY_KEY = "key-one"
    first = sms.identity_hash("phone", "۰۹۱۲ ۳۴۵ ۶۷۸۹", purpose="ideas-support")
    assert first == sms.identity_hash("phone", "+989123456789", purpose="ideas-support")
    assert len(first) == 64 and "9123456789" not in first
    assert first != sms.identity_hash("phone", "+989123456789", purpose="ideas-author")
    assert sms.identity_hash("email", " Ali@Example.ORG ", purpose="x") == sms.identity_hash(
        "email", "ali@example.org", purpose="x"
    )
    settings.TABYIN_IDENTITY_KEY = "key-two"
    assert first != sms.identity_hash("phone", "+989123456789", purpose="ideas-support")
    with pytest.raises(ValueError, match="unknown identity kind"):
        sms.identity_hash("fax", "1", purpose="x")


@pytest.fixture
def outbox() -> Iterator[list[console.Sent]]:
    console.clear()
    yield console.OUTBOX
    console.clear()


def test_console_backend_records_once_per_key(outbox: list[console.Sent]) -> None:
    first = sms.send("0912-345-6789", "کد شما ۱۲۳۴", idempotency_key="otp-1")
    again = sms.send("+989123456789", "کد شما ۱۲۳۴", idempotency_key="otp-1")
    other = sms.send("09351112233", "سلام", idempotency_key="otp-2")
    assert first == again == sms.SmsResult(ok=True, to="+989123456789", message_id="console-1")
    assert other.message_id == "console-2"
    assert [(s.to, s.text) for s in outbox] == [("+989123456789", "کد شما ۱۲۳۴"), ("+989351112233", "سلام")]
    assert console.last_to("+989351112233") == outbox[1]


def test_a_bad_number_is_a_failed_result_not_an_exception(outbox: list[console.Sent]) -> None:
    result = sms.send("021-1234", "x", idempotency_key="k")
    assert result.ok is False and result.error.startswith("bad number:")
    assert outbox == []
    with pytest.raises(ValueError, match="idempotency key is required"):
        sms.send("09123456789", "x", idempotency_key="")


def test_backend_chosen_by_dotted_path(settings: Any) -> None:
    assert isinstance(get_backend(), console.ConsoleBackend)
    settings.TABYIN_SMS_BACKEND = "tabyin.core.sms.nowhere.Backend"
    with pytest.raises(SmsError, match="cannot be imported"):
        get_backend()


class FakeKavenegar:
    """Answers ``sms/send`` as Kavenegar documents it; remembers each localid (sent once)."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.requests: list[dict[str, str]] = []
        self.by_local: dict[str, int] = {}

    def __call__(self, request: Request) -> Response:
        key = request.path.split("/")[2]
        form = {k: v[0] for k, v in parse_qs(request.get_data(as_text=True)).items()}
        self.requests.append(form)
        if key != self.key:
            return _answer(403, "apikey نامعتبر است")
        if not form.get("message"):
            return _answer(413, "طول پیام خالی است")
        if form["receptor"] == "09990000000":
            return _answer(418, "اعتبار کافی نیست")
        message_id = self.by_local.setdefault(form.get("localid", ""), 8792343 + len(self.by_local))
        entry = {
            "messageid": message_id,
            "message": form["message"],
            "status": 1,
            "statustext": "در صف ارسال",
            "sender": form.get("sender", "10004346"),
            "receptor": form["receptor"],
            "date": 1356619709,
            "cost": 120,
        }
        return _answer(200, "تایید شد", [entry])


def _answer(status: int, message: str, entries: list[dict[str, Any]] | None = None) -> Response:
    body = {"return": {"status": status, "message": message}, "entries": entries}
    return Response(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


@pytest.fixture
def kave(httpserver: HTTPServer, settings: Any) -> FakeKavenegar:
    fake = FakeKavenegar("SECRET-KEY-1")
    httpserver.expect_request("/v1/SECRET-KEY-1/sms/send.json", method="POST").respond_with_handler(fake)
    httpserver.expect_request("/v1/WRONG/sms/send.json", method="POST").respond_with_handler(fake)
    settings.TABYIN_SMS_BACKEND = "tabyin.core.sms.kavenegar.KavenegarBackend"
    settings.TABYIN_SMS_API_KEY = "SECRET-KEY-1"
    settings.TABYIN_SMS_SENDER = "10004346"
    settings.TABYIN_SMS_API_BASE = httpserver.url_for("/")
    return fake


def test_kavenegar_send_accepted_once_per_key(kave: FakeKavenegar) -> None:
    first = sms.send("+98 912 345 6789", "کد: ۴۴۴۴", idempotency_key="otp-9")
    again = sms.send("09123456789", "کد: ۴۴۴۴", idempotency_key="otp-9")
    assert first == again == sms.SmsResult(ok=True, to="+989123456789", message_id="8792343")
    assert kave.requests[0] == {
        "receptor": "09123456789",
        "message": "کد: ۴۴۴۴",
        "localid": "otp-9",
        "sender": "10004346",
    }


def test_kavenegar_errors_become_results(kave: FakeKavenegar, settings: Any) -> None:
    poor = sms.send("09990000000", "x", idempotency_key="a")
    assert poor == sms.SmsResult(ok=False, to="+989990000000", error="kavenegar 418: اعتبار کافی نیست")
    settings.TABYIN_SMS_API_KEY = "WRONG"
    refused = kavenegar.KavenegarBackend().send("+989123456789", "x", idempotency_key="b")
    assert refused.error == "kavenegar 403: apikey نامعتبر است"


def test_kavenegar_unreachable_or_not_kavenegar(settings: Any, httpserver: HTTPServer) -> None:
    settings.TABYIN_SMS_API_KEY = "K"
    settings.TABYIN_SMS_API_BASE = httpserver.url_for("/")
    httpserver.expect_request("/v1/K/sms/send.json").respond_with_data("<html>proxy</html>", status=502)
    backend = kavenegar.KavenegarBackend()
    assert backend.send("+989123456789", "x", idempotency_key="c").error == (
        "HTTP 502: not a Kavenegar answer"
    )
    settings.TABYIN_SMS_API_BASE = "http://127.0.0.1:9"  # discard port: nothing listens
    result = kavenegar.KavenegarBackend().send("+989123456789", "x", idempotency_key="d")
    assert result.ok is False and result.error == "network: ConnectError" and "K" not in result.error[8:]
    settings.TABYIN_SMS_API_KEY = ""
    with pytest.raises(SmsError, match="TABYIN_SMS_API_KEY is empty"):
        kavenegar.KavenegarBackend()
