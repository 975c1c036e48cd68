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

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx


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


_lock = threading.Lock()
_clients: dict[float, httpx.Client] = {}


def shared_client(timeout: float) -> httpx.Client:
    """One HTTP client per process and timeout, redirects not followed: building a client loads
    the CA bundle (~0.1 s), too slow to do for every alert."""
    import httpx

    with _lock:
        client = _clients.get(timeout)
        if client is None:
            client = _clients[timeout] = httpx.Client(timeout=timeout, follow_redirects=False)
        return client
