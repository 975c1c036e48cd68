"""Public support for ideas: one verified person, one support per idea.

``supporter_hash`` is core's keyed hash of the verified phone number or e-mail address (never the
identity itself); the unique constraint makes a second support impossible even from two requests
at once. ``source_hash`` is a keyed hash of the network the request came from (its /24 or /48
prefix), kept only to flag a burst of supports from one place; the address itself is not stored.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.ideas.entries.models import Entry


class Support(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="supports")
    supporter_hash = models.CharField(max_length=64)
    source_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(db_index=True)
    flagged = models.BooleanField(_("flagged for a burst from one source"), default=False)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        app_label = "ideas"
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=("entry", "supporter_hash"), name="ideas_support_once")
        ]

    def __str__(self) -> str:
        return f"support {self.pk}"
