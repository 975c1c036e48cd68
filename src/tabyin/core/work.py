"""A person's "my work": what every app says is waiting for them (``registry.add_work``), most
urgent first, with the counts the staff menu shows.

The menu shows counts on every staff page, so they are kept in the session for
``MENU_COUNTS_SECONDS`` instead of asking every app on every page; /staff/ itself always asks
afresh and refreshes them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tabyin.core.display.numbers import localize_digits
from tabyin.core.http import page_language
from tabyin.core.jalali import TEHRAN
from tabyin.core.models import User
from tabyin.core.registry import Priority, Text, WorkItem, registry

MENU_COUNTS_SECONDS = 60
SESSION_KEY = "tabyin_work_counts"
ALL = "*"
PRIORITY_LABELS: dict[Priority, Text] = {
    Priority.URGENT: _("Urgent"),
    Priority.HIGH: _("High priority"),
    Priority.NORMAL: _("Normal priority"),
    Priority.LOW: _("Low priority"),
}


@dataclass(frozen=True)
class Row:
    item: WorkItem
    app_label: Text
    overdue: bool

    @property
    def priority_label(self) -> Text:
        return PRIORITY_LABELS[self.item.priority]

    @property
    def css(self) -> str:
        return self.item.priority.name.lower()


@dataclass(frozen=True)
class MyWork:
    rows: list[Row]
    overdue: int
    # {app key: items}, and ALL: every item.
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return len(self.rows)


def ref(number: int | str) -> str:
    """A number or code inside a work item's title, in the page's digits (``Case ۱۲``)."""
    return localize_digits(str(number), page_language())


def end_of_day(day: date) -> datetime:
    """The moment a deadline given as a day has passed: midnight after it, Tehran time."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=TEHRAN)


def my_work(user: User, now: datetime | None = None) -> MyWork:
    now = now or timezone.now()
    items = registry.work_for(user, now)
    rows = [Row(item, registry.work[item.app].label, item.overdue(now)) for item in items]
    counts = dict(Counter(item.app for item in items))
    counts[ALL] = len(items)
    return MyWork(rows=rows, overdue=sum(row.overdue for row in rows), counts=counts)


def remember_counts(session: SessionBase, work: MyWork, now: datetime) -> None:
    session[SESSION_KEY] = {"at": now.timestamp(), "counts": work.counts}


def menu_counts(session: SessionBase, user: User, now: datetime | None = None) -> dict[str, int]:
    """The counts for the staff menu: the session's copy while fresh, else asked afresh."""
    now = now or timezone.now()
    kept = session.get(SESSION_KEY)
    if isinstance(kept, dict) and 0 <= now.timestamp() - float(kept["at"]) < MENU_COUNTS_SECONDS:
        return {str(app): int(n) for app, n in kept["counts"].items()}
    work = my_work(user, now)
    remember_counts(session, work, now)
    return work.counts
