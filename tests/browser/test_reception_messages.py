"""The managers' key-message pages in Chromium, in Persian, over the demo (the monitor's sample
week): on a 390 px phone without JavaScript and on a desktop. The distortion is shown side by side
with the changed fact marked; nothing is wider than the screen; axe finds nothing."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from tabyin.core.models import SealedTotpDevice, User
from tabyin.core.registry import registry
from tabyin.reception.messages.models import Announcement
from tests.browser.axe import violations
from tests.browser.conftest import RecordingPage, _page
from tests.conftest import verified_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.timeout(900)]


def _demo() -> None:
    steps = {step.app: step for step in registry.demo}
    quiet = logging.getLogger("tabyin.core.background")
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    try:
        for app in (
            "core",
            "portal",
            "monitor",
            "reception.polls",
            "reception.meetings",
            "reception.messages",
        ):
            steps[app].load()
    finally:
        quiet.setLevel(level)


def _signed_in(page: RecordingPage, live_server: LiveServer, username: str) -> None:
    user = User.objects.get(username=username)
    SealedTotpDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "browser"})
    cookie = verified_client(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_the_reception_page_on_a_phone_and_a_desktop(live_server: LiveServer, browser: Browser) -> None:
    _demo()
    announcement = Announcement.objects.get()
    url = f"{live_server.url}/staff/reception/messages/{announcement.pk}/"
    for phone in _page(
        browser,
        viewport={"width": 390, "height": 844},
        device_scale_factor=1,
        is_mobile=True,
        locale="fa-IR",
        java_script_enabled=False,
    ):
        _signed_in(phone, live_server, "hq.manager")
        phone.page.goto(f"{live_server.url}/staff/reception/messages/")
        assert "نمونه: اطلاعیهٔ سازمان" in phone.page.get_by_test_id("announcements").inner_text()
        phone.shot("reception-messages-list-390")
        phone.page.goto(url)
        assert phone.page.get_by_test_id("pull-1").inner_text() == "۵۷٪"  # 54 of 94 posts
        assert phone.page.get_by_test_id("fidelity-1").inner_text() == "۳۰٪"  # 16 of 54 not distorted
        cluster = phone.page.get_by_test_id("cluster")
        assert cluster.count() == 1
        assert "منفی شده است: «نمی‌شود»" in cluster.inner_text()
        assert cluster.locator("mark").first.inner_text() == "نمی‌شود"
        # The monitor's sample tipster asked about the rumor, which was answered.
        assert phone.page.get_by_test_id("tip-counts").inner_text() == "۱ پاسخ‌داده، ۰ در انتظار پاسخ."
        assert "آنچه انجام شد: پاسخ داده شد — پاسخ منتشرشده" in phone.page.get_by_test_id("tip").inner_text()
        # The linked poll's written answers, by theme (76 answers in 4 themes).
        assert phone.page.get_by_test_id("poll-themes").locator("li").count() == 4
        assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
        phone.shot("reception-messages-report-390")
    for desk in _page(browser, viewport={"width": 1280, "height": 800}, locale="fa-IR"):
        _signed_in(desk, live_server, "hq.manager")
        desk.page.goto(url)
        desk.shot("reception-messages-report-1280")
        assert violations(desk.page) == []
