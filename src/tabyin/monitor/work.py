"""What waits for a person in the monitor, for their "my work" list (core's registry).

Alerts to acknowledge (analysts and senior managers; due when the rule escalates them), answers
waiting for a senior manager's approval (not their own draft), and flagged rumors that have no
answer in review yet (analysts, who triage and draft).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from tabyin.core.models import User
from tabyin.core.registry import Priority, WorkItem
from tabyin.core.scoping import scope_for
from tabyin.monitor import permissions
from tabyin.monitor.enums import ResponseStatus
from tabyin.monitor.models import Alert, Response, Story

# Story titles are the media's headlines: long ones are cut for the list.
TITLE_WORDS = 14


def work_items(user: User) -> list[WorkItem]:
    scope = scope_for(user)
    items: list[WorkItem] = []
    if permissions.can_acknowledge(scope):
        items += _alerts()
    if permissions.can_approve(scope):
        items += _answers_to_approve(user)
    if permissions.can_triage(scope):
        items += _rumors_to_answer()
    return items


def _headline(story: Story) -> str:
    return Truncator(story.title).words(TITLE_WORDS)


def _alerts() -> list[WorkItem]:
    found = Alert.objects.filter(acknowledged_at__isnull=True).select_related("rule", "story")
    return [
        WorkItem(
            title=_("Acknowledge the alert: %(headline)s") % {"headline": _headline(alert.story)},
            url=reverse("monitor:alerts"),
            key=f"alert-{alert.pk}",
            due=alert.created_at + timedelta(minutes=alert.rule.escalate_after_minutes),
            priority=Priority.URGENT,
        )
        for alert in found
    ]


def _answers_to_approve(user: User) -> list[WorkItem]:
    found = (
        Response.objects.filter(status=ResponseStatus.IN_REVIEW)
        .exclude(drafted_by=user)
        .select_related("story")
    )
    return [
        WorkItem(
            title=_("Approve the answer to the rumor: %(headline)s") % {"headline": _headline(r.story)},
            url=reverse("monitor:response", args=[r.story_id]),
            key=f"approve-{r.pk}",
            priority=Priority.HIGH,
        )
        for r in found
    ]


def _rumors_to_answer() -> list[WorkItem]:
    found = Story.objects.filter(is_rumor=True).filter(
        Q(response__isnull=True) | Q(response__status=ResponseStatus.DRAFT)
    )
    return [
        WorkItem(
            title=_("Answer the rumor: %(headline)s") % {"headline": _headline(story)},
            url=reverse("monitor:response", args=[story.pk]),
            key=f"rumor-{story.pk}",
            priority=Priority.HIGH,
        )
        for story in found.order_by("rumor_flagged_at", "id")
    ]
