"""Authenticator (TOTP) secrets at rest: XChaCha20-Poly1305 (libsodium, through PyNaCl) under a key
from settings (``TABYIN_OTP_KEY``, else DATA_DIR/otp_key), which is never stored in the database.

The user's id is the associated data, so a sealed secret copied onto another user's device does
not open. Sealed form: one version byte, the 24-byte random nonce, then ciphertext and tag.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.views.decorators.debug import sensitive_variables
from nacl import bindings, exceptions, utils

VERSION = b"\x01"
NONCE_BYTES = bindings.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
# BinaryField gives bytes on SQLite and memoryview on PostgreSQL; both are accepted.
Blob = bytes | memoryview


class OtpKeyError(Exception):
    """A sealed secret did not open: TABYIN_OTP_KEY (or DATA_DIR/otp_key) is not the key it was
    sealed with, or the stored bytes were changed."""


@sensitive_variables("secret")
def _key(secret: str | None = None) -> bytes:
    # Derived, not used as is: the setting is text of any length; the cipher wants 32 bytes.
    text = settings.TABYIN_OTP_KEY if secret is None else secret
    if not text:
        raise OtpKeyError("TABYIN_OTP_KEY is empty")
    return hashlib.blake2b(text.encode(), digest_size=32, person=b"tabyin-otp-key").digest()


def _aad(user_id: int) -> bytes:
    return b"tabyin-totp/user/%d" % user_id


@sensitive_variables("raw")
def seal(raw: bytes, *, user_id: int, secret: str | None = None) -> bytes:
    nonce = utils.random(NONCE_BYTES)
    box = bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(raw, _aad(user_id), nonce, _key(secret))
    return VERSION + nonce + box


def unseal(sealed: Blob, *, user_id: int, secret: str | None = None) -> bytes:
    data = bytes(sealed)
    if data[:1] != VERSION or len(data) <= 1 + NONCE_BYTES:
        raise OtpKeyError("not a sealed authenticator secret")
    nonce, box = data[1 : 1 + NONCE_BYTES], data[1 + NONCE_BYTES :]
    try:
        return bytes(
            bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(box, _aad(user_id), nonce, _key(secret))
        )
    except exceptions.CryptoError:
        raise OtpKeyError(
            "an authenticator secret does not open with TABYIN_OTP_KEY (or DATA_DIR/otp_key): "
            "this is not the key it was sealed with"
        ) from None
