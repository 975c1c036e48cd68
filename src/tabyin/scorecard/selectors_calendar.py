"""The scorecard's entries in the staff calendar: the data-entry deadline of each open period and
the end of each published period's appeal window. National (one date for every province), for
those who take part in the cycle: provincial officers and HQ's scorecard readers."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from tabyin.core.calendar.days import bounds
from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.core.registry import CalendarEvent, EventKind
from tabyin.core.scoping import scope_for
from tabyin.core.work import ref
from tabyin.scorecard import permissions
from tabyin.scorecard.enums import PeriodState
from tabyin.scorecard.models import Period


def calendar_events(user: User, first: date, last: date) -> list[CalendarEvent]:
    scope = scope_for(user)
    officer = any(role == Role.PROVINCIAL_OFFICER for role, _province in scope.province_grants)
    if not (officer or permissions.can_see_results(scope)):
        return []
    start, end = bounds(first, last)
    url = reverse("scorecard:periods")
    entry = Period.objects.filter(
        state=PeriodState.OPEN, entry_deadline__gte=first, entry_deadline__lte=last
    ).order_by("entry_deadline", "code")
    appeals = Period.objects.filter(
        state=PeriodState.PUBLISHED, appeal_until__gte=start, appeal_until__lt=end
    ).order_by("appeal_until", "code")
    events = [
        CalendarEvent(
            title=_("Scorecard data due for period %(period)s") % {"period": ref(p.code)},
            start=p.entry_deadline,
            kind=EventKind.DEADLINE,
            url=url,
            key=f"entry-deadline-{p.code}",
        )
        for p in entry
        if p.entry_deadline is not None
    ]
    events += [
        CalendarEvent(
            title=_("Scorecard appeals close for period %(period)s") % {"period": ref(p.code)},
            start=p.appeal_until,
            kind=EventKind.DEADLINE,
            url=url,
            key=f"appeals-{p.code}",
        )
        for p in appeals
        if p.appeal_until is not None
    ]
    return events
