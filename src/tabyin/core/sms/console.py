"""The default SMS backend: writes each message to the log and keeps it in an in-process outbox.

Tests and the demo read :data:`OUTBOX`; a second send with the same idempotency key is not
recorded again and returns the first message id (what a provider that honours keys does).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from tabyin.core.sms.base import SmsResult

log = logging.getLogger("tabyin.sms")


@dataclass(frozen=True)
class Sent:
    to: str
    text: str
    idempotency_key: str
    message_id: str


OUTBOX: list[Sent] = []
_LOCK = threading.Lock()


def clear() -> None:
    with _LOCK:
        OUTBOX.clear()


def last_to(number: str) -> Sent | None:
    with _LOCK:
        for item in reversed(OUTBOX):
            if item.to == number:
                return item
    return None


class ConsoleBackend:
    def send(self, to: str, text: str, *, idempotency_key: str) -> SmsResult:
        with _LOCK:
            for item in OUTBOX:
                if item.idempotency_key == idempotency_key:
                    return SmsResult(ok=True, to=to, message_id=item.message_id)
            message_id = f"console-{len(OUTBOX) + 1}"
            OUTBOX.append(Sent(to=to, text=text, idempotency_key=idempotency_key, message_id=message_id))
        # The number is masked: logs are kept longer than the codes they would otherwise reveal.
        log.info("SMS %s to %s…%s: %s", message_id, to[:6], to[-2:], text)
        return SmsResult(ok=True, to=to, message_id=message_id)
