"""Receipt codes: made, normalized, stretched, indexed. Pure: no database.

A code is 16 random decimal digits (10^16 possibilities), shown once as four groups of four. It is
stored only through one Argon2id run (``stretch``) of the code peppered with a secret kept outside
the database, salted with the installation's salt (``ReceiptSalt``, in the database):

- the *index* (BLAKE2b of the stretched code) finds the row;
- the *verifier* and the *wrapping key* (BLAKE2b of the stretched code with the report's own salt)
  prove the code and open the reporter's copy of the content key.

So testing one guess against every row costs one Argon2id run, even for someone holding the
database, the pepper and every file of the data directory (ADR 0013).

Rows made before this scheme (``LEGACY_HMAC``) had an HMAC index; migration 0004 replaced it by an
Argon2id of that HMAC (``LEGACY_HARDENED``) and the first successful open re-indexes the row.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.views.decorators.debug import sensitive_variables

from tabyin.core.persian_text import digits_to_ascii
from tabyin.reports.crypto import sodium

DIGITS = 16
# Separators people type or paste between groups: spaces (incl. no-break and thin), dashes,
# dots, and invisible joiners and direction marks that copy-paste brings along.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212._\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+")


def generate() -> str:
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


@sensitive_variables()
def normalize(raw: str) -> str | None:
    """The code as 16 ASCII digits, or None when what was typed cannot be a code."""
    text = _SEPARATORS.sub("", digits_to_ascii(raw or ""))
    if len(text) != DIGITS or not text.isascii() or not text.isdigit():
        return None
    return text


@sensitive_variables()
def display(code: str) -> str:
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


# Report.receipt_scheme
LEGACY_HMAC = 1  # before migration 0004: HMAC index (never left in a migrated database)
LEGACY_HARDENED = 2  # migration 0004: Argon2id of that HMAC index; re-indexed when next opened
CURRENT = 3
STRETCHED_BYTES = 64


@sensitive_variables()
def stretch(code: str, pepper: str, salt: bytes, *, ops: int, mem: int) -> bytes:
    """The one Argon2id run every lookup and every guess costs."""
    secret = hmac.new(pepper.encode(), b"receipt:" + code.encode(), hashlib.sha256).digest()
    return sodium.derive(secret, salt, ops=ops, mem=mem, size=STRETCHED_BYTES)


@sensitive_variables()
def index(stretched: bytes) -> str:
    return hashlib.blake2b(stretched, digest_size=32, person=b"tabyin-rc-index").hexdigest()


@sensitive_variables()
def material(stretched: bytes, report_salt: bytes) -> tuple[bytes, bytes]:
    """(verifier, wrapping key) of one report, from the stretched code and the report's salt."""
    out = hashlib.blake2b(
        key=stretched[:64], salt=report_salt[:16], person=b"tabyin-rc-keys", digest_size=64
    ).digest()
    return out[:32], out[32:]


# --- Rows made before migration 0004 -------------------------------------------------------------


@sensitive_variables()
def legacy_hmac_index(code: str, pepper: str) -> str:
    """The old index: a plain HMAC, fast to test with the pepper in hand. Only computed, never stored."""
    return hmac.new(pepper.encode(), b"index:" + code.encode(), hashlib.sha256).hexdigest()


@sensitive_variables()
def legacy_hardened_index(hmac_index: str, salt: bytes, *, ops: int, mem: int) -> str:
    """What migration 0004 stores in place of an old HMAC index (it needs neither code nor pepper)."""
    stretched = sodium.derive(hmac_index.encode(), salt, ops=ops, mem=mem, size=32)
    return hashlib.blake2b(stretched, digest_size=32, person=b"tabyin-rc-legacy").hexdigest()


@sensitive_variables()
def legacy_derive(code: str, salt: bytes, pepper: str, *, ops: int, mem: int) -> tuple[bytes, bytes]:
    """The old (verifier, wrapping key): Argon2id of the peppered code with the report's salt."""
    secret = hmac.new(pepper.encode(), b"kdf:" + code.encode(), hashlib.sha256).digest()
    out = sodium.derive(secret, salt, ops=ops, mem=mem, size=64)
    return out[:32], out[32:]


def matches(verifier: bytes, expected: sodium.Blob) -> bool:
    return hmac.compare_digest(verifier, bytes(expected))
