"""services_alerts: each rule kind fires once per story, deliveries, retries, escalation, acknowledgement."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tabyin.core.enums import AuditAction, Role
from tabyin.core.models import AuditEntry, User
from tabyin.monitor.alerts import rules as alert_rules
from tabyin.monitor.alerts import services as services_alerts
from tabyin.monitor.alerts import services_delivery
from tabyin.monitor.models import Alert, AlertRule, Delivery
from tests import factories
from tests.monitor.test_alerts_helpers import rule, spread, story, watch

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
M = timedelta(minutes=1)
pytestmark = pytest.mark.django_db
Capture = Callable[..., Any]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Reasons are asserted in English; messages still use the site language (Persian)."""
    with translation.override("en"):
        yield


def test_reach_rule_fires_once_per_story(org: None) -> None:
    query = watch()
    reach = rule("reach", threshold=4)
    big, small = story(at=NOW - H), story("خبر دیگر", at=NOW - H)
    spread(big, [NOW - 50 * M, NOW - 40 * M, NOW - 30 * M, NOW - 20 * M], query=query)
    spread(small, [NOW - 50 * M, NOW - 40 * M, NOW - 30 * M], query=query)

    [alert_id] = services_alerts.alerts_evaluate(story_ids=[big.pk, small.pk], now=NOW)

    alert = Alert.objects.get(pk=alert_id)
    assert (alert.rule_id, alert.story_id, alert.created_at) == (reach.pk, big.pk, NOW)
    assert alert.reason == "4 channels in 1 hour; threshold 4 channels"
    assert alert.figures == {"channels": 4, "threshold": 4, "minutes": 60}
    assert (alert.count, alert.updated_at) == (1, NOW)
    # Nothing new a minute later: the alert is neither repeated nor touched.
    assert services_alerts.alerts_evaluate(story_ids=[big.pk, small.pk], now=NOW + M) == []
    assert Alert.objects.count() == 1


def test_negative_story_rule_fires_once_and_only_for_negative_matches(org: None) -> None:
    query, other = watch(), watch("بیمه بیکاری")
    negative = rule("negative_story", query=query)
    bad, fine, elsewhere = (
        story(at=NOW),
        story("خبر خوب", at=NOW, sentiment="positive"),
        story("دیگر", at=NOW),
    )
    spread(bad, [NOW], query=query)
    spread(fine, [NOW], query=query)
    spread(elsewhere, [NOW], query=other)
    ids = [bad.pk, fine.pk, elsewhere.pk]

    created = services_alerts.alerts_evaluate(story_ids=ids, now=NOW)

    assert list(Alert.objects.filter(pk__in=created).values_list("rule_id", "story_id")) == [
        (negative.pk, bad.pk)
    ]
    assert services_alerts.alerts_evaluate(story_ids=ids, now=NOW + H) == []
    # An old story that turns up again is not "new": no alert.
    old = story("قدیمی", at=NOW - 30 * H)
    spread(old, [NOW - 30 * H], query=query)
    assert services_alerts.alerts_evaluate(story_ids=[old.pk], now=NOW) == []


def test_velocity_rule_on_crafted_timelines(org: None) -> None:
    query = watch()
    fast_rule = rule("velocity", threshold=5, min_channels=3)
    # Surge: 6 channels over the 12 hours before (0.5 an hour), then 4 in the last hour → ratio 8.
    surge = story("موج", at=NOW - 12 * H)
    spread(
        surge,
        [NOW - 2 * H - k * 2 * H for k in range(6)] + [NOW - 50 * M, NOW - 30 * M, NOW - 20 * M, NOW - M],
        query=query,
    )
    # Steady: 12 channels over the 12 hours before (1 an hour), then 4 in the last hour → ratio 4.
    steady = story("آرام", at=NOW - 12 * H)
    spread(
        steady,
        [NOW - 2 * H - k * 50 * M for k in range(12)] + [NOW - 50 * M, NOW - 40 * M, NOW - 30 * M, NOW - M],
        query=query,
    )
    # Burst from nothing but only 2 channels: below the minimum.
    small = story("کوچک", at=NOW - H)
    spread(small, [NOW - 10 * M, NOW - 5 * M], query=query)

    [alert_id] = services_alerts.alerts_evaluate(story_ids=[surge.pk, steady.pk, small.pk], now=NOW)

    alert = Alert.objects.get(pk=alert_id)
    assert (alert.rule_id, alert.story_id) == (fast_rule.pk, surge.pk)
    assert alert.figures == {
        "last_hour": 4,
        "baseline_per_hour": 0.5,
        "ratio": 8.0,
        "threshold": 5.0,
        "min_channels": 3,
        "channels": 10,
        "minutes": 720,
    }
    # An hour later the surge is still fast (judged again) but has its alert already.
    assert services_alerts.alerts_evaluate(story_ids=[surge.pk], now=NOW + M) == []


