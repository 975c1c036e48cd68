"""What every sender shares: the error it raises and the HTTP client it reuses.

A sender tries once and does not sleep; the caller (``outbox.services_delivery``) records the
attempt and retries with backoff. An error's text is safe to store and show: never a token.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx


class DeliveryError(Exception):
    """The channel did not take the message (stored in ``Delivery.last_error``)."""


_lock = threading.Lock()
_clients: dict[float, httpx.Client] = {}


def client(timeout: float) -> httpx.Client:
    """One HTTP client per process and timeout (building one loads the CA bundle, ~0.1 s)."""
    import httpx

    with _lock:
        found = _clients.get(timeout)
        if found is None:
            found = _clients[timeout] = httpx.Client(timeout=timeout, follow_redirects=False)
        return found
