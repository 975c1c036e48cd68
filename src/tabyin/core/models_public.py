"""Notices to the public (``notify/public.py``): a person who reported, tipped, sent an idea or
registered for a meeting has no account; an app opens a *mailbox* for what they did (its own
reference, e.g. ``report-12``) and gives them the mailbox's token. A notice goes to the mailbox's
in-app inbox always, and to each outside channel the person chose and the server has configured;
``PublicDelivery`` is the ledger of each channel's attempts.

No phone number or push address is stored in clear: the mailbox keeps them sealed (to send again
later) and a keyed hash (to count and compare); the ledger keeps only the hash.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicChannel(models.TextChoices):
    INBOX = "inbox", _("In-app inbox")
    SMS = "sms", _("SMS")
    BALE = "bale", _("Bale (send to phone)")
    PUSH = "push", _("Browser push")
    # Sent by the app itself (a meeting's registration by e-mail); the ledger only records it.
    EMAIL = "email", _("E-mail (sent by the app)")


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class PublicMailbox(models.Model):
    """Where an app's notices for one public action go. The token is never stored: it is an HMAC
    of the mailbox's id and random ``salt`` under the server's pepper (outside the database)."""

    app = models.CharField(_("app"), max_length=32)
    ref = models.CharField(_("reference"), max_length=64)
    salt = models.CharField(max_length=32, editable=False)
    # Sealed (XChaCha20-Poly1305 under a key from settings) so a later notice can reach the phone;
    # ``phone_hash`` (keyed BLAKE2b) says which number without being one.
    phone_sealed = models.BinaryField(null=True, blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, default="")
    sms = models.BooleanField(_("by SMS"), default=False)
    bale = models.BooleanField(_("by Bale"), default=False)
    push_sealed = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("public mailbox")
        verbose_name_plural = _("public mailboxes")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["app", "ref"], name="core_public_mailbox_once")
        ]

    def __str__(self) -> str:
        return f"mailbox {self.pk} {self.app}"


class PublicNotice(models.Model):
    """One notice in a mailbox's inbox, once per (mailbox, key)."""

    mailbox = models.ForeignKey(PublicMailbox, models.CASCADE, related_name="notices")
    key = models.CharField(_("key"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    body = models.CharField(_("text"), max_length=500, blank=True, default="")
    url = models.CharField(_("address"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("created"), db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering: ClassVar = ["-created_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["mailbox", "key"], name="core_public_notice_once")
        ]

    def __str__(self) -> str:
        return f"public notice {self.pk}"


class PublicDelivery(models.Model):
    """The ledger: one row per notice and channel. ``target_hash`` says which phone or push address
    (a keyed hash, never the address); ``result`` is the provider's message id or a short reason."""

    notice = models.ForeignKey(PublicNotice, models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=8, choices=PublicChannel.choices)
    state = models.CharField(_("state"), max_length=8, choices=DeliveryState.choices)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    target_hash = models.CharField(max_length=64, blank=True, default="")
    result = models.CharField(_("result"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(_("created"))
    tried_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("public notice delivery")
        verbose_name_plural = _("public notice deliveries")
        ordering: ClassVar = ["id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["notice", "channel"], name="core_public_delivery_once")
        ]
        indexes: ClassVar = [models.Index(fields=["state", "channel"], name="core_public_delivery_state")]

    def __str__(self) -> str:
        return f"public delivery {self.pk} {self.channel} {self.state}"
