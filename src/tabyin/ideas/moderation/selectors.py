"""What moderators read: challenges with their queues, duplicate clusters and flagged supports."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.ideas import permissions
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries.models import Entry


def challenges_for(user: User) -> QuerySet[Challenge]:
    permissions.require(permissions.can_moderate(scope_for(user)))
    return Challenge.objects.annotate(
        entry_count=Count("entries", distinct=True),
        waiting=Count("entries", filter=Q(entries__status="submitted"), distinct=True),
    )


def queue(user: User, challenge: Challenge) -> QuerySet[Entry]:
    permissions.require(permissions.can_moderate(scope_for(user)))
    return (
        challenge.entries.select_related("province")
        .annotate(
            support_count=Count("supports", filter=Q(supports__flagged=False), distinct=True),
            flagged_count=Count("supports", filter=Q(supports__flagged=True), distinct=True),
        )
        .order_by("status", "pk")
    )


def entry_for(user: User, entry_id: int) -> Entry | None:
    permissions.require(permissions.can_moderate(scope_for(user)))
    return (
        Entry.objects.select_related("challenge", "province")
        .prefetch_related("files", "versions")
        .filter(pk=entry_id)
        .first()
    )
