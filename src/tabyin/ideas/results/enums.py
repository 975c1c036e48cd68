"""Codes of the implementation tracker, each with its translated label."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrackStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    STALLED = "stalled", _("Stalled")
    DONE = "done", _("Done")


class ChannelState(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent through the owned channels")
    APPROVAL = "approval", _("Sent for a senior manager's approval in the campaigns outbox")
    SENT = "sent", _("Sent through the owned channels")
