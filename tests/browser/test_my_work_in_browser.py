"""The staff home's "my work" and the notification settings in a real browser, in Persian, at
1280 px and 390 px (the phone without JavaScript): a case handler's open cases by urgency with the overdue one
first and marked, the count in the menu, no WCAG 2.1 AA violation, nothing wider than the phone;
the settings form refuses half quiet hours in Persian and keeps what was typed.
Screenshots: my-work-fa.png, my-work-phone.png, notifications-fa.png, notifications-phone.png."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.core.models import NotifyPreference
from tabyin.reports.models import Category, Report
from tests import factories
from tests.browser.axe import violations
from tests.browser.conftest import RecordingPage
from tests.browser.test_reports_staff import sign_in
from tests.reports import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_my_work_and_notification_settings_in_persian(
    live_server: LiveServer, page: RecordingPage, phone390: RecordingPage
) -> None:
    factories.seed_org()
    if not Category.objects.exists():  # transactional tests flush the migration's rows
        importlib.import_module("tabyin.reports.migrations.0002_default_categories").install(apps, None)
    handler = factories.persona("tehran.security", "ir-23-security", Role.CASE_HANDLER)
    helpers.keys_for(handler)
    first = helpers.submit(what="در شعبهٔ ۵ برای تمدید دفترچه مبلغی اضافه بر تعرفه گرفتند و رسید ندادند.")
    late = helpers.submit(place_name="بیمارستان امام", place_kind="hospital", q_paid="yes", q_method="cash")
    Report.objects.filter(pk=late.report.pk).update(due_at=timezone.now() - timedelta(days=2))

    for recording in (page, phone390):
        sign_in(recording, handler, live_server)
        recording.page.goto(f"{live_server.url}/staff/")
    p = page.page
    items = p.locator("[data-testid=work-item]")
    assert items.count() == 2
    assert items.nth(0).locator("a").get_attribute("href") == f"/staff/reports/{late.report.pk}/"
    assert "گذشته از مهلت" in items.nth(0).inner_text()
    assert items.nth(1).locator("a").get_attribute("href") == f"/staff/reports/{first.report.pk}/"
    assert (
        p.locator("[data-testid=my-work] p").first.inner_text()
        == "۲ کار در انتظار شماست · ۱ کار گذشته از مهلت"
    )
    assert [" ".join(c.inner_text().split()) for c in p.locator("[data-testid=nav-count]").all()] == [
        "۲ در انتظار",
        "۲ در انتظار",
    ]
    assert violations(p) == []
    page.shot("my-work-fa")
    phone390.shot("my-work-phone")
    assert phone390.page.evaluate("document.documentElement.scrollWidth") <= 390

    for recording in (page, phone390):
        recording.page.goto(f"{live_server.url}/staff/notifications/")
    p.fill("#id_quiet_from", "22:00")
    p.get_by_role("button", name="ذخیره").click()
    p.wait_for_load_state()
    assert "هر دو سر ساعت‌های سکوت را بدهید، یا هیچ‌کدام را." in p.inner_text("main")
    assert p.input_value("#id_quiet_from") == "22:00"
    assert not NotifyPreference.objects.exists()
    assert violations(p) == []
    page.shot("notifications-fa")
    phone390.shot("notifications-phone")
    assert phone390.page.evaluate("document.documentElement.scrollWidth") <= 390
