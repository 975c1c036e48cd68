"""Staff pages of alerts: the list, acknowledgement, the rules; refusals are the 403 page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.monitor.models import Alert, AlertRule
from tests import factories
from tests.conftest import verified_client
from tests.monitor.test_alerts_helpers import rule, story, watch

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


def _alerts(count: int) -> list[Alert]:
    found = rule("reach", threshold=1, name="بازنشر")
    alerts = []
    for n in range(count):
        item = story(f"خبر {n}", at=NOW)
        alerts.append(
            Alert.objects.create(
                rule=found, story=item, created_at=NOW + timedelta(minutes=n), reason=f"دلیل {n}"
            )
        )
    return alerts


def _pks(html: str) -> list[int]:
    import re

    return [int(pk) for pk in re.findall(r'data-testid="alert" data-pk="(\d+)"', html)]


def test_list_shows_unacknowledged_first_then_newest(org: None, hq_analyst: User) -> None:
    first, second, third = _alerts(3)
    Alert.objects.filter(pk=third.pk).update(acknowledged_at=NOW, acknowledged_by=hq_analyst)
    client = verified_client(hq_analyst)

    every = client.get(reverse("monitor:alerts"), {"status": "all"})
    assert every.status_code == 200
    assert _pks(every.content.decode()) == [second.pk, first.pk, third.pk]
    assert _pks(client.get(reverse("monitor:alerts")).content.decode()) == [second.pk, first.pk]
    assert _pks(client.get(reverse("monitor:alerts"), {"status": "acknowledged"}).content.decode()) == [
        third.pk
    ]
    assert (
        _pks(client.get(reverse("monitor:alerts"), {"status": "all", "kind": "velocity"}).content.decode())
        == []
    )


def test_list_runs_a_constant_number_of_queries(org: None, hq_analyst: User) -> None:
    client = verified_client(hq_analyst)
    client.get(reverse("monitor:alerts"))  # warm the session (the menu's work counts) and the scope
    _alerts(1)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("monitor:alerts"))
    _alerts(6)
    with CaptureQueriesContext(connection) as many:
        assert len(_pks(client.get(reverse("monitor:alerts")).content.decode())) == 7
    assert len(many.captured_queries) == len(few.captured_queries)


def test_acknowledge_by_post(org: None, hq_analyst: User) -> None:
    [alert] = _alerts(1)
    client = verified_client(hq_analyst)
    assert client.get(reverse("monitor:alert-ack", args=[alert.pk])).status_code == 405
    response = client.post(
        reverse("monitor:alert-ack", args=[alert.pk]), {"next": "/staff/monitor/alerts/?status=all"}
    )
    assert (response.status_code, response["Location"]) == (302, "/staff/monitor/alerts/?status=all")
    alert.refresh_from_db()
    assert alert.acknowledged_by == hq_analyst
    outside = client.post(reverse("monitor:alert-ack", args=[alert.pk]), {"next": "https://evil.example/"})
    assert outside["Location"] == reverse("monitor:alerts")
    assert client.post(reverse("monitor:alert-ack", args=[999999])).status_code == 404


def test_refusals_are_403(org: None, tehran_officer: User, hq_admin: User) -> None:
    [alert] = _alerts(1)
    manager = factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)
    officer = verified_client(tehran_officer)
    assert officer.get(reverse("monitor:alerts")).status_code == 403
    assert officer.post(reverse("monitor:alert-ack", args=[alert.pk])).status_code == 403
    assert officer.get(reverse("monitor:alert-rules")).status_code == 403
    # An administrator reads alerts and configures rules but does not acknowledge.
    admin = verified_client(hq_admin)
    assert admin.get(reverse("monitor:alerts")).status_code == 200
    assert admin.post(reverse("monitor:alert-ack", args=[alert.pk])).status_code == 403
    # A senior manager acknowledges but does not configure.
    boss = verified_client(manager)
    assert boss.get(reverse("monitor:alert-rules")).status_code == 403
    assert boss.get(reverse("monitor:alert-rule-add")).status_code == 403
    assert boss.get(reverse("monitor:alert-rule-edit", args=[alert.rule_id])).status_code == 403
    assert boss.post(reverse("monitor:alert-ack", args=[alert.pk])).status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == manager


def _form(**changes: str | list[str]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "name": "منفی درباره سازمان",
        "kind": "negative_story",
        "query": "",
        "threshold": "10",
        "min_channels": "3",
        "channels": ["in_app", "webhook"],
        "emails": "",
        "webhook_url": "https://hooks.tabyin.example/alerts",
        "webhook_secret": "",
        "bot_chat_id": "",
        "escalate_after_minutes": "30",
        "escalate_emails": "boss@tabyin.example",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_add_and_edit_a_rule(org: None, hq_analyst: User) -> None:
    query = watch()
    client = verified_client(hq_analyst)
    refused = client.post(reverse("monitor:alert-rule-add"), _form())
    assert refused.status_code == 200
    assert 'data-testid="errors-query"' in refused.content.decode()
    assert AlertRule.objects.count() == 0

    added = client.post(reverse("monitor:alert-rule-add"), _form(query=str(query.pk)))
    saved = AlertRule.objects.get()
    assert (added.status_code, added["Location"]) == (
        302,
        reverse("monitor:alert-rule-edit", args=[saved.pk]),
    )
    assert (saved.kind, saved.query, saved.channels, saved.escalate_emails) == (
        "negative_story",
        query,
        ["in_app", "webhook"],
        "boss@tabyin.example",
    )
    page = client.get(added["Location"]).content.decode()
    assert saved.webhook_secret in page  # shown to those who configure, to set up the receiver

    client.post(reverse("monitor:alert-rule-edit", args=[saved.pk]), _form(query=str(query.pk), name="تغییر"))
    secret = saved.webhook_secret
    saved.refresh_from_db()
    assert (saved.name, saved.webhook_secret) == ("تغییر", secret)
    listing = client.get(reverse("monitor:alert-rules")).content.decode()
    assert f'data-testid="rule-row" data-pk="{saved.pk}"' in listing and "تغییر" in listing


def test_reasons_show_in_the_readers_language_whatever_language_fired_them(
    org: None, hq_analyst: User
) -> None:
    from django.utils import translation

    found = rule("reach", threshold=10, name="بازنشر")
    with translation.override("fa"):  # as a background job fires it
        Alert.objects.create(
            rule=found,
            story=story("خبر", at=NOW),
            created_at=NOW,
            reason="12 کانال در 6 ساعت؛ آستانه 10 کانال",
            figures={"channels": 12, "threshold": 10, "minutes": 360},
        )
    client = verified_client(hq_analyst)
    with translation.override("en"):
        english = client.get(reverse("monitor:alerts")).content.decode()
    persian = client.get(reverse("monitor:alerts")).content.decode()

    assert "12 channels in 6 hours; threshold 10 channels" in english
    assert "۱۲ کانال در ۶ ساعت؛ آستانه ۱۰ کانال" in persian
