"""Keyed hashes of the identities people verify with (a phone number, an e-mail address).

Stored instead of the identity itself, so a database dump lists no numbers and cannot be joined
with another one; the key (``TABYIN_IDENTITY_KEY``, else DATA_DIR/identity_key) is never in the
database. BLAKE2b in keyed mode, as core's other keyed hashes; each use has its own ``purpose``,
so a support hash in one app does not match a submission hash in another.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from tabyin.core.sms.phone import normalize_ir

KINDS = ("phone", "email")


def canonical(kind: str, value: str) -> str:
    """The one spelling of an identity: E.164 for a phone (raises ``PhoneError``), lower-cased and
    trimmed for an e-mail address (its local part is case-insensitive at every real provider)."""
    if kind == "phone":
        return normalize_ir(value)
    if kind == "email":
        return value.strip().lower()
    raise ValueError(f"unknown identity kind {kind!r}: one of {', '.join(KINDS)}")


@sensitive_variables("value", "key")
def identity_hash(kind: str, value: str, *, purpose: str) -> str:
    key = hashlib.blake2b(settings.TABYIN_IDENTITY_KEY.encode(), digest_size=32).digest()
    message = f"{kind}:{canonical(kind, value)}".encode()
    person = purpose.encode()[:16]
    return hashlib.blake2b(message, key=key, digest_size=32, person=person).hexdigest()
