"""What waits in Jam'i-no for the "my work" list (core's registry): entries a juror was assigned
and has not scored yet (due when the jury phase ends), and entries waiting for screening for the
organizers (due when screening ends)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tabyin.core.models import User
from tabyin.core.registry import Priority, WorkItem
from tabyin.core.scoping import scope_for
from tabyin.ideas import permissions
from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.judging.models import Assignment


def work_items(user: User) -> list[WorkItem]:
    scope = scope_for(user)
    items: list[WorkItem] = []
    if permissions.can_judge(scope):
        waiting = (
            Assignment.objects.filter(seat__user=user, submitted_at__isnull=True)
            .select_related("entry__challenge")
            .order_by("entry__challenge__jury_closes", "pk")
        )
        items += [
            WorkItem(
                title=_("Score the entry: %(title)s") % {"title": a.entry.title},
                url=reverse("ideas:jury-score", args=[a.pk]),
                key=f"assignment-{a.pk}",
                due=a.entry.challenge.jury_closes,
            )
            for a in waiting
        ]
    if permissions.can_moderate(scope):
        queued = (
            Entry.objects.filter(status=EntryStatus.SUBMITTED)
            .select_related("challenge")
            .order_by("challenge__moderation_closes", "pk")
        )
        items += [
            WorkItem(
                title=_("Screen the submission: %(title)s") % {"title": e.title},
                url=reverse("ideas:staff-entry", args=[e.pk]),
                key=f"entry-{e.pk}",
                due=e.challenge.moderation_closes,
                priority=Priority.LOW,
            )
            for e in queued
        ]
    return items
