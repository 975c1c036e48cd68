"""Codes of entries, each with its translated label."""

from __future__ import annotations

from typing import Final

from django.db import models
from django.utils.translation import gettext_lazy as _

TITLE_MAX: Final = 200
BODY_MIN: Final = 30
BODY_MAX: Final = 8000
AUTHOR_NAME_MAX: Final = 120
MAX_FILES: Final = 3


class EntryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for screening")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")
    DUPLICATE = "duplicate", _("Same as another idea")
    SHORTLISTED = "shortlisted", _("With the jury")
    WINNER = "winner", _("Winner")
    IMPLEMENTING = "implementing", _("Being carried out")
    IMPLEMENTED = "implemented", _("Carried out")


# Entries the public sees (and may support): screened and not refused.
PUBLIC_STATUSES: Final = (
    EntryStatus.ACCEPTED,
    EntryStatus.SHORTLISTED,
    EntryStatus.WINNER,
    EntryStatus.IMPLEMENTING,
    EntryStatus.IMPLEMENTED,
)
