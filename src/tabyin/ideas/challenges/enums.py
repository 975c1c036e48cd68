"""Codes of challenges, each with its translated label (never shown raw)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChallengeKind(models.TextChoices):
    IDEA = "idea", _("Idea challenge")
    CONTEST = "contest", _("Content contest")


class Eligibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    STAFF = "staff", _("Staff of the organization")
    MEDIA = "media", _("Media creators")
    INSURED = "insured", _("Insured people only")


class Phase(models.TextChoices):
    """In date order; a challenge is in the first phase whose end has not passed."""

    UPCOMING = "upcoming", _("Not open yet")
    SUBMISSION = "submission", _("Taking submissions")
    MODERATION = "moderation", _("Screening submissions")
    SUPPORT = "support", _("Public support")
    JURY = "jury", _("Jury review")
    RESULTS = "results", _("Results announced")
    IMPLEMENTATION = "implementation", _("Carrying out the ideas")


class MediaKind(models.TextChoices):
    """What a content-contest entry is."""

    VIDEO = "video", _("Short video")
    POSTER = "poster", _("Poster")
    ARTICLE = "article", _("Article")
    PODCAST = "podcast", _("Podcast")


class FileGroup(models.TextChoices):
    """Kinds of attachment a challenge may take (each stands for types judged from the bytes)."""

    IMAGE = "image", _("Photos and posters")
    PDF = "pdf", _("PDF documents")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Short video")
