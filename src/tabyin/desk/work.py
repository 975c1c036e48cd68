"""What waits at the desk for the "my work" list (core's registry). PR: requests to answer (due
when the first response's service level ends) and accepted requests to deliver that are theirs or
nobody's yet (due when the delivery's service level ends). A requester: PR's question to answer
and a delivered result to rate."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tabyin.core.models import User
from tabyin.core.registry import Priority, WorkItem
from tabyin.core.scoping import scope_for
from tabyin.desk import permissions
from tabyin.desk.enums import State
from tabyin.desk.intake import selectors
from tabyin.desk.intake.models import DeskRequest


def _url(r: DeskRequest) -> str:
    return reverse("desk:request", args=[r.pk])


def work_items(user: User) -> list[WorkItem]:
    scope = scope_for(user)
    items: list[WorkItem] = []
    if permissions.is_pr(scope):
        queue = selectors.triage_queue(user)
        for r in queue.filter(state=State.SUBMITTED).order_by("response_due", "pk"):
            items.append(
                WorkItem(
                    title=_("Answer the request: %(title)s") % {"title": r.title},
                    url=_url(r),
                    key=f"answer-{r.pk}",
                    due=r.response_due,
                    priority=Priority.HIGH,
                )
            )
        for r in queue.filter(state__in=(State.ACCEPTED, State.IN_PROGRESS)).order_by("due_at", "pk"):
            if r.owner_id not in (None, user.pk):
                continue
            items.append(
                WorkItem(
                    title=_("Deliver the request: %(title)s") % {"title": r.title},
                    url=_url(r),
                    key=f"deliver-{r.pk}",
                    due=r.due_at,
                )
            )
    mine = DeskRequest.objects.filter(requester=user)
    for r in mine.filter(state=State.NEEDS_INFO).order_by("pk"):
        items.append(
            WorkItem(
                title=_("PR asked for more information: %(title)s") % {"title": r.title},
                url=_url(r),
                key=f"info-{r.pk}",
                priority=Priority.HIGH,
            )
        )
    for r in mine.filter(state=State.DELIVERED).order_by("pk"):
        items.append(
            WorkItem(
                title=_("Rate the result: %(title)s") % {"title": r.title},
                url=_url(r),
                key=f"rate-{r.pk}",
                priority=Priority.LOW,
            )
        )
    return items
