"""A challenge: the problem put to the public, its rules, phases (by date), rubric and prizes.

The phase is never stored: it follows from the dates (``phase_at``), so a page, a service and a
test asked at the same moment agree, and nobody has to remember to move a challenge on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.ideas.challenges.enums import ChallengeKind, Eligibility, Phase


class Challenge(models.Model):
    slug = models.SlugField(_("address name"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ChallengeKind.choices, default=ChallengeKind.IDEA
    )
    problem = models.TextField(_("problem statement"))
    rules = models.TextField(_("rules"))
    eligibility = models.CharField(
        _("who may take part"), max_length=10, choices=Eligibility.choices, default=Eligibility.PUBLIC
    )
    # Supports count only from people the organization's registry of insured people confirms.
    insured_only = models.BooleanField(_("support by insured people only"), default=False)
    # Jurors see neither the author's name nor province when the rules say so.
    blind_review = models.BooleanField(_("blind review"), default=True)
    # Jurors also compare entries two at a time; a Bradley-Terry ranking is shown beside the scores.
    pairwise = models.BooleanField(_("pairwise comparison"), default=False)
    categories = models.JSONField(_("categories"), default=list, blank=True)
    # Content contests: which kinds of entry (MediaKind codes) the contest takes.
    media_kinds = models.JSONField(_("kinds of entry"), default=list, blank=True)
    # [{"key": "impact", "label": "…", "weight": 0.4, "max": 10}, …]: weights sum to 1.
    rubric = models.JSONField(_("rubric"), default=list)
    # FileGroup codes the entries may attach; empty means every kind ``entries`` accepts.
    file_groups = models.JSONField(_("kinds of file"), default=list, blank=True)
    prizes = models.TextField(_("prizes"), blank=True)
    submission_opens = models.DateTimeField(_("submissions open"))
    submission_closes = models.DateTimeField(_("submissions close"))
    moderation_closes = models.DateTimeField(_("screening ends"))
    support_closes = models.DateTimeField(_("public support ends"))
    jury_closes = models.DateTimeField(_("jury review ends"))
    results_at = models.DateTimeField(_("results announced"))
    # When the organizer expects the chosen ideas to be carried out by (shown, never a phase end).
    implementation_until = models.DateTimeField(_("carried out by"), null=True, blank=True)
    # A challenge the organizer is still writing: only staff see it until they publish it.
    is_draft = models.BooleanField(_("draft"), default=False)
    is_sample = models.BooleanField(_("sample data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        app_label = "ideas"
        ordering = ("-submission_opens", "-pk")
        constraints: ClassVar[list[Any]] = [
            models.CheckConstraint(
                condition=models.Q(submission_opens__lt=models.F("submission_closes"))
                & models.Q(submission_closes__lte=models.F("moderation_closes"))
                & models.Q(moderation_closes__lte=models.F("support_closes"))
                & models.Q(support_closes__lte=models.F("jury_closes"))
                & models.Q(jury_closes__lte=models.F("results_at")),
                name="ideas_challenge_phases_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def phase_at(self, now: datetime) -> Phase:
        ends = (
            (self.submission_opens, Phase.UPCOMING),
            (self.submission_closes, Phase.SUBMISSION),
            (self.moderation_closes, Phase.MODERATION),
            (self.support_closes, Phase.SUPPORT),
            (self.jury_closes, Phase.JURY),
            (self.results_at, Phase.RESULTS),
        )
        for end, phase in ends:
            if now < end:
                # Between the jury's end and the announcement the results are being checked.
                return Phase.JURY if phase == Phase.RESULTS else phase
        return Phase.IMPLEMENTATION if self.kind == ChallengeKind.IDEA else Phase.RESULTS

    def criteria(self) -> list[dict[str, Any]]:
        return list(self.rubric)
