"""Comprehension polls: a poll of one to three questions, and the public's answers.

Nothing here identifies an answerer: a ``Response`` holds the random token of the browser's signed
cookie (one answer per browser per poll), the Tehran day, the hour, and the province the answerer
chose to name (``None`` when they did not). No address, user agent or account.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import OrgUnit
from tabyin.reception.polls.enums import PollState, QuestionKind


class Poll(models.Model):
    title = models.CharField(_("title"), max_length=200)
    # What it is attached to: a page of this site (a path such as /explanations/3/), or an
    # announcement named by its title; at least one of the two.
    target_path = models.CharField(_("page address"), max_length=300, blank=True)
    target_title = models.CharField(_("announcement"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=PollState.choices, default=PollState.DRAFT)
    is_sample = models.BooleanField(_("sample data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        app_label = "reception"
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    # Choice questions only: the options in order, and the 0-based index of the correct one.
    choices = models.JSONField(default=list, blank=True)
    correct = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("poll question")
        verbose_name_plural = _("poll questions")
        app_label = "reception"
        ordering = ("poll", "order")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("poll", "order"), name="reception_question_order")
        ]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="responses")
    # The random value inside the browser's signed cookie; unique per poll, so a browser's second
    # answer cannot be stored even by two requests at once.
    token = models.CharField(max_length=64)
    province = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    day = models.DateField()  # Tehran date, for the results by day
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("poll response")
        verbose_name_plural = _("poll responses")
        app_label = "reception"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("poll", "token"), name="reception_response_once")
        ]
        indexes: ClassVar = [models.Index(fields=("poll", "day"))]

    def __str__(self) -> str:
        return f"{self.poll_id}/{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.PositiveSmallIntegerField(null=True, blank=True)
    clarity = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("poll answer")
        verbose_name_plural = _("poll answers")
        app_label = "reception"

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"
