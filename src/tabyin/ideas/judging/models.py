"""The jury stage: jurors' profiles, declared conflicts, assignments and scores.

The arithmetic (assignment, severity normalisation, agreement, ranking) lives in the pure package
``tabyin.ideas.jury``; these rows are its inputs and are published with the results.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import OrgUnit
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries.models import Entry


class JurorSeat(models.Model):
    """A staff member on one challenge's jury, with the province and unit conflicts follow from."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # A number for the published inputs: jurors are named «داور ۳» there, never by name.
    number = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        app_label = "ideas"
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=("challenge", "user"), name="ideas_juror_once"),
            models.UniqueConstraint(fields=("challenge", "number"), name="ideas_juror_number"),
        ]

    def __str__(self) -> str:
        return f"juror {self.number}"


class Conflict(models.Model):
    """An entry a juror declared they must not judge (they know the author, they worked on it…)."""

    seat = models.ForeignKey(JurorSeat, on_delete=models.CASCADE, related_name="conflicts")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    declared_at = models.DateTimeField()

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        app_label = "ideas"
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=("seat", "entry"), name="ideas_conflict_once")
        ]

    def __str__(self) -> str:
        return f"conflict {self.pk}"


class Assignment(models.Model):
    seat = models.ForeignKey(JurorSeat, on_delete=models.CASCADE, related_name="assignments")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    # Set once when the juror sends their scores; other jurors' scores stay hidden until then.
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("jury assignment")
        verbose_name_plural = _("jury assignments")
        app_label = "ideas"
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=("seat", "entry"), name="ideas_assignment_once")
        ]

    def __str__(self) -> str:
        return f"assignment {self.pk}"


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(_("criterion"), max_length=40)
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("jury score")
        verbose_name_plural = _("jury scores")
        app_label = "ideas"
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=("assignment", "criterion"), name="ideas_score_once")
        ]

    def __str__(self) -> str:
        return f"score {self.pk}"


class Feedback(models.Model):
    """A juror's words to the author of one entry they review (one per review).

    The author reads it only once the organizer releases it, and then without the juror's name or
    number (``Entry.jury_feedback`` holds the released copies the follow-up page shows)."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="feedback")
    text = models.TextField(_("feedback to the author"), max_length=2000)
    written_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("jury feedback to the author")
        verbose_name_plural = _("jury feedback to authors")
        app_label = "ideas"

    def __str__(self) -> str:
        return f"feedback {self.pk}"


class Comparison(models.Model):
    """A juror preferred ``winner`` to ``loser`` (challenges with pairwise comparison only).

    ``pair`` is the two entry ids, smaller first, so one juror judges each pair once whichever
    way round it was shown."""

    seat = models.ForeignKey(JurorSeat, on_delete=models.CASCADE, related_name="comparisons")
    winner = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    loser = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    pair = models.CharField(max_length=40)
    compared_at = models.DateTimeField()

    class Meta:
        verbose_name = _("pairwise comparison")
        verbose_name_plural = _("pairwise comparisons")
        app_label = "ideas"
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=("seat", "pair"), name="ideas_comparison_once")
        ]

    def __str__(self) -> str:
        return f"comparison {self.pk}"


def pair_key(a: int, b: int) -> str:
    return f"{min(a, b)}-{max(a, b)}"
