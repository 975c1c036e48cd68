"""Reading the calendar: every app's entries for a person and a range of days, checked once more
against the person's provinces, in order; the provinces an HQ user may filter by; feed tokens."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tabyin.core.calendar.days import span, touches
from tabyin.core.calendar.models import FeedToken
from tabyin.core.enums import UnitKind
from tabyin.core.jalali import TEHRAN
from tabyin.core.models import OrgUnit, User
from tabyin.core.registry import CalendarEvent, EventKind, Text, registry
from tabyin.core.scoping import scope_for

KIND_LABELS: dict[EventKind, Text] = {
    EventKind.DUE: _("Due"),
    EventKind.SEND: _("Campaign send"),
    EventKind.MEETING: _("Public meeting"),
    EventKind.DEADLINE: pgettext_lazy("calendar", "Deadline"),
    EventKind.PHASE: _("Challenge phase"),
}


@dataclass(frozen=True)
class Entry:
    event: CalendarEvent
    app_label: Text
    first: date
    last: date
    province_name: str

    @property
    def kind_label(self) -> Text:
        return KIND_LABELS[self.event.kind]

    @property
    def css(self) -> str:
        return self.event.kind.value

    def on(self, day: date) -> bool:
        return self.first <= day <= self.last


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_for_token(token: str) -> User | None:
    """The active staff member a feed token belongs to, ``None`` for an unknown or revoked one."""
    found = FeedToken.objects.filter(digest=digest(token)).select_related("user").first()
    if found is None or not found.user.is_active or not found.user.is_staff:
        return None
    return found.user


def has_feed(user: User) -> bool:
    return FeedToken.objects.filter(user=user).exists()


def provinces() -> dict[str, OrgUnit]:
    """Every active province by its ISO code, in code order."""
    rows = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, is_active=True).exclude(iso_code="")
    return {unit.iso_code: unit for unit in rows.order_by("iso_code")}


def own_provinces(user: User) -> frozenset[str] | None:
    """The ISO codes of a provincial person's provinces; ``None`` for a national person (all)."""
    scope = scope_for(user)
    if scope.national:
        return None
    codes = OrgUnit.objects.filter(pk__in=scope.province_ids).values_list("iso_code", flat=True)
    return frozenset(code for code in codes if code)


def _order(entry: Entry) -> tuple[object, ...]:
    start = entry.event.start
    moment = start.astimezone(TEHRAN).time() if isinstance(start, datetime) else time.min
    return (entry.first, not entry.event.all_day, moment, str(entry.event.title), entry.event.key)


def entries_for(user: User, first: date, last: date, province: str = "", language: str = "fa") -> list[Entry]:
    """What ``user`` may see touching ``first``..``last``, soonest first (all-day entries first on
    their day). ``province`` (an ISO code) narrows to that province's entries and the national ones.

    Providers scope their own entries; a provincial person's list is checked once more here, so a
    provider's mistake cannot show them another province's plans.
    """
    own = own_provinces(user)
    known = provinces()
    found = []
    for event in registry.calendar_for(user, first, last):
        if own is not None and event.province is not None and event.province not in own:
            continue
        if province and event.province not in (None, province):
            continue
        if not touches(event, first, last):
            continue
        start, end = span(event)
        unit = known.get(event.province or "")
        name = unit.name(language) if unit is not None else ""
        found.append(Entry(event, registry.calendar[event.app].label, start, end, name))
    return sorted(found, key=_order)
