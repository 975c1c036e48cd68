"""A messenger bot: Telegram's Bot API, or any compatible one (Bale: https://tapi.bale.ai).

``send_message`` is ``POST {base_url}/bot{token}/sendMessage`` with ``{"chat_id", "text"}`` and
reads ``{"ok": true, "result": {"message_id": …}}``; it is also what publishes answers to the
organization's own channels. The token is part of the URL, so it must never reach a log or an
error text: errors name only the HTTP status and the API's ``description``, and a filter on the
``httpx`` logger (which logs every request URL at INFO) masks ``/bot<token>/``.
``samples/`` holds a real request and the API's answers (success and a refusal).
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

from tabyin.monitor.alerts.channels.base import DeliveryError, Message, Sender, shared_client

TIMEOUT = 10.0
# Telegram refuses longer texts ("message is too long").
MAX_TEXT = 4096
_TOKEN_IN_URL = re.compile(r"/bot[^/\s]+/")


def _is_url(value: object) -> bool:
    # httpx is imported when a message is sent, not with this module (commands that never send
    # must not pay for it at start-up); until then no httpx.URL can exist.
    httpx = sys.modules.get("httpx")
    return isinstance(value, str) or (httpx is not None and isinstance(value, httpx.URL))


class _MaskToken(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _TOKEN_IN_URL.sub("/bot***/", str(a)) if _is_url(a) else a for a in record.args
            )
        if isinstance(record.msg, str):
            record.msg = _TOKEN_IN_URL.sub("/bot***/", record.msg)
        return True


_mask = _MaskToken()
for _name in ("httpx", "httpcore"):
    if _mask not in logging.getLogger(_name).filters:
        logging.getLogger(_name).addFilter(_mask)


def send_message(*, base_url: str, token: str, chat_id: str, text: str) -> str:
    """Send ``text`` to ``chat_id``; the message id as a string, or ``DeliveryError``."""
    if not token:
        raise DeliveryError("no bot token configured")
    if not chat_id:
        raise DeliveryError("no chat id")
    import httpx

    url = f"{base_url.rstrip('/')}/bot{token}/sendMessage"
    try:
        response = shared_client(TIMEOUT).post(
            url,
            json={"chat_id": chat_id, "text": text[:MAX_TEXT], "disable_web_page_preview": True},
        )
    except httpx.HTTPError as error:
        # The exception's text may hold the URL, hence the token: only its type is kept.
        raise DeliveryError(f"bot API not reached: {type(error).__name__}") from None
    try:
        answer: Any = response.json()
    except ValueError:
        raise DeliveryError(f"bot API answered HTTP {response.status_code} without JSON") from None
    if not isinstance(answer, dict) or answer.get("ok") is not True:
        description = str(answer.get("description", "")) if isinstance(answer, dict) else ""
        description = _TOKEN_IN_URL.sub("/bot***/", description)[:300]
        raise DeliveryError(f"bot API refused (HTTP {response.status_code}): {description}")
    result = answer.get("result")
    if not isinstance(result, dict) or "message_id" not in result:
        raise DeliveryError("bot API answer has no message_id")
    return str(result["message_id"])


class BotSender(Sender):
    name = "bot"

    def send(self, message: Message, target: str, **options: Any) -> str:
        return send_message(
            base_url=str(options.get("base_url") or ""),
            token=str(options.get("token") or ""),
            chat_id=target,
            text=message.text,
        )
