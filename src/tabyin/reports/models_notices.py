"""The outbox of report notifications: one row per e-mail owed to one staff member.

Written in the same transaction as the report or message it is about, so a notice cannot be lost
with a task that Redis dropped, and sent at most once per claim: the row remembers that it was
sent (ADR 0017).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    # One of ``notifications.SUBJECTS``: what the e-mail says (never anything about the report).
    event = models.CharField(max_length=16)
    report = models.ForeignKey("reports.Report", models.CASCADE, null=True, blank=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Set by the worker that is sending it; a claim older than TABYIN_TASK_LOST_AFTER_SECONDS
    # belongs to a worker that died, and the sweep hands the notice to another.
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["id"]
        verbose_name = _("handler notice")
        verbose_name_plural = _("handler notices")
        indexes: ClassVar = [
            models.Index(
                fields=["report", "event"], name="reports_notice_unsent", condition=models.Q(sent_at=None)
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.user_id} ({'sent' if self.sent_at else 'pending'})"
