"""The private follow-up link's token: given to the author once, stored only as its hash."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(24)


def follow_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
