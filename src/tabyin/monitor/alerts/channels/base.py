"""The small contract every alert channel implements.

A sender takes a ``Message`` (what to say, already in the recipients' language) and a target (an
e-mail list, a URL, a chat id — whatever the channel addresses) and either returns an external id
(the bot's message id, the webhook's HTTP status, "" when the channel has none) or raises
``DeliveryError`` with a message safe to store and show (never a token or a secret). The caller
records attempts and retries; a sender tries once and does not sleep.

Adding a channel: a folder ``channels/<name>/`` with ``sender.py`` (a ``Sender`` subclass) and
``samples/`` (real payloads of the remote side), a value in ``enums.Channel``, and a line in
``alerts.services_delivery.SENDERS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# One HTTP client per process and timeout (core's, shared with its bot client).
from tabyin.core.notify.bot import shared_client as shared_client  # noqa: PLC0414 (re-exported)


class DeliveryError(Exception):
    """The channel did not take the message. The text is stored in ``Delivery.last_error``."""


@dataclass(frozen=True, slots=True)
class Message:
    subject: str
    # Plain text body (e-mail, bot); includes the link.
    text: str
    url: str
    # The machine-readable form (webhook body): JSON-able.
    payload: dict[str, Any] = field(default_factory=dict)


class Sender:
    """Base class: subclasses set ``name`` (an ``enums.Channel`` value) and implement ``send``."""

    name = ""

    def send(self, message: Message, target: str, **options: Any) -> str:
        raise NotImplementedError
