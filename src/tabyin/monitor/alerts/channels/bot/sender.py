"""A messenger bot: Telegram's Bot API, or any compatible one (Bale: https://tapi.bale.ai), through
core's client (``tabyin.core.notify.bot``, which also keeps the token out of logs and error texts).
``samples/`` holds a real request and the API's answers (success and a refusal).
"""

from __future__ import annotations

from typing import Any

from tabyin.core.notify import bot
from tabyin.monitor.alerts.channels.base import DeliveryError, Message, Sender

MAX_TEXT = bot.MAX_TEXT


def send_message(*, base_url: str, token: str, chat_id: str, text: str) -> str:
    """Send ``text`` to ``chat_id``; the message id as a string, or ``DeliveryError``."""
    try:
        return bot.send_message(base_url=base_url, token=token, chat_id=chat_id, text=text)
    except bot.BotError as error:
        raise DeliveryError(str(error)) from None


class BotSender(Sender):
    name = "bot"

    def send(self, message: Message, target: str, **options: Any) -> str:
        return send_message(
            base_url=str(options.get("base_url") or ""),
            token=str(options.get("token") or ""),
            chat_id=target,
            text=message.text,
        )
