"""What waits in campaigns for the "my work" list (core's registry): messages written and waiting
for a senior manager's approval (never the author's own), due at their planned sending time."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tabyin.campaigns import permissions
from tabyin.campaigns.enums import MessageState
from tabyin.campaigns.outbox.models import Message
from tabyin.core.models import User
from tabyin.core.registry import Priority, WorkItem
from tabyin.core.scoping import scope_for


def work_items(user: User) -> list[WorkItem]:
    if not permissions.can_approve(scope_for(user)):
        return []
    waiting = Message.objects.filter(state=MessageState.DRAFT).exclude(author=user).order_by("send_at", "pk")
    return [
        WorkItem(
            title=_("Approve the campaign message: %(title)s") % {"title": m.title},
            url=reverse("campaigns:message", args=[m.pk]),
            key=f"message-{m.pk}",
            due=m.send_at,
            priority=Priority.HIGH,
        )
        for m in waiting
    ]
