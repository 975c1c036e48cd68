"""Comprehension polls in a real browser, in Persian: a citizen answers on a 390 px phone with
JavaScript turned off (one tap per question, one submit), a second answer is refused; the HQ
analyst reads the results at 1280 px. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from tabyin.core.models import User
from tabyin.reception.polls import services
from tabyin.reception.polls.models import Response
from tests.browser.axe import violations
from tests.browser.conftest import _page
from tests.conftest import verified_client
from tests.reception.polls_helpers import make_poll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEHRAN = ZoneInfo("Asia/Tehran")
ROWS = (  # token, choice, clarity, open answer, province, day of December
    ("a", "0", "5", "نمودار فروردین را نفهمیدم", "IR-23", 1),
    ("b", "0", "4", "", "IR-23", 1),
    ("c", "2", "2", "جهش نمودار فروردین گیج‌کننده بود", "IR-23", 2),
    ("d", "0", "3", "درصد افزایش مستمری را بنویسید", "IR-10", 2),
    ("e", "1", "3", "", "IR-10", 3),
    ("f", "0", "5", "", "", 3),
)


def test_answer_on_a_phone_without_javascript_and_read_results(
    browser: Browser, live_server: LiveServer, hq_analyst: User
) -> None:
    poll = make_poll(hq_analyst)
    for token, q1, q2, q3, iso, day in ROWS:
        at = datetime(2026, 12, day, 10, tzinfo=TEHRAN)
        services.response_submit(
            poll=poll, token=token, answers={"q1": q1, "q2": q2, "q3": q3}, province_iso=iso, at=at
        )
    url = f"{live_server.url}/reception/polls/{poll.pk}/"
    for phone in _page(
        browser, viewport={"width": 390, "height": 844}, locale="fa-IR", java_script_enabled=False
    ):
        p = phone.page
        p.goto(url)
        expect(p.locator("h1")).to_have_text("نظرسنجی آزمایشی")
        assert p.evaluate("document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways
        phone.shot("reception-poll-390")
        p.get_by_label("فروردین").check()
        p.get_by_label("۴ — روشن بود").check()
        p.get_by_label("استان شما (اختیاری)").select_option("IR-14")
        p.get_by_role("button", name="فرستادن پاسخ").click()
        expect(p.get_by_test_id("thanks")).to_contain_text("پاسخ شما به «نظرسنجی آزمایشی» در")
        phone.shot("reception-poll-thanks-390")
        p.goto(url)
        expect(p.get_by_test_id("already")).to_contain_text("هر مرورگر یک بار پاسخ می‌دهد.")
        phone.shot("reception-poll-answered-390")
    assert Response.objects.filter(province__iso_code="IR-14").count() == 1
    assert Response.objects.count() == len(ROWS) + 1

    for desk in _page(browser, viewport={"width": 1280, "height": 800}, locale="fa-IR"):
        client = verified_client(hq_analyst)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        desk.page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
        desk.page.goto(f"{live_server.url}/staff/reception/polls/{poll.pk}/")
        expect(desk.page.get_by_test_id("responses")).to_have_text("۷ پاسخ")
        expect(desk.page.get_by_test_id("overall-1")).to_contain_text("۷۱٪")  # 5 of 7 correct
        desk.shot("reception-poll-results-1280")
        assert violations(desk.page) == []
        desk.page.goto(f"{live_server.url}/staff/reception/polls/")
        desk.shot("reception-polls-list-1280")
