"""The outbox: a message written once, its deliveries (the ledger), our short links and the
newsletter's subscribers.

Nothing here says who clicked: a ``ShortLink`` counts clicks and keeps no address, agent or time
of a single click. A ``Subscriber`` is an address that asked for the newsletter and confirmed it.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.campaigns.enums import Channel, DeliveryState, MessageState
from tabyin.campaigns.plan.models import Campaign


class Message(models.Model):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="messages")
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    # The public address of the news page (``/news/<slug>/``).
    slug = models.SlugField(_("address name"), max_length=80, unique=True, allow_unicode=False)
    image_url = models.URLField(_("image address"), blank=True)
    channels = models.JSONField(_("channels"), default=list)
    state = models.CharField(
        _("state"), max_length=10, choices=MessageState.choices, default=MessageState.DRAFT
    )
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    # Set when the website delivery publishes the news page; the page is public from then on.
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set for a message another app approved and handed over (``registry.publish_approved``), e.g.
    # "monitor-response-12": unique, so the same answer is never put in the outbox twice.
    origin_key = models.CharField(_("origin"), max_length=100, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("campaign message")
        verbose_name_plural = _("campaign messages")
        app_label = "campaigns"
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One message to one target of one channel: the ledger row, tried until sent or given up.

    ``key`` is unique: a second release of the same message creates nothing, so nothing is sent
    twice by us; it is also what the channel sees where it takes one (the e-mail's Message-ID,
    the SMS backend's idempotency key).
    """

    message = models.ForeignKey(Message, models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    target = models.CharField(_("target"), max_length=254)
    key = models.CharField(_("idempotency key"), max_length=300, unique=True)
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    # What the channel answered: the bot's message id, the news page's address.
    external_id = models.CharField(_("answer of the channel"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Views of the post this delivery made, as its channel's public page last showed them
    # (``services_reach``); ``None`` until a count was read: unknown, not zero.
    views = models.PositiveIntegerField(_("views"), null=True, blank=True)
    views_read_at = models.DateTimeField(_("views read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        app_label = "campaigns"
        indexes: ClassVar = [
            models.Index(fields=["message", "channel", "state"], name="campaign_delivery_due")
        ]

    def __str__(self) -> str:
        return self.key


class ShortLink(models.Model):
    """``/l/<code>``: our own short link for one message on one channel (the referral code)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    message = models.ForeignKey(Message, models.CASCADE, related_name="short_links")
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    target = models.URLField(_("target address"), max_length=500)
    clicks = models.PositiveIntegerField(_("clicks"), default=0)

    class Meta:
        verbose_name = _("short link")
        verbose_name_plural = _("short links")
        app_label = "campaigns"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["message", "channel"], name="campaign_link_per_channel"),
        ]

    def __str__(self) -> str:
        return self.code


class Subscriber(models.Model):
    """An address that asked for our messages: an e-mail (newsletter, double opt-in) or a phone
    number (SMS). Sent to only once confirmed and until unsubscribed."""

    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254)
    token = models.CharField(max_length=43, unique=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        app_label = "campaigns"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["channel", "address"], name="campaign_subscriber_once"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk}"
