"""Public meetings: a province's director meets pensioners, employers or workers face to face.

A ``Registration`` holds a person's name and one contact (a mobile number in E.164 or an e-mail
address) only as long as the meeting needs them: they are erased ``FORGET_AFTER_DAYS`` after it.
Uniqueness per meeting is checked on a keyed hash of the contact, so «۰۹۱۲…» and «+98912…» are one
person. Votes on questions keep only the random token of a signed browser cookie, as polls do.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import OrgUnit
from tabyin.reception.meetings.enums import (
    Audience,
    CommitmentStatus,
    ContactKind,
    MeetingState,
    RegistrationState,
)


class Meeting(models.Model):
    title = models.CharField(_("title"), max_length=200)
    province = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    host = models.CharField(
        _("host"), max_length=200, help_text=_("Who meets people, e.g. the province's director.")
    )
    place = models.CharField(_("place"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("seats"))
    topics = models.TextField(_("topics"))
    state = models.CharField(
        _("state"), max_length=10, choices=MeetingState.choices, default=MeetingState.DRAFT
    )
    attendance = models.PositiveIntegerField(_("people who came"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("public meeting")
        verbose_name_plural = _("public meetings")
        app_label = "reception"
        ordering = ("starts_at", "pk")
        indexes: ClassVar = [models.Index(fields=("state", "starts_at"))]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    # The person's handle: the address of their registration page (no account).
    token = models.CharField(max_length=43, unique=True)
    name = models.CharField(_("name"), max_length=120, blank=True)
    contact_kind = models.CharField(_("contact by"), max_length=5, choices=ContactKind.choices)
    contact = models.CharField(_("contact"), max_length=254, blank=True)
    contact_hash = models.CharField(max_length=64)
    state = models.CharField(
        _("state"), max_length=10, choices=RegistrationState.choices, default=RegistrationState.PENDING
    )
    code_hash = models.CharField(max_length=64, blank=True)
    code_sent_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    forgotten_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("meeting registration")
        verbose_name_plural = _("meeting registrations")
        app_label = "reception"
        ordering = ("created_at", "pk")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("meeting", "contact_hash"), name="reception_registration_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.pk}"


class MeetingQuestion(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=500)
    votes = models.PositiveIntegerField(_("votes"), default=0)
    hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=200, blank=True)
    answer = models.TextField(_("answer given"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("meeting question")
        verbose_name_plural = _("meeting questions")
        app_label = "reception"
        ordering = ("-votes", "created_at", "pk")

    def __str__(self) -> str:
        return self.text[:60]


class QuestionVote(models.Model):
    question = models.ForeignKey(MeetingQuestion, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("question vote")
        verbose_name_plural = _("question votes")
        app_label = "reception"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("question", "token"), name="reception_question_vote_once")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}/{self.pk}"


class Commitment(models.Model):
    """What the organization promised in a meeting; public with its status until done."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="commitments")
    text = models.CharField(_("commitment"), max_length=500)
    owner = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible unit")
    )
    due = models.DateField(_("due by"))
    status = models.CharField(
        _("status"), max_length=12, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    note = models.CharField(_("latest news"), max_length=500, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting commitment")
        verbose_name_plural = _("meeting commitments")
        app_label = "reception"
        ordering = ("due", "pk")

    def __str__(self) -> str:
        return self.text[:60]
