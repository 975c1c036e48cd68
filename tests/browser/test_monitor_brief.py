"""The daily brief in a real browser, in Persian: a senior manager opens the list, builds today's
brief, reads yesterday's as it was e-mailed (desktop and a 360 px phone) and its story links lead
to the story pages. Screenshots go to test-artifacts/screenshots/ (monitor-brief-*)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.monitor.briefs.services import brief_build
from tests import factories
from tests.browser.conftest import RecordingPage
from tests.conftest import verified_client
from tests.monitor.test_brief_content import DAY, at, brief_day, story_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: RecordingPage, user: Any, live_server: LiveServer) -> None:
    client = verified_client(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_a_manager_reads_the_daily_brief(
    live_server: LiveServer, page: RecordingPage, phone: RecordingPage, settings: Any
) -> None:
    # The e-mailed brief names its fonts and story pages by the site's public address.
    settings.TABYIN_SITE_URL = live_server.url
    factories.seed_org()
    day = brief_day()
    brief_build(day=DAY, now=at(1, "07:00"))
    manager = factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)

    sign_in(page, manager, live_server)
    p = page.page
    p.goto(f"{live_server.url}/staff/monitor/briefs/")
    expect(p.locator('tr[data-day="2025-12-05"]')).to_contain_text("۱۴ آذر ۱۴۰۴")
    page.shot("monitor-brief-list-fa")

    p.locator('tr[data-day="2025-12-05"] a').first.click()
    expect(p.get_by_test_id("when")).to_contain_text("۱۴ آذر ۱۴۰۴")
    expect(p.get_by_test_id("mentions")).to_have_text("۹")
    # Two: the day's third new story (s7) has no post about the organization (relevance rule).
    expect(p.get_by_test_id("new-stories")).to_have_text("۲")
    expect(p.get_by_test_id("stories").locator("li")).to_have_count(3)
    expect(p.get_by_test_id("provinces")).to_contain_text("اصفهان")
    # The inline stylesheet is allowed by its hash, and the shipped font is used.
    assert p.evaluate("getComputedStyle(document.querySelector('h1')).color") == "rgb(11, 79, 138)"
    p.evaluate("document.fonts.ready")
    assert p.evaluate("document.fonts.check('16px Vazirmatn', 'ایران')") is True
    page.shot("monitor-brief-page-fa")

    sign_in(phone, manager, live_server)
    phone.page.goto(f"{live_server.url}/staff/monitor/briefs/2025-12-05/")
    expect(phone.page.get_by_test_id("mentions")).to_have_text("۹")
    # Readable on a phone: nothing wider than the screen.
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.shot("monitor-brief-page-phone-fa")

    # Each story links to its page (none while the dashboard has no story page), relative to the
    # site on the web (the e-mailed copy names the site).
    link = p.get_by_test_id("stories").locator("li").first.locator("a")
    expected = story_link(day.stories["s1"].pk)
    if expected:
        expect(link).to_have_attribute("href", urlsplit(expected).path)
    else:
        expect(link).to_have_count(0)


def test_building_todays_brief_from_the_list(
    live_server: LiveServer, page: RecordingPage, settings: Any
) -> None:
    settings.TABYIN_SITE_URL = live_server.url
    factories.seed_org()
    brief_day()
    analyst = factories.persona("hq.analyst", "hq", Role.ANALYST)

    sign_in(page, analyst, live_server)
    p = page.page
    with time_machine.travel(at(0, "10:50"), tick=True):
        p.goto(f"{live_server.url}/staff/monitor/briefs/")
        p.get_by_test_id("build").locator("button").click()
        expect(p.get_by_test_id("mentions")).to_have_text("۵")
    assert p.url == f"{live_server.url}/staff/monitor/briefs/2025-12-05/"
    expect(p.get_by_test_id("when")).to_contain_text("۱۰:۵۰")
