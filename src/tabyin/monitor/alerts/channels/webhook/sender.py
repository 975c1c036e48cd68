"""A signed webhook: POST the alert as JSON to the rule's address.

Headers::

    Content-Type: application/json
    X-Tabyin-Timestamp: 1764172800
    X-Tabyin-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the rule's secret>
    X-Tabyin-Delivery: tabyin-delivery-42

How a receiver verifies (see ``verify``; any language does the same):

1. Read the raw body bytes *before* parsing JSON (re-serialising changes the bytes).
2. Compute HMAC-SHA256 with the shared secret over ``timestamp + "." + body`` and compare its hex
   form with the header after ``sha256=`` in constant time.
3. Refuse a timestamp more than five minutes from your clock: a captured request cannot be replayed
   later.
4. Drop a request whose ``X-Tabyin-Delivery`` you have already processed: delivery is at least
   once (a retry after a timeout, or after our worker died between your answer and recording it,
   sends the same delivery again with the same key; ADR 0017).

The timeout is short (``TIMEOUT`` seconds): a slow receiver is retried later rather than holding
a worker. Redirects are not followed (the signature is for the configured address only).
``samples/alert.json`` is a body exactly as sent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from tabyin.monitor.alerts.channels.base import DeliveryError, Message, Sender, shared_client

TIMEOUT = 5.0
TOLERANCE_SECONDS = 300
SIGNATURE_HEADER = "X-Tabyin-Signature"
TIMESTAMP_HEADER = "X-Tabyin-Timestamp"
DELIVERY_HEADER = "X-Tabyin-Delivery"


def body_bytes(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The header value: ``sha256=`` and the hex HMAC of ``<timestamp>.<body>``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, now: float | None = None) -> bool:
    """What a receiver does: right signature, and a timestamp within five minutes of its clock."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    clock = time.time() if now is None else now
    if abs(clock - sent) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


class WebhookSender(Sender):
    name = "webhook"

    def send(self, message: Message, target: str, **options: Any) -> str:
        import httpx  # here, not at start-up: most commands never send a webhook

        secret = str(options.get("secret") or "")
        if not target or not secret:
            raise DeliveryError("webhook address or secret missing")
        body = body_bytes(message.payload)
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Tabyin-alerts/1",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(secret, timestamp, body),
        }
        key = str(options.get("idempotency_key") or "")
        if key:
            headers[DELIVERY_HEADER] = key
        try:
            response = shared_client(TIMEOUT).post(target, content=body, headers=headers)
        except httpx.HTTPError as error:
            raise DeliveryError(f"webhook not reached: {type(error).__name__}") from error
        if not 200 <= response.status_code < 300:
            raise DeliveryError(f"webhook answered HTTP {response.status_code}")
        return str(response.status_code)
