"""Authors' contacts at rest: sealed with XChaCha20-Poly1305 (libsodium, through PyNaCl, as core's
authenticator secrets are) under a key derived from ``TABYIN_IDENTITY_KEY``, which lives in the
environment or the data directory, never in the database. A copy of the database alone gives no
phone number or address back; the running site opens them only to send a notice.

``SealedContactField`` does it in the field, so services and queries read and write plain text:
stored as ``s1:`` + base64url(nonce + ciphertext + tag). A value without the prefix is an older
plain row (before migration 0007 sealed them all) and is read as it is.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any, Final

from django.conf import settings
from django.db import models
from django.views.decorators.debug import sensitive_variables
from nacl import bindings, exceptions, utils

PREFIX: Final = "s1:"
NONCE_BYTES: Final = bindings.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
AAD: Final = b"tabyin-ideas/entry-contact"


class ContactKeyError(Exception):
    """A sealed contact did not open: ``TABYIN_IDENTITY_KEY`` is not the key it was sealed with."""


@sensitive_variables("secret")
def _key(secret: str | None = None) -> bytes:
    # Derived for this one use (the identity key also keys the contact hashes): 32 bytes.
    text = settings.TABYIN_IDENTITY_KEY if secret is None else secret
    return hashlib.blake2b(text.encode(), digest_size=32, person=b"ideas-contact").digest()


@sensitive_variables("plain")
def seal(plain: str, *, secret: str | None = None) -> str:
    nonce = utils.random(NONCE_BYTES)
    box = bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(plain.encode(), AAD, nonce, _key(secret))
    return PREFIX + base64.urlsafe_b64encode(nonce + box).decode()


def unseal(stored: str, *, secret: str | None = None) -> str:
    if not stored.startswith(PREFIX):
        return stored  # a plain row from before sealing
    data = base64.urlsafe_b64decode(stored[len(PREFIX) :])
    nonce, box = data[:NONCE_BYTES], data[NONCE_BYTES:]
    try:
        return bytes(
            bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(box, AAD, nonce, _key(secret))
        ).decode()
    except exceptions.CryptoError:
        raise ContactKeyError(
            "an author's contact does not open with TABYIN_IDENTITY_KEY: not the key it was sealed with"
        ) from None


# 254 characters of address, 24 of nonce and 16 of tag, in base64 with the prefix: under 420.
STORED_MAX: Final = 420


class SealedContactField(models.CharField):  # type: ignore[type-arg]
    """A contact sealed in the database and plain in Python."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", STORED_MAX)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: str | None, expression: object, connection: object) -> str | None:
        return None if value is None else unseal(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return seal(value) if isinstance(value, str) and value else value
