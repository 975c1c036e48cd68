"""Client keys: made, hashed and compared without Django models (pure code).

A key is ``tbk_<prefix>_<secret>``: the prefix (8 hex) finds the stored row, the secret (32 random
bytes) is never stored. The stored digest is HMAC-SHA-256 of the whole key under the server's
pepper (kept outside the database), so a copy of the database alone cannot test a key; the key's
256 random bits make a slow hash unnecessary. Digests are compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Final

_KEY: Final = re.compile(r"tbk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})")
_CONTEXT: Final = b"tabyin.api-client-key"


@dataclass(frozen=True)
class NewKey:
    key: str
    prefix: str


def make() -> NewKey:
    prefix = secrets.token_hex(4)
    return NewKey(f"tbk_{prefix}_{secrets.token_urlsafe(32)}", prefix)


def prefix_of(key: str) -> str | None:
    """The prefix of a well-formed key; ``None`` for anything else."""
    found = _KEY.fullmatch(key)
    return found.group(1) if found else None


def digest(key: str, pepper: str) -> str:
    secret = hmac.new(pepper.encode(), _CONTEXT, hashlib.sha256).digest()
    return hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()


def matches(key: str, stored: str, pepper: str) -> bool:
    return hmac.compare_digest(digest(key, pepper), stored)
