"""How a person hears about new work (``notify/services.py``): their choices, their in-app inbox, and
the ledger of every message that reached them (or did not, and why)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotifyChannel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("E-mail")
    BOT = "bot", _("Messenger bot (Telegram or Bale)")


class NotifyState(models.TextChoices):
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    HELD = "held", _("Held for later (quiet hours or daily digest)")


class NotifyPreference(models.Model):
    """A person's choices. The in-app inbox always receives everything; e-mail and the bot are
    opt-in per channel. Quiet hours are Tehran wall-clock times and may span midnight."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notify_preference", verbose_name=_("user")
    )
    email = models.BooleanField(_("by e-mail"), default=True)
    bot = models.BooleanField(_("by messenger bot"), default=False)
    bot_chat_id = models.CharField(_("bot chat id"), max_length=64, blank=True, default="")
    quiet_from = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet hours until"), null=True, blank=True)
    digest = models.BooleanField(_("one daily digest instead of a message for each item"), default=False)
    digest_hour = models.PositiveSmallIntegerField(_("digest hour (Tehran)"), default=8)
    digest_sent_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"notify preference {self.user_id}"


class InboxItem(models.Model):
    """One piece of new work told to one person, once (``app`` and ``key`` as the app's
    ``WorkItem``); the in-app inbox lists these."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="inbox_items", verbose_name=_("user")
    )
    app = models.CharField(_("app"), max_length=32)
    key = models.CharField(_("key"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("address"), max_length=300)
    created_at = models.DateTimeField(_("created"), db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        ordering: ClassVar = ["-created_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "app", "key"], name="core_inbox_item_once")
        ]

    def __str__(self) -> str:
        return f"inbox item {self.pk}"


class NotifyDelivery(models.Model):
    """The ledger: one row per item and outside channel (e-mail, bot). A held row is sent later,
    alone after quiet hours or with others in the daily digest (``digest_of`` then names the row
    of the message that carried it)."""

    item = models.ForeignKey(InboxItem, models.CASCADE, related_name="deliveries", verbose_name=_("item"))
    channel = models.CharField(_("channel"), max_length=16, choices=NotifyChannel.choices)
    state = models.CharField(_("state"), max_length=16, choices=NotifyState.choices)
    target = models.CharField(_("sent to"), max_length=254, blank=True, default="")
    detail = models.CharField(_("detail"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")
        ordering: ClassVar = ["-created_at", "-id"]
        indexes: ClassVar = [models.Index(fields=["state", "channel"])]

    def __str__(self) -> str:
        return f"delivery {self.pk} {self.channel} {self.state}"
