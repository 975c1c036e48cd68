"""Alerts in a real browser, in Persian: an analyst sees the open alert first, acknowledges it, and
adds a rule; the page fits a phone. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.monitor.models import Alert, AlertRule
from tests import factories
from tests.browser.conftest import RecordingPage
from tests.browser.test_reports_staff import sign_in
from tests.monitor.test_alerts_helpers import rule, story, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_analyst_acknowledges_an_alert_and_adds_a_rule(
    live_server: LiveServer, page: RecordingPage, phone: RecordingPage
) -> None:
    factories.seed_org()
    analyst = factories.persona("hq.analyst", "hq", Role.ANALYST)
    query = watch()
    reach = rule("reach", threshold=5, name="بازنشر گسترده")
    old = Alert.objects.create(
        rule=reach, story=story("خبر قدیمی", at=NOW), created_at=NOW, reason="خبر به ۵ کانال رسیده است."
    )
    new = Alert.objects.create(
        rule=reach,
        story=story("شایعهٔ قطع مستمری بازنشستگان", at=NOW),
        created_at=NOW + timedelta(hours=1),
        reason="خبر به ۷ کانال رسیده است.",
    )
    Alert.objects.filter(pk=old.pk).update(acknowledged_at=NOW, acknowledged_by=analyst)
    sign_in(page, analyst, live_server)
    p = page.page

    p.goto(f"{live_server.url}/staff/monitor/alerts/?status=all")
    cards = p.locator("[data-testid=alert]")
    assert [cards.nth(i).get_attribute("data-pk") for i in range(cards.count())] == [str(new.pk), str(old.pk)]
    assert cards.nth(0).locator("h2").inner_text() == "شایعهٔ قطع مستمری بازنشستگان"
    page.shot("monitor-alerts-fa")
    cards.nth(0).locator("[data-testid=ack-form] button").click()
    p.wait_for_load_state()
    new.refresh_from_db()
    assert new.acknowledged_by == analyst
    assert p.locator(f"[data-testid=alert][data-pk='{new.pk}'] [data-testid=acknowledged]").count() == 1

    p.goto(f"{live_server.url}/staff/monitor/alerts/rules/add/")
    p.fill("#id_name", "منفی دربارهٔ سازمان")
    p.select_option("#id_kind", "negative_story")
    p.select_option("#id_query", str(query.pk))
    p.fill("#id_threshold", "1")
    p.fill("#id_min_channels", "1")
    p.fill("#id_escalate_after_minutes", "20")
    p.fill("#id_escalate_emails", "boss@tabyin.example")
    p.locator("[data-testid=rule-form] button[type=submit]").click()
    p.wait_for_load_state()
    saved = AlertRule.objects.get(name="منفی دربارهٔ سازمان")
    assert (saved.kind, saved.query_id, saved.escalate_after_minutes) == ("negative_story", query.pk, 20)
    page.shot("monitor-alert-rule-fa")

    sign_in(phone, analyst, live_server)
    phone.page.goto(f"{live_server.url}/staff/monitor/alerts/?status=all")
    phone.shot("monitor-alerts-phone")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.outside_requests() == [] and phone.outside_requests() == []
