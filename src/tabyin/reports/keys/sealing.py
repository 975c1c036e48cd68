"""Short texts staff write about a case (reasons, routing explanations), sealed to keyrings.

A sealed text is a map from keyring id to a sealed box (base64), so one reason can be readable by
the unit handling the case and by the custodians, and nobody else; only public keys are needed
to seal, so a custodian can seal a decision for the unit and a data migration can seal old rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from tabyin.reports.crypto import sodium
from tabyin.reports.models import Keyring

Sealed = dict[str, str]


def seal_for(text: str, keyrings: Iterable[Keyring | None]) -> Sealed:
    return {
        str(k.pk): sodium.b64(sodium.seal(bytes(k.public_key), text.encode()))
        for k in keyrings
        if k is not None
    }


def open_sealed(sealed: Sealed | None, keyring_id: int | None, private: bytes) -> str | None:
    """The text, if it was sealed to this keyring; None otherwise."""
    blob = (sealed or {}).get(str(keyring_id))
    if blob is None:
        return None
    try:
        return sodium.unseal(private, sodium.unb64(blob)).decode()
    except sodium.DecryptError:
        return None


def reseal(sealed: Sealed, *, keyring_id: int, private: bytes, to: Keyring) -> Sealed:
    """Add a copy for ``to`` (a transfer) from the copy the caller can open."""
    text = open_sealed(sealed, keyring_id, private)
    return sealed if text is None else {**sealed, **seal_for(text, [to])}
