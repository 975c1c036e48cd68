"""The staff authenticator (TOTP) device, with its secret encrypted at rest (ADR 0005).

django-otp's own ``TOTPDevice`` keeps the secret as 80 hex characters in clear, so a database dump
would give every staff member's second factor; the column cannot hold a ciphertext (hex validator,
length) and django-otp reads ``bin_key`` straight from it. This concrete device has the same fields
and django-otp's throttling and timestamp mixins, keeps the secret sealed (``otp_sealing``) and
takes django-otp's own code for checking a token and for the enrolment URL, so clock tolerance,
replay refusal and throttling stay exactly django-otp's. ``django_otp.devices_for_user`` finds it
as it finds every concrete ``Device`` subclass of an installed app.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from tabyin.core import otp_sealing

SECRET_BYTES = 20  # django-otp's default: 160 bits, what authenticator apps expect for SHA-1


class SealedTotpDevice(TimestampMixin, ThrottlingMixin, Device):  # type: ignore[misc]
    sealed_key = models.BinaryField(editable=False)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):  # type: ignore[misc]
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    # django-otp's own implementations; they read only the fields above, bin_key and the mixins.
    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings

    @property
    def bin_key(self) -> bytes:
        """The secret in clear, opened with TABYIN_OTP_KEY (raises ``OtpKeyError`` with another key)."""
        return otp_sealing.unseal(self.sealed_key, user_id=self.user_id)

    def set_key(self, raw: bytes) -> None:
        self.sealed_key = otp_sealing.seal(raw, user_id=self.user_id)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A new device gets a fresh random secret, sealed before it ever reaches the database.
        if not self.sealed_key:
            self.set_key(secrets.token_bytes(SECRET_BYTES))
        super().save(*args, **kwargs)
