"""A verified contact for client apps: what the web keeps in the session after the code check
(``views.verified``), handed to the app as a signed, time-limited proof instead (ADR 0039).

The proof names its purpose ("author" or "support") and the identity's keyed hash; an author's
proof also carries the canonical contact, which the entry keeps to tell its author of a decision.
A support's proof carries no contact at all. Nothing is stored; the server's secret signs it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from django.core import signing

from tabyin.ideas.identity.services import PURPOSES, Verified

SALT: Final = "tabyin.ideas.api-proof"
# About a sitting: long enough to read ideas and support several, short enough that a proof
# copied from a phone is soon worthless.
LIFETIME: Final = timedelta(hours=12)


def proof_for(purpose: str, verified: Verified) -> str:
    assert purpose in PURPOSES
    contact = verified.contact if purpose == "author" else ""
    data = {"p": purpose, "k": verified.kind, "c": contact, "h": verified.identity_hash}
    return signing.dumps(data, salt=SALT, compress=True)


def verified_by(proof: str, purpose: str) -> Verified | None:
    """The identity a proof was given for this purpose; None when forged, expired or for another."""
    try:
        data = signing.loads(proof, salt=SALT, max_age=LIFETIME)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict) or data.get("p") != purpose:
        return None
    return Verified(kind=str(data["k"]), contact=str(data["c"]), identity_hash=str(data["h"]))
