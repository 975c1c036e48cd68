"""The source health page in a real browser, in Persian, on a desktop and a phone. Screenshots go
to test-artifacts/screenshots/ (monitor-sources-fa.png, monitor-sources-phone.png)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.monitor.enums import FetchOutcome, SourceStatus
from tabyin.monitor.models import FetchLog, Source
from tests import factories
from tests.browser.conftest import RecordingPage
from tests.browser.test_reports_staff import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _setup() -> Source:
    factories.seed_org()
    now = timezone.now()
    Source.objects.create(
        kind="telegram", handle="akhbarefori", name="خبر فوری", host="t.me", status=SourceStatus.OK,
        last_success_at=now - timedelta(minutes=1), interval_seconds=120,
        next_poll_at=now + timedelta(minutes=1),
        posts_per_day=712.4,
    )  # fmt: skip
    Source.objects.create(
        kind="eitaa", handle="tamin_news", name="اخبار تأمین اجتماعی", host="eitaa.com",
        status=SourceStatus.OK,
        last_success_at=now - timedelta(minutes=20), interval_seconds=1800,
        next_poll_at=now + timedelta(minutes=10),
        posts_per_day=48,
    )  # fmt: skip
    bad = Source.objects.create(
        kind="rss", handle="isna", name="ایسنا", url="https://www.isna.ir/rss", host="www.isna.ir",
        status=SourceStatus.ERROR, last_error="نشانی به جای خوراک RSS یا Atom یک صفحهٔ وب برگرداند.",
        consecutive_failures=3, interval_seconds=7200, last_success_at=now - timedelta(days=1),
        next_poll_at=now + timedelta(minutes=4),
    )  # fmt: skip
    Source.objects.create(
        kind="telegram", handle="farsna", name="خبرگزاری فارس", host="t.me", status=SourceStatus.BACKOFF,
        last_error="سرور می‌خواهد آهسته‌تر بخوانیم (HTTP 429)؛ تلاش بعدی پس از ۹۰۰ ثانیه.",
        consecutive_failures=1, next_poll_at=now + timedelta(minutes=15),
    )  # fmt: skip
    FetchLog.objects.create(
        source=bad, started_at=now, outcome=FetchOutcome.ERROR, http_status=200, error=bad.last_error,
        raw=b"<!DOCTYPE html><html></html>",
    )  # fmt: skip
    return bad


def test_health_page_in_persian_on_desktop_and_phone(
    live_server: LiveServer, page: RecordingPage, phone: RecordingPage
) -> None:
    bad = _setup()
    analyst = factories.persona("hq.analyst", "hq", Role.ANALYST)
    for recording in (page, phone):
        sign_in(recording, analyst, live_server)
        recording.page.goto(f"{live_server.url}/staff/monitor/sources/")
    p = page.page
    assert p.locator("h1").inner_text() == "سلامت منابع" or p.locator("h1").inner_text() == "Source health"
    rows = p.locator("[data-testid=source-row]")
    assert rows.count() == 4
    assert rows.first.get_attribute("data-key") == "rss:isna"  # the failing source first
    assert "۷۱۲" in p.locator("[data-key='telegram:akhbarefori']").inner_text()
    page.shot("monitor-sources-fa")
    phone.shot("monitor-sources-phone")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    p.goto(f"{live_server.url}/staff/monitor/sources/{bad.pk}/")
    assert p.locator("[data-testid=raw-link]").count() == 1
    page.shot("monitor-source-fa")
