"""The public tracker of an implemented idea: who carries it out, its milestones and evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import OrgUnit
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.results.enums import ChannelState, TrackStatus


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
    # A document or photo that shows it (checked by content, public like the tracker itself).
    evidence_file = models.FileField(
        _("evidence file"), upload_to="ideas/evidence/", max_length=200, blank=True
    )
    evidence_type = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        app_label = "ideas"
        ordering = ("implementation", "order")

    def __str__(self) -> str:
        return self.title


class Announcement(models.Model):
    """The organizer's confirmation of the winners, shown on the results page.

    ``ranks`` keeps the computed place of each winner at the moment of confirming; when the winners
    are not the top of the computed ranking, ``deviation_reason`` says why, publicly. The message is
    queued for the owned channels (``channel_state``); once the winners are confirmed it is written as
    a draft in the campaigns outbox through ``registry.publish_draft`` (``draft_url``), and stays
    queued when no app sends messages. When the outbox sends that draft it says so through
    ``registry.draft_published`` and the announcement records when (``sent_at``).
    """

    challenge = models.OneToOneField(Challenge, on_delete=models.PROTECT, related_name="announcement")
    message = models.TextField(_("announcement"))
    # [{"entry": 12, "rank": 1}, …] in the order announced.
    ranks = models.JSONField(default=list)
    deviation_reason = models.TextField(_("why the winners differ from the ranking"), blank=True)
    channel_state = models.CharField(
        _("owned channels"), max_length=10, choices=ChannelState.choices, default=ChannelState.QUEUED
    )
    # The staff address of the outbox draft awaiting approval; empty while queued.
    draft_url = models.CharField(_("outbox draft"), max_length=200, blank=True)
    # When the outbox first sent that draft (``registry.draft_published``); ``None`` until then.
    sent_at = models.DateTimeField(_("sent through the owned channels"), null=True, blank=True)
    announced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    announced_at = models.DateTimeField()

    class Meta:
        verbose_name = _("winners' announcement")
        verbose_name_plural = _("winners' announcements")
        app_label = "ideas"

    def __str__(self) -> str:
        return f"announcement {self.pk}"
