"""What the desk puts on the staff calendar (core's registry): the delivery due time of each
accepted request, and the first-response due time of each request still waiting for PR, in the
requests the person may read (their own units', and PR's queue)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from tabyin.core.calendar.days import bounds
from tabyin.core.models import User
from tabyin.core.registry import CalendarEvent, EventKind
from tabyin.desk.enums import State
from tabyin.desk.intake import selectors


def calendar_events(user: User, first: date, last: date) -> list[CalendarEvent]:
    start, end = bounds(first, last)
    readable = selectors.requests_for(user).select_related("province")
    events: list[CalendarEvent] = []
    waiting = readable.filter(state=State.SUBMITTED, response_due__gte=start, response_due__lt=end)
    for r in waiting.order_by("response_due", "pk"):
        events.append(
            CalendarEvent(
                title=_("First answer due: %(title)s") % {"title": r.title},
                start=r.response_due,
                kind=EventKind.DUE,
                url=reverse("desk:request", args=[r.pk]),
                key=f"answer-{r.pk}",
                province=(r.province.iso_code or None) if r.province else None,
            )
        )
    doing = readable.filter(state__in=(State.ACCEPTED, State.IN_PROGRESS), due_at__gte=start, due_at__lt=end)
    for r in doing.order_by("due_at", "pk"):
        assert r.due_at is not None  # filtered on it
        events.append(
            CalendarEvent(
                title=_("Delivery due: %(title)s") % {"title": r.title},
                start=r.due_at,
                kind=EventKind.DUE,
                url=reverse("desk:request", args=[r.pk]),
                key=f"deliver-{r.pk}",
                province=(r.province.iso_code or None) if r.province else None,
            )
        )
    return events
