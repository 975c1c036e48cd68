"""Telegram's Bot API and Bale's compatible one: ``POST {base}/bot{token}/sendMessage``.

The answer is ``{"ok": true, "result": {"message_id": …}}`` or ``{"ok": false, "description":
…}``. The token is part of the URL, so errors name only the status and the API's description.
The Bot APIs take no idempotency key: a worker that dies after the API accepted a post and before
the ledger recorded it sends it again on retry (at least once, ADR 0017).
"""

from __future__ import annotations

import re
from typing import Any

from tabyin.campaigns.outbox.channels.base import DeliveryError, client

TIMEOUT = 10.0
_TOKEN = re.compile(r"/bot[^/\s]+/")


def read_answer(status: int, answer: Any) -> str:
    """The message id of an ``ok`` answer, or ``DeliveryError`` (shared with Eitaayar's shape)."""
    if not isinstance(answer, dict) or answer.get("ok") is not True:
        description = str(answer.get("description", "")) if isinstance(answer, dict) else ""
        raise DeliveryError(f"refused (HTTP {status}): {_TOKEN.sub('/bot***/', description)[:300]}")
    result = answer.get("result")
    if not isinstance(result, dict) or "message_id" not in result:
        raise DeliveryError("the answer has no message_id")
    return str(result["message_id"])


def send_message(*, base_url: str, token: str, chat_id: str, text: str, html: bool) -> str:
    if not token or not chat_id:
        raise DeliveryError("channel not configured (no token or chat)")
    import httpx

    body: dict[str, Any] = {"chat_id": chat_id, "text": text}
    if html:
        body["parse_mode"] = "HTML"
    try:
        response = client(TIMEOUT).post(f"{base_url.rstrip('/')}/bot{token}/sendMessage", json=body)
    except httpx.HTTPError as error:
        raise DeliveryError(f"API not reached: {type(error).__name__}") from None
    try:
        answer = response.json()
    except ValueError:
        raise DeliveryError(f"HTTP {response.status_code} without JSON") from None
    return read_answer(response.status_code, answer)
