"""Public meetings in Chromium, in Persian, on a 390 px phone without JavaScript and on a desktop:
the list with every commitment (the overdue one first), a meeting's page, booking a seat with the
code from the SMS outbox, and voting a question up. Nothing is wider than the screen."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.core.sms import console
from tabyin.reception.meetings import demo
from tabyin.reception.meetings.models import Meeting, Registration
from tests import factories
from tests.browser.conftest import RecordingPage, _page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meetings(org: None) -> None:
    factories.persona("hq.analyst", "hq", Role.ANALYST)
    demo.load()
    console.clear()


@pytest.fixture
def phone(browser: Browser) -> Iterator[RecordingPage]:
    yield from _page(
        browser,
        viewport={"width": 390, "height": 800},
        device_scale_factor=2,
        is_mobile=True,
        locale="fa-IR",
        java_script_enabled=False,
    )


def _fits(page: RecordingPage, width: int) -> None:
    assert page.page.evaluate("document.documentElement.scrollWidth") <= width


def test_book_a_seat_and_vote_on_a_phone_without_javascript(
    live_server: LiveServer, phone: RecordingPage, meetings: None
) -> None:
    p = phone.page
    p.goto(live_server.url + "/meetings/")
    assert p.locator("h1").inner_text() == "نشست‌های مردمی و آنچه وعده داده شد"
    first = p.locator("table.mt-commitments tbody tr").first
    assert first.get_attribute("class") == "mt-overdue"
    assert "گذشته از مهلت" in first.inner_text()
    # The provinces of upcoming meetings, on a map and in a table.
    assert p.locator("figure.mt-map svg .province.marked").count() == 1
    assert p.locator("table.mt-map-table tbody th").all_inner_texts() == ["اصفهان"]
    _fits(phone, 390)
    phone.shot("reception-meetings-index-390")

    coming = Meeting.objects.get(state="open")
    p.goto(f"{live_server.url}/meetings/{coming.pk}/")
    assert "همهٔ صندلی‌ها پر شده‌اند" in p.locator("#register-title + p").inner_text()
    p.fill("#id_name", "نرگس موسوی")
    p.fill("#id_contact", "۰۹۳۵ ۱۱۱ ۲۲۳۳")
    p.locator("form[action$='/register/'] button[type='submit']").click()
    assert p.url.startswith(f"{live_server.url}/meetings/registration/")
    sent = console.last_to("+989351112233")
    assert sent is not None
    code = re.search(r"[۰-۹]{6}", sent.text)
    assert code is not None
    p.fill("#id_code", code.group())
    p.locator("form.card button[type='submit']").click()
    assert p.locator(".mt-state").inner_text() == "در فهرست انتظار · نفر ۳ در صف هستید"
    _fits(phone, 390)
    phone.shot("reception-meetings-registration-390")

    p.goto(f"{live_server.url}/meetings/{coming.pk}/")
    p.locator(".mt-vote button").first.click()
    assert "رأی شما شمرده شد." in p.locator(".messages").inner_text()
    assert p.locator(".mt-vote span").first.inner_text() == "۱۵ رأی"
    _fits(phone, 390)
    phone.shot("reception-meetings-meeting-390")
    assert Registration.objects.filter(meeting=coming, state="waitlisted").count() == 3


def test_the_pages_on_a_desktop(live_server: LiveServer, page: RecordingPage, meetings: None) -> None:
    held = Meeting.objects.get(state="held")
    page.page.goto(f"{live_server.url}/meetings/{held.pk}/")
    assert page.page.locator(".mt-promises li").count() == 3
    assert page.page.locator("figure.mt-map svg").get_attribute("role") == "img"
    assert page.page.locator("figure.mt-map svg title").first.text_content() == "نقشه: استان تهران"
    page.shot("reception-meetings-held-1280")
    page.page.goto(live_server.url + "/meetings/")
    page.shot("reception-meetings-index-1280")
