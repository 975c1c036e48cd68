"""Codes of the public-meetings feature, each with the label a person reads."""

from __future__ import annotations

from typing import Final

from django.db import models
from django.utils.translation import gettext_lazy as _

CODE_DIGITS: Final = 6
CODE_MINUTES: Final = 15  # a confirmation code expires after this
CODE_ATTEMPTS: Final = 5  # wrong codes before a registration must ask for a new one
REMINDER_HOURS: Final = 24  # confirmed people are reminded this long before the start
FORGET_AFTER_DAYS: Final = 30  # names and contacts are erased this long after a meeting


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("Draft (not public)")
    OPEN = "open", _("Open for registration")
    CLOSED = "closed", _("Registration closed")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Audience(models.TextChoices):
    PENSIONERS = "pensioners", _("Pensioners")
    EMPLOYERS = "employers", _("Employers")
    WORKERS = "workers", _("Workers")
    INSURED = "insured", _("Insured people")
    PUBLIC = "public", _("Everyone")


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Mobile phone")
    EMAIL = "email", _("E-mail")


class RegistrationState(models.TextChoices):
    PENDING = "pending", _("Waiting for the confirmation code")
    CONFIRMED = "confirmed", _("Seat confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped, with the reason given")
