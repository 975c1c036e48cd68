"""A messenger bot client: Telegram's Bot API, or any compatible one (Bale: https://tapi.bale.ai).

``send_message`` is ``POST {base_url}/bot{token}/sendMessage`` with ``{"chat_id", "text"}`` and
reads ``{"ok": true, "result": {"message_id": …}}``. The monitor's alerts and published answers and
core's notifications both send through it. The token is part of the URL, so it must never reach a
log or an error text: errors name only the HTTP status and the API's ``description``, and a filter
on the ``httpx`` logger (which logs every request URL at INFO) masks ``/bot<token>/``.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

TIMEOUT = 10.0
# Telegram refuses longer texts ("message is too long").
MAX_TEXT = 4096
_TOKEN_IN_URL = re.compile(r"/bot[^/\s]+/")


class BotError(Exception):
    """The message was not delivered; the text is safe to keep (no token)."""


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

_lock = threading.Lock()
_clients: dict[float, httpx.Client] = {}


def shared_client(timeout: float) -> httpx.Client:
    """One HTTP client per process and timeout, redirects not followed: building a client loads
    the CA bundle (~0.1 s), too slow to do for every message."""
    import httpx

    with _lock:
        client = _clients.get(timeout)
        if client is None:
            client = _clients[timeout] = httpx.Client(timeout=timeout, follow_redirects=False)
        return client


def send_message(*, base_url: str, token: str, chat_id: str, text: str) -> str:
    """Send ``text`` to ``chat_id``; the message id as a string, or ``BotError``."""
    if not token:
        raise BotError("no bot token configured")
    if not chat_id:
        raise BotError("no chat id")
    import httpx

    url = f"{base_url.rstrip('/')}/bot{token}/sendMessage"
    try:
        response = shared_client(TIMEOUT).post(
            url,
            json={"chat_id": chat_id, "text": text[:MAX_TEXT], "disable_web_page_preview": True},
        )
    except httpx.HTTPError as error:
        # The exception's text may hold the URL, hence the token: only its type is kept.
        raise BotError(f"bot API not reached: {type(error).__name__}") from None
    try:
        answer: Any = response.json()
    except ValueError:
        raise BotError(f"bot API answered HTTP {response.status_code} without JSON") from None
    if not isinstance(answer, dict) or answer.get("ok") is not True:
        description = str(answer.get("description", "")) if isinstance(answer, dict) else ""
        description = _TOKEN_IN_URL.sub("/bot***/", description)[:300]
        raise BotError(f"bot API refused (HTTP {response.status_code}): {description}")
    result = answer.get("result")
    if not isinstance(result, dict) or "message_id" not in result:
        raise BotError("bot API answer has no message_id")
    return str(result["message_id"])
