from __future__ import annotations

from typing import Final

from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_MESSAGES: Final = 5
MESSAGE_MAX_CHARS: Final = 300
TERMS_MAX: Final = 10


class AnnouncementKind(models.TextChoices):
    EXPLANATION = "explanation", _("Portal explanation")
    MONITOR_ANSWER = "answer", _("Monitor answer")
    STATEMENT = "statement", _("Standalone statement")
