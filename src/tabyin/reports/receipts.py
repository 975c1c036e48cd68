"""Receipt codes: made, normalized, indexed and hashed. Pure: no database.

A code is 16 random decimal digits (10^16 possibilities), shown once as four groups of four. It is
stored only as:

- an *index*: HMAC-SHA256 keyed with the pepper (a secret outside the database), to find the row;
- a *verifier* and a *wrapping key*: the two halves of one Argon2id derivation of the peppered
  code with a per-report salt. The verifier proves the code; the wrapping key opens the copy of
  the content key the reporter uses to read the handlers' answers.

Without the pepper a stolen database cannot even be searched for a code; with it, each guess
still costs one Argon2id run.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.views.decorators.debug import sensitive_variables

from tabyin.reports import crypto

DIGITS = 16
_TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
# Separators people type or paste between groups: spaces (incl. no-break and thin), dashes,
# dots, and invisible joiners and direction marks that copy-paste brings along.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212._\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+")


def generate() -> str:
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


@sensitive_variables()
def normalize(raw: str) -> str | None:
    """The code as 16 ASCII digits, or None when what was typed cannot be a code."""
    text = _SEPARATORS.sub("", (raw or "").translate(_TO_ASCII))
    if len(text) != DIGITS or not text.isascii() or not text.isdigit():
        return None
    return text


@sensitive_variables()
def display(code: str) -> str:
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


@sensitive_variables()
def index(code: str, pepper: str) -> str:
    return hmac.new(pepper.encode(), b"index:" + code.encode(), hashlib.sha256).hexdigest()


@sensitive_variables()
def derive(code: str, salt: bytes, pepper: str, *, ops: int, mem: int) -> tuple[bytes, bytes]:
    """(verifier, wrapping key) for a code and a report's salt."""
    secret = hmac.new(pepper.encode(), b"kdf:" + code.encode(), hashlib.sha256).digest()
    out = crypto.derive(secret, salt, ops=ops, mem=mem, size=64)
    return out[:32], out[32:]


def matches(verifier: bytes, expected: crypto.Blob) -> bool:
    return hmac.compare_digest(verifier, bytes(expected))
