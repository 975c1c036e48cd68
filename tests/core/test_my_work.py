"""Core's "my work": the registry's ordering by urgency, overdue marks, the list on /staff/ and the
counts in the staff menu (kept in the session for a minute, refreshed by /staff/)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from tabyin.core import work
from tabyin.core.models import User
from tabyin.core.registry import Priority, Registry, WorkItem, registry
from tests.conftest import verified_client

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def _item(title: str, due_hours: float | None = None, priority: Priority = Priority.NORMAL) -> WorkItem:
    due = None if due_hours is None else NOW + timedelta(hours=due_hours)
    return WorkItem(title=title, url=f"/{title}/", key=title, due=due, priority=priority)


def test_items_are_listed_overdue_first_then_by_priority_then_by_due_time() -> None:
    mine = Registry()
    mine.add_work("a", "App A", lambda user: [_item("later", 48), _item("low", None, Priority.LOW)])
    mine.add_work(
        "b",
        "App B",
        lambda user: [
            _item("late-1h", -1),
            _item("urgent-no-due", None, Priority.URGENT),
            _item("late-2d", -48, Priority.LOW),
            _item("soon", 2),
            _item("no-due"),
        ],
    )

    found = mine.work_for(User(), NOW)

    assert [(i.title, i.app, i.overdue(NOW)) for i in found] == [
        ("late-2d", "b", True),
        ("late-1h", "b", True),
        ("urgent-no-due", "b", False),
        ("soon", "b", False),
        ("later", "a", False),
        ("no-due", "b", False),
        ("low", "a", False),
    ]


def test_an_item_due_exactly_now_is_not_yet_overdue() -> None:
    assert _item("now", 0).overdue(NOW) is False
    assert _item("now", -1 / 3600).overdue(NOW) is True


def test_end_of_day_is_midnight_after_the_day_in_tehran() -> None:
    assert work.end_of_day(date(2026, 12, 7)).astimezone(UTC) == datetime(2026, 12, 7, 20, 30, tzinfo=UTC)


@pytest.fixture
def two_items() -> Iterator[list[WorkItem]]:
    """A test app offering two items to the HQ analyst only (one overdue)."""
    items = [_item("Check the overdue thing", -3), _item("Do the next thing", 5, Priority.HIGH)]
    items = [
        WorkItem(title=i.title, url=i.url, key=i.key, due=timezone.now() + (i.due - NOW), priority=i.priority)
        for i in items
        if i.due
    ]
    registry.add_work("test", "Test app", lambda user: items if user.username == "hq.analyst" else [])
    yield items
    del registry.work["test"]


def test_staff_home_lists_the_items_with_the_overdue_one_marked_and_counts_in_the_menu(
    hq_analyst: User, hq_admin: User, two_items: list[WorkItem]
) -> None:
    page = verified_client(hq_analyst).get("/en/staff/").content.decode()

    assert '2 items wait for you · <span class="work-overdue">1 overdue</span>' in page
    first, second = page.index("Check the overdue thing"), page.index("Do the next thing")
    assert first < second
    assert page.count('data-testid="work-item"') == 2
    assert page.count("work-item--overdue") == 1
    assert 'My work <span class="nav-count" data-testid="nav-count">2<' in page

    other = verified_client(hq_admin).get("/en/staff/").content.decode()
    assert "Nothing is waiting for you." in other
    assert 'data-testid="nav-count"' not in other


def test_the_menu_counts_come_from_the_session_for_a_minute(
    hq_analyst: User, two_items: list[WorkItem]
) -> None:
    client = verified_client(hq_analyst)
    client.get("/en/staff/")
    two_items.pop()  # one item done elsewhere

    assert 'nav-count">2<' in client.get("/en/staff/audit/").content.decode()
    session = client.session
    session[work.SESSION_KEY]["at"] -= work.MENU_COUNTS_SECONDS + 1
    session.save()
    assert 'nav-count">1<' in client.get("/en/staff/audit/").content.decode()
    # /staff/ itself always asks afresh.
    two_items.pop()
    assert 'data-testid="nav-count"' not in client.get("/en/staff/").content.decode()


def test_persian_page_shows_persian_digits(hq_analyst: User, two_items: list[WorkItem]) -> None:
    page = verified_client(hq_analyst).get("/staff/").content.decode()

    assert 'nav-count" data-testid="nav-count">۲<' in page
