"""The public tracker of an implemented idea: who carries it out, its milestones and evidence."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import OrgUnit
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.results.enums import TrackStatus


class Implementation(models.Model):
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="implementation")
    owner_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible unit")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=TrackStatus.choices, default=TrackStatus.PLANNED
    )
    summary = models.TextField(_("what will be done"))
    started_at = models.DateField(_("started"))
    finished_at = models.DateField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("implementation")
        verbose_name_plural = _("implementations")
        app_label = "ideas"

    def __str__(self) -> str:
        return str(self.entry)


class Milestone(models.Model):
    implementation = models.ForeignKey(Implementation, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(_("milestone"), max_length=200)
    due = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # What shows it was done: a public address or a short description of a document.
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        app_label = "ideas"
        ordering = ("implementation", "order")

    def __str__(self) -> str:
        return self.title
