"""Rotating the key that seals staff authenticator (TOTP) secrets (``TABYIN_OTP_KEY``).

Every device's secret is opened with the old key and sealed again under the new one in a single
transaction: either every row changes or none does, and the old key opens everything until the
new one has taken over. A device that already opens with the new key (a rotation that committed
and was then interrupted before the key file was replaced) is left as it is, so running the
rotation again finishes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.views.decorators.debug import sensitive_variables

from tabyin.core import otp_sealing
from tabyin.core.models import SealedTotpDevice


@dataclass(frozen=True)
class Rotated:
    resealed: int  # opened with the old key, sealed under the new one
    already: int  # already under the new key (an earlier run committed)


@sensitive_variables("old", "new", "raw")
def otp_key_rotate(*, old: str, new: str) -> Rotated:
    """Reseal every authenticator secret from ``old`` to ``new``. Raises ``OtpKeyError`` (and
    changes nothing) when a secret opens with neither key."""
    if not new or new == old:
        raise otp_sealing.OtpKeyError("the new authenticator key must be set and differ from the old one")
    resealed = already = 0
    with transaction.atomic():
        for device in SealedTotpDevice.objects.select_for_update().order_by("pk"):
            try:
                raw = otp_sealing.unseal(device.sealed_key, user_id=device.user_id, secret=old)
            except otp_sealing.OtpKeyError:
                # Raises (and rolls everything back) when the new key does not open it either.
                otp_sealing.unseal(device.sealed_key, user_id=device.user_id, secret=new)
                already += 1
                continue
            sealed = otp_sealing.seal(raw, user_id=device.user_id, secret=new)
            if otp_sealing.unseal(sealed, user_id=device.user_id, secret=new) != raw:  # pragma: no cover
                raise otp_sealing.OtpKeyError("a resealed secret did not open again")
            SealedTotpDevice.objects.filter(pk=device.pk).update(sealed_key=sealed)
            resealed += 1
    return Rotated(resealed=resealed, already=already)
