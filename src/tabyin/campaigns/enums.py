"""The codes of campaigns and their delivery, each with a translated label."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Segment(models.TextChoices):
    STUDENTS = "students", _("Students")
    HOUSEWIVES = "housewives", _("Housewives")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    RETIREES = "retirees", _("Retirees")
    WORKERS = "workers", _("Insured workers")


class ProvinceRole(models.TextChoices):
    TREATED = "treated", _("Campaign province")
    HELD_OUT = "held_out", _("Held out for comparison")


class MaterialKind(models.TextChoices):
    TEXT = "text", _("Text")
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video link")


class Channel(models.TextChoices):
    """Every channel the organization owns. Order: the site first (the others link to it)."""

    WEBSITE = "website", _("Website news page")
    TELEGRAM = "telegram", _("Telegram channel")
    BALE = "bale", _("Bale channel")
    EITAA = "eitaa", _("Eitaa channel")
    NEWSLETTER = "newsletter", _("E-mail newsletter")
    SMS = "sms", _("SMS")


class MessageState(models.TextChoices):
    DRAFT = "draft", _("Draft, awaiting approval")
    APPROVED = "approved", _("Approved, not sent yet")
    RELEASED = "released", _("Sent to the channels")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed for good")
