"""Short messages (SMS) for every app: one interface, a console backend and Kavenegar's HTTP API.

Apps call :func:`send`; the backend is chosen by the dotted path in ``TABYIN_SMS_BACKEND``
(``docs/settings.md``). Numbers are normalised to E.164 first (:func:`phone.normalize_ir`), so
«۰۹۱۲ ۳۴۵-۶۷۸۹» and «+989123456789» reach the same person. Identities (a phone number or an
e-mail address) are stored only as keyed hashes (:func:`identity.identity_hash`).
"""

from __future__ import annotations

from tabyin.core.sms.base import SmsBackend, SmsError, SmsResult, get_backend, send
from tabyin.core.sms.identity import identity_hash
from tabyin.core.sms.phone import PhoneError, normalize_ir

__all__ = [
    "PhoneError",
    "SmsBackend",
    "SmsError",
    "SmsResult",
    "get_backend",
    "identity_hash",
    "normalize_ir",
    "send",
]
