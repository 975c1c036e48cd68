"""Eitaa through Eitaayar: ``POST {base}/{token}/sendMessage`` with form fields ``chat_id``,
``text`` and ``title``; it answers ``{"ok": true, "result": {"message_id": …}}`` like Telegram.

Eitaayar has no idempotency key either (at least once, as for the Bot APIs).
"""

from __future__ import annotations

from tabyin.campaigns.outbox.channels.base import DeliveryError, client
from tabyin.campaigns.outbox.channels.bot import read_answer

TIMEOUT = 10.0


def send_message(*, base_url: str, token: str, chat_id: str, title: str, text: str) -> str:
    if not token or not chat_id:
        raise DeliveryError("channel not configured (no token or chat)")
    import httpx

    try:
        response = client(TIMEOUT).post(
            f"{base_url.rstrip('/')}/{token}/sendMessage",
            data={"chat_id": chat_id, "text": text, "title": title},
        )
    except httpx.HTTPError as error:
        raise DeliveryError(f"API not reached: {type(error).__name__}") from None
    try:
        answer = response.json()
    except ValueError:
        raise DeliveryError(f"HTTP {response.status_code} without JSON") from None
    # Eitaayar names its token in no error text, but be as careful as with the bots.
    return read_answer(response.status_code, answer).replace(token, "***")
