"""The SMS interface: ``send(to, text, *, idempotency_key) -> SmsResult``.

A backend never raises for a refused or failed message: the result says what happened, with the
provider's message id when it was accepted and a short error otherwise, so a caller can store it
and retry with the same idempotency key (a provider that honours the key sends it once).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from tabyin.core.sms.phone import PhoneError, normalize_ir


class SmsError(Exception):
    """The SMS backend is misconfigured (a wrong dotted path, a missing key)."""


@dataclass(frozen=True)
class SmsResult:
    ok: bool
    to: str  # E.164, as sent
    message_id: str = ""  # the provider's id when accepted
    error: str = ""  # short English reason when not (logged and stored, not shown to citizens)


class SmsBackend(Protocol):
    def send(self, to: str, text: str, *, idempotency_key: str) -> SmsResult: ...


@lru_cache(maxsize=4)
def _backend(path: str) -> SmsBackend:
    try:
        factory = import_string(path)
    except ImportError as error:
        raise SmsError(f"TABYIN_SMS_BACKEND={path!r} cannot be imported: {error}") from None
    backend: SmsBackend = factory()
    return backend


def get_backend() -> SmsBackend:
    return _backend(settings.TABYIN_SMS_BACKEND)


def send(to: str, text: str, *, idempotency_key: str) -> SmsResult:
    """Normalise ``to`` and hand the message to the configured backend. A number that is not an
    Iranian mobile number gives a failed result, never an exception."""
    if not idempotency_key:
        raise ValueError("an idempotency key is required: a retried send must not reach a phone twice")
    try:
        number = normalize_ir(to)
    except PhoneError as error:
        return SmsResult(ok=False, to=to, error=f"bad number: {error}")
    return get_backend().send(number, text, idempotency_key=idempotency_key)
