"""The editable list of bureaucratic terms, seeded from ``data/jargon.tsv`` (migration 0001)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class JargonEntry(models.Model):
    """One term with its plain alternative. Administrators edit the list in the administration;
    an entry that proves wrong is switched off (``active``), not deleted, so the audit log keeps
    what it said."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    term = models.CharField(_("term"), max_length=120, unique=True)
    plain = models.CharField(_("plain alternative"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Declared: the type checker's Django plugin does not see models of a feature package.
    objects: ClassVar[models.Manager[JargonEntry]] = models.Manager()

    class Meta:
        ordering = ("number",)
        verbose_name = _("plain-language term")
        verbose_name_plural = _("plain-language terms")

    def __str__(self) -> str:
        return f"{self.number}. {self.term} → {self.plain}"
