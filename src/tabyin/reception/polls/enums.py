"""Codes of comprehension polls, each with its translated label (never shown raw)."""

from __future__ import annotations

from typing import Final

from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_QUESTIONS: Final = 3
MAX_CHOICES: Final = 6
# An open answer longer than this is refused with its length and kept in the form (never cut).
OPEN_ANSWER_LIMIT: Final = 1000
CLARITY_MIN: Final = 1
CLARITY_MAX: Final = 5
# A rating of this or higher counts as "clear" for the share with its Wilson interval.
CLEAR_FROM: Final = 4


class QuestionKind(models.TextChoices):
    CHOICE = "choice", _("Multiple choice with one correct answer")
    CLARITY = "clarity", _("How clear was this (1 to 5)")
    OPEN = "open", _("Open question")


class PollState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