def test_velocity_uses_publication_time_not_a_backfill(org: None) -> None:
    """Posts published a day ago but stored now do not look like spread happening now."""
    query = watch()
    rule("velocity", threshold=2, min_channels=3)
    old = story(at=NOW - 24 * H)
    spread(old, [NOW - 24 * H + k * M for k in range(5)], query=query)
    old.posts.update(first_seen_at=NOW - M)
    assert services_alerts.alerts_evaluate(story_ids=[old.pk], now=NOW) == []


def test_the_race_for_one_alert_is_settled_by_the_constraint(
    org: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers evaluating the same story: the second insert fails and is skipped, not raised."""
    query = watch()
    reach = rule("reach", threshold=1)
    item = story(at=NOW)
    spread(item, [NOW], query=query)
    real = alert_rules.evaluate
    monkeypatch.setattr(alert_rules, "evaluate", lambda facts, specs: real(facts, specs) * 2)
    created = services_alerts.alerts_evaluate(story_ids=[item.pk], now=NOW)
    assert len(created) == 1
    assert list(Alert.objects.values_list("rule_id", "story_id")) == [(reach.pk, item.pk)]
    assert Delivery.objects.count() == 1


def test_a_failing_channel_does_not_stop_the_others(
    org: None, django_capture_on_commit_callbacks: Capture
) -> None:
    query = watch()
    rule(
        "reach",
        threshold=1,
        channels=["in_app", "webhook", "email"],
        emails="duty@tabyin.example",
        webhook_url="http://127.0.0.1:9/hook",  # nothing listens on the discard port
        webhook_secret="s3cret",
    )
    item = story(at=NOW)
    spread(item, [NOW], query=query)
    with django_capture_on_commit_callbacks(execute=True):
        [alert_id] = services_alerts.alerts_evaluate(story_ids=[item.pk], now=NOW)

    rows = {d.channel: d for d in Delivery.objects.filter(alert_id=alert_id)}
    assert (rows["in_app"].status, rows["email"].status, rows["webhook"].status) == (
        "sent",
        "sent",
        "pending",
    )
    assert (rows["webhook"].attempts, rows["webhook"].last_error) == (1, "webhook not reached: ConnectError")
    assert [m.to for m in mail.outbox] == [["duty@tabyin.example"]]
    # Retried every minute until MAX_ATTEMPTS, then given up.
    with django_capture_on_commit_callbacks(execute=True):
        assert services_delivery.deliveries_retry(now=NOW + M) == [alert_id]
    for _ in range(services_delivery.MAX_ATTEMPTS - 2):
        services_delivery.alert_deliver(alert_id=alert_id)
    rows["webhook"].refresh_from_db()
    assert (rows["webhook"].status, rows["webhook"].attempts) == ("failed", services_delivery.MAX_ATTEMPTS)
    assert services_delivery.deliveries_retry(now=NOW + 10 * M) == []
    assert len(mail.outbox) == 1  # the e-mail was not sent again


def _escalating(**fields: Any) -> tuple[AlertRule, Alert]:
    query = watch()
    found = rule(
        "reach",
        threshold=1,
        escalate_after_minutes=30,
        escalate_emails="boss@tabyin.example, deputy@tabyin.example",
        **fields,
    )
    item = story(at=NOW)
    spread(item, [NOW], query=query)
    [alert_id] = services_alerts.alerts_evaluate(story_ids=[item.pk], now=NOW)
    return found, Alert.objects.get(pk=alert_id)


def test_escalation_after_the_delay_once(org: None, django_capture_on_commit_callbacks: Capture) -> None:
    _rule, alert = _escalating()
    with time_machine.travel(NOW + 29 * M, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert services_alerts.alerts_escalate() == []
    with time_machine.travel(NOW + 30 * M, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert services_alerts.alerts_escalate() == [alert.pk]
    with time_machine.travel(NOW + 45 * M, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert services_alerts.alerts_escalate() == []

    alert.refresh_from_db()
    assert alert.escalated_at == NOW + 30 * M
    [row] = Delivery.objects.filter(alert=alert, escalation=True)
    assert (row.channel, row.status) == ("email", "sent")
    [message] = mail.outbox
    assert message.to == ["boss@tabyin.example", "deputy@tabyin.example"]
    assert "شایعهٔ قطع مستمری" in message.subject
    assert message.subject == services_delivery.alert_message(alert, escalation=True).subject


def test_acknowledging_stops_escalation(org: None, hq_analyst: User) -> None:
    _rule, alert = _escalating()
    with time_machine.travel(NOW + 10 * M, tick=False):
        services_alerts.alert_acknowledge(actor=hq_analyst, alert=alert)
        services_alerts.alert_acknowledge(actor=hq_analyst, alert=alert)  # twice: no second entry
    assert services_alerts.alerts_escalate(now=NOW + H) == []
    alert.refresh_from_db()
    assert (alert.acknowledged_at, alert.acknowledged_by, alert.escalated_at) == (
        NOW + 10 * M,
        hq_analyst,
        None,
    )
    [entry] = AuditEntry.objects.filter(object_type="monitor.alert")
    assert (entry.action, entry.actor, entry.after) == (
        AuditAction.UPDATE,
        hq_analyst,
        {"acknowledged_at": (NOW + 10 * M).isoformat()},
    )


def test_who_may_acknowledge(org: None, tehran_officer: User, hq_admin: User) -> None:
    _rule, alert = _escalating()
    manager = factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)
    for refused in (tehran_officer, hq_admin):
        with pytest.raises(PermissionDenied):
            services_alerts.alert_acknowledge(actor=refused, alert=alert)
    assert services_alerts.alert_acknowledge(actor=manager, alert=alert).acknowledged_by == manager


def test_rule_save_validates_and_generates_the_secret(
    org: None, hq_analyst: User, tehran_officer: User
) -> None:
    query = watch()
    with pytest.raises(ValidationError) as error:
        services_alerts.alert_rule_save(actor=hq_analyst, name="منفی", kind="negative_story")
    assert list(error.value.message_dict) == ["query"]
    with pytest.raises(ValidationError) as error:
        services_alerts.alert_rule_save(
            actor=hq_analyst,
            name="وب",
            kind="reach",
            channels=["webhook"],
            webhook_url="http://hooks.example/x",
        )
    assert list(error.value.message_dict) == ["webhook_url"]
    with pytest.raises(ValidationError) as error:
        services_alerts.alert_rule_save(
            actor=hq_analyst, name="ا", kind="reach", channels=["email"], emails="nope"
        )
    assert list(error.value.message_dict) == ["emails"]
    with pytest.raises(PermissionDenied):
        services_alerts.alert_rule_save(actor=tehran_officer, name="x", kind="reach")

    saved = services_alerts.alert_rule_save(
        actor=hq_analyst,
        name="وب",
        kind="negative_story",
        query=query,
        channels=["email", "webhook", "in_app"],
        emails="duty@tabyin.example",
        webhook_url="http://127.0.0.1:8080/hook",
    )
    assert saved.channels == ["in_app", "webhook", "email"]
    assert len(saved.webhook_secret) == 64 and int(saved.webhook_secret, 16) >= 0
    [entry] = AuditEntry.objects.filter(object_type="monitor.alertrule")
    assert (entry.action, entry.after["webhook_secret"], entry.after["query"]) == (
        AuditAction.CREATE,
        "set",
        query.pk,
    )
    kept = saved.webhook_secret
    services_alerts.alert_rule_save(actor=hq_analyst, rule=saved, threshold=3.0)
    saved.refresh_from_db()
    assert (saved.webhook_secret, saved.threshold) == (kept, 3.0)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_story_store_one_alert(org: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both read "not fired yet", both insert; the constraint lets one through, the other moves on."""
    import threading

    from django.db import connections

    query = watch()
    reach = rule("reach", threshold=1)
    item = story(at=NOW)
    spread(item, [NOW], query=query)
    both_read = threading.Barrier(2, timeout=10)
    real = services_alerts._facts

    def facts_then_wait(*args: Any) -> Any:
        found = real(*args)
        both_read.wait()
        return found

    monkeypatch.setattr(services_alerts, "_facts", facts_then_wait)
    results: list[list[int]] = []

    def worker() -> None:
        try:
            results.append(services_alerts.alerts_evaluate(story_ids=[item.pk], now=NOW))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(len(r) for r in results) == [0, 1]
    assert list(Alert.objects.values_list("rule_id", "story_id")) == [(reach.pk, item.pk)]
    assert Delivery.objects.count() == 1
