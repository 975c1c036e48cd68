"""Short-lived secrets split between the server and the browser.

The server keeps only ciphertext (in the shared cache); the key to open it travels in an
HttpOnly, SameSite=Strict cookie and is never stored. A copy of the database or the cache alone
opens nothing, and clearing the cookie (or the entry) ends access. Used for a handler's unlocked
private key, a reporter's open case and the one-time display of a new receipt code.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse

from tabyin.reports.crypto import sodium

COOKIE_PREFIX = "tabyin_v_"


@dataclass(frozen=True)
class Slot:
    name: str
    max_age: int  # seconds


RECEIPT = Slot("receipt", 15 * 60)
REPORTER = Slot("reporter", 30 * 60)
HANDLER = Slot("handler", 8 * 3600)


def _cache_key(slot: Slot, token: bytes) -> str:
    return f"reports-vault:{slot.name}:{hashlib.sha256(token).hexdigest()}"


def _split(request: HttpRequest, slot: Slot) -> tuple[bytes, bytes] | None:
    raw = request.COOKIES.get(COOKIE_PREFIX + slot.name, "")
    try:
        value = bytes.fromhex(raw)
    except ValueError:
        return None
    if len(value) != 16 + sodium.KEY_BYTES:
        return None
    return value[:16], value[16:]


def put(response: HttpResponse, slot: Slot, secret: bytes, *, owner: str = "") -> None:
    """Keep ``secret`` for ``slot.max_age`` seconds. ``owner`` binds it (e.g. to a user id)."""
    token, key = sodium.random_bytes(16), sodium.new_key()
    caches["shared"].set(
        _cache_key(slot, token), sodium.encrypt(key, owner.encode() + b"\0" + secret), slot.max_age
    )
    response.set_cookie(
        COOKIE_PREFIX + slot.name,
        (token + key).hex(),
        max_age=slot.max_age,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Strict",
    )


def get(request: HttpRequest, slot: Slot, *, owner: str = "") -> bytes | None:
    parts = _split(request, slot)
    if parts is None:
        return None
    token, key = parts
    stored = caches["shared"].get(_cache_key(slot, token))
    if stored is None:
        return None
    try:
        plain = sodium.decrypt(key, stored)
    except sodium.DecryptError:
        return None
    found_owner, _, secret = plain.partition(b"\0")
    if found_owner != owner.encode():
        return None
    return secret


def drop(request: HttpRequest, response: HttpResponse, slot: Slot) -> None:
    parts = _split(request, slot)
    if parts is not None:
        caches["shared"].delete(_cache_key(slot, parts[0]))
    response.delete_cookie(COOKIE_PREFIX + slot.name, samesite="Strict")


def forget(request: HttpRequest, slot: Slot) -> None:
    """Remove the server half only (e.g. at log-out, when no response is at hand)."""
    parts = _split(request, slot)
    if parts is not None:
        caches["shared"].delete(_cache_key(slot, parts[0]))
