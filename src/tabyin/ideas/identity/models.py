"""One-time codes that prove a person holds a phone number or an e-mail address.

Only hashes are kept: the identity as core's keyed hash, the code as a keyed hash of the code and
the row's random salt. A code lives 10 minutes and allows 5 tries.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Mobile phone")
    EMAIL = "email", _("E-mail")


class OneTimeCode(models.Model):
    purpose = models.CharField(max_length=20)  # "author" or "support": a code proves one thing
    kind = models.CharField(_("contact by"), max_length=5, choices=ContactKind.choices)
    identity_hash = models.CharField(max_length=64, db_index=True)
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    # The provider's answer, for support staff when a code never arrived.
    delivery = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        app_label = "ideas"

    def __str__(self) -> str:
        return f"code {self.pk}"
