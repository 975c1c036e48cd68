"""An acknowledged alert whose story keeps growing past the next threshold (twice the headline
figure it had when acknowledged) within the cool-down is re-opened and its people hear of it again;
smaller growth only updates its figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail

from tabyin.core.models import User
from tabyin.monitor.alerts import services as services_alerts
from tabyin.monitor.models import Alert, WatchQuery
from tabyin.monitor.models import Story as StoryModel
from tests.monitor.test_alerts_helpers import post, rule, story, watch

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
M = timedelta(minutes=1)
pytestmark = pytest.mark.django_db
Capture = Callable[..., Any]


def _channels(item: StoryModel, first: int, last: int, at: datetime, query: WatchQuery) -> None:
    for n in range(first, last):
        post(item, f"ch{n}", at, query=query if n == 0 else None)


def _evaluate(item: StoryModel, at: datetime, capture: Capture) -> list[int]:
    with capture(execute=True):
        return services_alerts.alerts_evaluate(story_ids=[item.pk], now=at)


def test_an_acknowledged_alert_reopens_when_its_story_doubles(
    org: None, hq_analyst: User, django_capture_on_commit_callbacks: Capture
) -> None:
    query = watch()
    rule("reach", threshold=2, channels=["email"], emails="duty@example.org")
    item = story(at=NOW)
    _channels(item, 0, 2, NOW, query)
    [alert_id] = _evaluate(item, NOW + M, django_capture_on_commit_callbacks)
    services_alerts.alert_acknowledge(actor=hq_analyst, alert=Alert.objects.get(pk=alert_id))
    assert Alert.objects.get().trips[0]["seen"] == 2

    # Three channels: grown, but not past twice the two seen: figures updated, still acknowledged.
    _channels(item, 2, 3, NOW + 2 * M, query)
    assert _evaluate(item, NOW + 3 * M, django_capture_on_commit_callbacks) == [alert_id]
    alert = Alert.objects.get()
    assert (alert.figures["channels"], alert.acknowledged_at is not None, alert.trips[0]["seen"]) == (
        3,
        True,
        2,
    )
    assert len(mail.outbox) == 1

    # Four channels: twice what was seen. Re-opened, delivered again, same alert (one per story).
    _channels(item, 3, 4, NOW + 4 * M, query)
    assert _evaluate(item, NOW + 5 * M, django_capture_on_commit_callbacks) == [alert_id]
    alert = Alert.objects.get()
    assert (alert.acknowledged_at, alert.acknowledged_by, alert.count) == (None, None, 1)
    assert (alert.figures["channels"], alert.trips[0]["reopened"], "seen" in alert.trips[0]) == (
        4,
        True,
        False,
    )
    assert [m.to for m in mail.outbox] == [["duty@example.org"], ["duty@example.org"]]


def test_a_new_rule_tripping_on_an_acknowledged_alert_reopens_it(
    org: None, hq_analyst: User, django_capture_on_commit_callbacks: Capture
) -> None:
    query = watch()
    rule("negative_story", query=query, channels=["email"], emails="duty@example.org")
    rule("reach", threshold=3, channels=["email"], emails="director@example.org")
    item = story(at=NOW)
    _channels(item, 0, 1, NOW, query)
    [alert_id] = _evaluate(item, NOW + M, django_capture_on_commit_callbacks)
    services_alerts.alert_acknowledge(actor=hq_analyst, alert=Alert.objects.get(pk=alert_id))
    # The negative story was seen on one channel; it now has three (past twice one) and the reach
    # rule trips for the first time: the same alert, re-opened, and both people hear of it.
    _channels(item, 1, 3, NOW + 2 * M, query)
    assert _evaluate(item, NOW + 3 * M, django_capture_on_commit_callbacks) == [alert_id]

    alert = Alert.objects.get()
    assert (alert.count, alert.acknowledged_at, alert.trips[0]["reopened"]) == (2, None, True)
    assert [m.to for m in mail.outbox] == [
        ["duty@example.org"],
        ["duty@example.org"],
        ["director@example.org"],
    ]


def test_a_new_rule_alone_reopens_an_acknowledged_alert(
    org: None, hq_analyst: User, django_capture_on_commit_callbacks: Capture
) -> None:
    query = watch()
    rule("reach", threshold=2, channels=["email"], emails="duty@example.org")
    rule("reach", threshold=3, channels=["email"], emails="director@example.org", name="second")
    item = story(at=NOW)
    _channels(item, 0, 2, NOW, query)
    [alert_id] = _evaluate(item, NOW + M, django_capture_on_commit_callbacks)
    services_alerts.alert_acknowledge(actor=hq_analyst, alert=Alert.objects.get(pk=alert_id))
    _channels(item, 2, 3, NOW + 2 * M, query)  # 3 < 2 × 2 for the first rule; the second trips
    assert _evaluate(item, NOW + 3 * M, django_capture_on_commit_callbacks) == [alert_id]

    alert = Alert.objects.get()
    assert (alert.count, alert.acknowledged_at, "reopened" in alert.trips[0]) == (2, None, False)
    assert alert.trips[1]["reopened"] is True
    assert [m.to for m in mail.outbox] == [["duty@example.org"], ["director@example.org"]]


def test_without_an_acknowledgement_growth_only_updates_the_alert(
    org: None, django_capture_on_commit_callbacks: Capture
) -> None:
    query = watch()
    rule("reach", threshold=2, channels=["email"], emails="duty@example.org")
    item = story(at=NOW)
    _channels(item, 0, 2, NOW, query)
    [alert_id] = _evaluate(item, NOW + M, django_capture_on_commit_callbacks)
    _channels(item, 2, 6, NOW + 2 * M, query)
    assert _evaluate(item, NOW + 3 * M, django_capture_on_commit_callbacks) == [alert_id]

    alert = Alert.objects.get()
    assert (alert.figures["channels"], "reopened" in alert.trips[0], len(mail.outbox)) == (6, False, 1)
