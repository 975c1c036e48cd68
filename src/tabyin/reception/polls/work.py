"""What waits in reception's polls for the "my work" list (core's registry): draft polls, which
the public cannot answer until someone who manages polls opens them (or deletes them)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tabyin.core.models import User
from tabyin.core.registry import Priority, WorkItem
from tabyin.core.scoping import scope_for
from tabyin.reception.polls import permissions
from tabyin.reception.polls.enums import PollState
from tabyin.reception.polls.models import Poll


def work_items(user: User) -> list[WorkItem]:
    if not permissions.can_manage(scope_for(user)):
        return []
    return [
        WorkItem(
            title=_("Open the draft poll: %(title)s") % {"title": poll.title},
            url=reverse("reception:staff-poll", args=[poll.pk]),
            key=f"poll-{poll.pk}",
            priority=Priority.LOW,
        )
        for poll in Poll.objects.filter(state=PollState.DRAFT).order_by("pk")
    ]
