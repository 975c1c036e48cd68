"""Kavenegar's HTTP API (kavenegar.com/rest.html), the ``sms/send`` method only.

Request: ``POST {base}/v1/{API-KEY}/sms/send.json``, form-encoded ``receptor`` (the number; the
API takes 09… or 989…, we send 09…), ``message`` (UTF-8 text), ``sender`` (the line number; when
empty the account's default line) and ``localid`` (our idempotency key: the API sends a message
once per ``localid`` and answers a repeat with the first message's entry).

Response (JSON, also on errors; the HTTP status equals ``return.status``)::

    {"return": {"status": 200, "message": "تایید شد"},
     "entries": [{"messageid": 8792343, "message": "…", "status": 1, "statustext": "در صف ارسال",
                  "sender": "10004346", "receptor": "09123456789", "date": 1356619709, "cost": 120}]}

Errors carry no entries: 400 missing parameters, 401 account disabled, 403 invalid API key,
411 invalid receptor, 412 invalid sender, 413 message empty or too long, 418 credit too low,
and others; the status and Kavenegar's message go into ``SmsResult.error``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
from django.conf import settings

from tabyin.core.sms.base import SmsError, SmsResult

TIMEOUT_SECONDS = 10.0


class KavenegarBackend:
    def __init__(self) -> None:
        self.api_key: str = settings.TABYIN_SMS_API_KEY
        self.sender: str = settings.TABYIN_SMS_SENDER
        self.base: str = settings.TABYIN_SMS_API_BASE.rstrip("/")
        if not self.api_key:
            raise SmsError("TABYIN_SMS_API_KEY is empty: Kavenegar needs the account's API key")

    def _url(self) -> str:
        return f"{self.base}/v1/{quote(self.api_key, safe='')}/sms/send.json"

    def send(self, to: str, text: str, *, idempotency_key: str) -> SmsResult:
        data = {"receptor": "0" + to.removeprefix("+98"), "message": text, "localid": idempotency_key}
        if self.sender:
            data["sender"] = self.sender
        try:
            response = httpx.post(self._url(), data=data, timeout=TIMEOUT_SECONDS)
        except httpx.HTTPError as error:
            # The key is in the URL: only the error's class goes into the result, never its text.
            return SmsResult(ok=False, to=to, error=f"network: {type(error).__name__}")
        return _result(to, response)


def _result(to: str, response: httpx.Response) -> SmsResult:
    try:
        body: Any = response.json()
        status = int(body["return"]["status"])
        message = str(body["return"].get("message", ""))
    except (ValueError, KeyError, TypeError):
        return SmsResult(ok=False, to=to, error=f"HTTP {response.status_code}: not a Kavenegar answer")
    if status != 200:
        return SmsResult(ok=False, to=to, error=f"kavenegar {status}: {message}")
    entries = body.get("entries") or []
    if not entries or "messageid" not in entries[0]:
        return SmsResult(ok=False, to=to, error="kavenegar 200 without a message id")
    return SmsResult(ok=True, to=to, message_id=str(entries[0]["messageid"]))
