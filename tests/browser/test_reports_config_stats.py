"""The administrator's configuration pages and the public statistics page in a real browser, in
Persian: the units overview, the routing preview and the statistics on a phone. Screenshots go to
test-artifacts/screenshots/."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import override_settings
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.reports.models import Category, Report
from tests import factories
from tests.browser.conftest import RecordingPage
from tests.browser.test_reports_staff import sign_in
from tests.reports import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _setup() -> None:
    factories.seed_org()
    if not Category.objects.exists():  # transactional tests flush the migration's rows
        importlib.import_module("tabyin.reports.migrations.0002_default_categories").install(apps, None)
    helpers.keys_for(factories.persona("tehran.security", "ir-23-security", Role.CASE_HANDLER))
    helpers.keys_for(factories.persona("hq.inspection", "hq-inspection", Role.CASE_HANDLER))
    for _ in range(6):
        helpers.submit()
    closed = helpers.submit(category="service_delay", q_service="pension")
    Report.objects.filter(pk=closed.report.pk).update(status="closed_substantiated")
    # Published figures stop at the end of the last complete month: these count from last month.
    Report.objects.update(received_at=timezone.now() - timedelta(days=40))


@override_settings(TABYIN_REPORTS_STATS_MIN_COUNT=5)
def test_administrator_sees_units_and_routing_but_no_report_and_the_public_sees_counts(
    live_server: LiveServer, page: RecordingPage, phone: RecordingPage
) -> None:
    _setup()
    admin = factories.persona("hq.admin", "hq", Role.ADMINISTRATOR)
    sign_in(page, admin, live_server)
    p = page.page

    p.goto(f"{live_server.url}/staff/reports/config/units/")
    assert p.locator("h1").inner_text() != ""
    page.shot("reports-config-units-fa")
    p.goto(f"{live_server.url}/staff/reports/config/rules/?category=bribery&province=IR-23&concerns=security")
    page.shot("reports-config-rules-fa")
    body = p.locator("body").inner_text()
    assert "کارمند باجه" not in body  # no report text anywhere on the administrator's pages

    phone.page.goto(f"{live_server.url}/reports/statistics/")
    phone.shot("reports-statistics-phone")
    text = phone.page.locator("main").inner_text()
    assert "۵" in text  # six bribery reports, at or above the threshold: shown, rounded to 5
    assert phone.page.locator('tr[data-key="bribery"]').get_attribute("data-count") == "5"
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.outside_requests() == [] and phone.outside_requests() == []
