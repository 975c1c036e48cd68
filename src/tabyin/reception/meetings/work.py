"""What waits in public meetings for the "my work" list (core's registry): commitments past their
date in a province the person runs meetings for, and meetings that ended without being marked
held (the public page still says "registration closed")."""

from __future__ import annotations

from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core.models import User
from tabyin.core.registry import Priority, WorkItem
from tabyin.core.scoping import restrict, scope_for
from tabyin.reception.meetings import permissions
from tabyin.reception.meetings.enums import CommitmentStatus, MeetingState
from tabyin.reception.meetings.models import Commitment, Meeting


def work_items(user: User) -> list[WorkItem]:
    scope = scope_for(user)
    if not permissions.can_manage_any(scope) or not (scope.national or scope.province_ids):
        return []
    now, today = timezone.now(), timezone.localdate()
    meetings = [
        m for m in restrict(Meeting.objects.all(), scope) if permissions.can_manage(scope, m.province_id)
    ]
    ids = [m.pk for m in meetings]
    items = [
        WorkItem(
            title=_("Overdue meeting commitment: %(text)s") % {"text": c.text},
            url=reverse("reception:staff-meeting", args=[c.meeting_id]),
            key=f"commitment-{c.pk}",
            due=timezone.make_aware(datetime.combine(c.due, time(23, 59))),
            priority=Priority.HIGH,
        )
        for c in Commitment.objects.filter(
            meeting_id__in=ids,
            status__in=(CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS),
            due__lt=today,
        ).order_by("due", "pk")
    ]
    items += [
        WorkItem(
            title=_("Record how the meeting went: %(title)s") % {"title": m.title},
            url=reverse("reception:staff-meeting", args=[m.pk]),
            key=f"meeting-{m.pk}",
            due=m.ends_at,
        )
        for m in meetings
        if m.state in (MeetingState.OPEN, MeetingState.CLOSED) and m.ends_at < now
    ]
    return items
