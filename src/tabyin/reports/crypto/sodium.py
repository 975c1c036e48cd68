"""The report module's cryptography, all of it libsodium through PyNaCl. Pure: no database.

- Key pairs are X25519 (``PrivateKey``); a *sealed box* encrypts to a public key anonymously.
- A report's content, files, messages and notes share one random *content key* (XSalsa20-Poly1305
  ``SecretBox``); that key is sealed to each receiving unit's public key.
- A holder's private key is locked with a key derived from their passphrase by Argon2id.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from django.views.decorators.debug import sensitive_variables
from nacl import exceptions, utils
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.pwhash import argon2id
from nacl.secret import SecretBox

# BinaryField gives bytes on SQLite and memoryview on PostgreSQL; both are accepted.
Blob = bytes | memoryview
KEY_BYTES = SecretBox.KEY_SIZE
SALT_BYTES = argon2id.SALTBYTES


class DecryptError(Exception):
    """A key did not open a ciphertext: wrong key, wrong passphrase or tampered data."""


def keypair() -> tuple[bytes, bytes]:
    """(public, private), raw 32 bytes each."""
    private = PrivateKey.generate()
    return bytes(private.public_key), bytes(private)


def public_of(private: bytes) -> bytes:
    return bytes(PrivateKey(private).public_key)


def seal(public: Blob, data: bytes) -> bytes:
    return bytes(SealedBox(PublicKey(bytes(public))).encrypt(data))


def unseal(private: Blob, data: Blob) -> bytes:
    try:
        return bytes(SealedBox(PrivateKey(bytes(private))).decrypt(bytes(data)))
    except exceptions.CryptoError as error:
        raise DecryptError("the key does not open this sealed box") from error


def new_key() -> bytes:
    return bytes(utils.random(KEY_BYTES))


def random_bytes(size: int) -> bytes:
    return bytes(utils.random(size))


def encrypt(key: bytes, data: bytes) -> bytes:
    return bytes(SecretBox(key).encrypt(data))


def decrypt(key: Blob, data: Blob) -> bytes:
    try:
        return bytes(SecretBox(bytes(key)).decrypt(bytes(data)))
    except exceptions.CryptoError as error:
        raise DecryptError("the key does not open this ciphertext") from error


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def encrypt_json(key: bytes, value: Any) -> bytes:
    return encrypt(key, json_bytes(value))


def decrypt_json(key: Blob, data: Blob) -> Any:
    return json.loads(decrypt(key, data).decode())


@sensitive_variables()
def derive(secret: bytes, salt: bytes, *, ops: int, mem: int, size: int = KEY_BYTES) -> bytes:
    """Argon2id: slow and memory-hard on purpose (cost from the settings, stored with the result)."""
    return bytes(argon2id.kdf(size, secret, salt, opslimit=ops, memlimit=mem))


@sensitive_variables()
def lock(passphrase: str, private: bytes, *, ops: int, mem: int) -> tuple[bytes, bytes]:
    """Lock a private key with a passphrase: (salt, locked key)."""
    salt = random_bytes(SALT_BYTES)
    return salt, encrypt(derive(passphrase.encode(), salt, ops=ops, mem=mem), private)


@sensitive_variables()
def unlock(passphrase: str, salt: Blob, locked: Blob, *, ops: int, mem: int) -> bytes:
    return decrypt(derive(passphrase.encode(), bytes(salt), ops=ops, mem=mem), locked)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text.strip(), validate=True)
