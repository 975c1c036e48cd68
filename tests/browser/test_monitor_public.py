"""The public clarifications and the "is this true?" tipline in a real browser, in Persian, with
JavaScript off: a reader on a 360 px phone reads the list and one answer, sends the form empty (and
is told what to fix), then sends an item with an e-mail address and lands on the thank-you page. The
same pages on a desktop. Nothing comes from other hosts and nothing is wider than the screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.monitor.enums import TipStatus
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import Response, Tip
from tabyin.monitor.responses import services as services_responses
from tests import factories
from tests.browser.conftest import RecordingPage, _page
from tests.browser.test_reports_staff import sign_in
from tests.monitor.answering import (
    ANSWER_BODY,
    ANSWER_TITLE,
    PUBLISHED,
    RUMOR,
    T0,
    ingest_rumor,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_js_phone(browser: Browser) -> Iterator[RecordingPage]:
    yield from _page(
        browser,
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        locale="fa-IR",
        java_script_enabled=False,
    )


@pytest.fixture
def no_js_desktop(browser: Browser) -> Iterator[RecordingPage]:
    yield from _page(
        browser, viewport={"width": 1280, "height": 800}, locale="fa-IR", java_script_enabled=False
    )


@pytest.fixture
def clarification(db: Any) -> Response:
    services_ingest.reset_index()
    factories.seed_org()
    analyst = factories.persona("hq.analyst", "hq", Role.ANALYST)
    manager = factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)
    with time_machine.travel(T0 + (PUBLISHED - T0) / 2, tick=False):
        story = ingest_rumor()
    services_responses.story_flag_rumor(actor=analyst, story=story)
    draft = services_responses.response_save_draft(
        actor=analyst, story=story, title=ANSWER_TITLE, body=ANSWER_BODY
    )
    services_responses.response_submit(actor=analyst, response=draft)
    services_responses.response_approve(actor=manager, response=draft)
    with time_machine.travel(PUBLISHED, tick=False):
        return services_responses.response_publish(actor=manager, response=draft)


def _fits(page: RecordingPage, width: int) -> None:
    assert page.page.evaluate("document.documentElement.scrollWidth") <= width


def test_read_and_ask_on_a_phone_without_javascript(
    live_server: LiveServer, no_js_phone: RecordingPage, clarification: Response
) -> None:
    phone, p = no_js_phone, no_js_phone.page
    p.goto(f"{live_server.url}/clarifications/")
    assert p.locator("html").get_attribute("dir") == "rtl"
    items = p.locator(".mp-item")
    assert items.count() == 1
    assert items.locator("h2").inner_text() == ANSWER_TITLE
    assert items.locator("time").inner_text() == "۲۹ آبان ۱۴۰۵"
    phone.shot("monitor-clarifications-phone")
    _fits(phone, 360)

    items.locator("h2 a").click()
    assert p.locator("[data-testid=answer-title]").inner_text() == ANSWER_TITLE
    assert p.locator("[data-testid=claim]").inner_text() == clarification.story.title
    phone.shot("monitor-clarification-phone")
    _fits(phone, 360)

    p.locator(".mp-more a.button").click()
    assert p.url == f"{live_server.url}/clarifications/ask/"
    phone.shot("monitor-tipline-phone")
    _fits(phone, 360)

    p.locator("form.mp-form button[type=submit]").click()
    assert p.locator("[data-testid=problems] li").count() == 1
    assert p.locator("#id_text_error").count() == 1
    phone.shot("monitor-tipline-errors-phone")
    _fits(phone, 360)

    p.fill("#id_text", RUMOR)
    p.fill("#id_link", "https://t.me/hostile_news/101")
    p.fill("#id_contact", "reader@example.com")
    p.locator("form.mp-form button[type=submit]").click()
    assert p.url == f"{live_server.url}/clarifications/ask/thanks/"
    assert p.locator("[data-testid=thanks]").count() == 1
    phone.shot("monitor-tipline-thanks-phone")
    _fits(phone, 360)

    tip = Tip.objects.get()
    assert (tip.text, tip.link, tip.contact, tip.status) == (
        RUMOR,
        "https://t.me/hostile_news/101",
        "reader@example.com",
        TipStatus.LINKED,
    )
    assert tip.post is not None
    assert tip.post.story_id == clarification.story_id


def test_the_pages_on_a_desktop(
    live_server: LiveServer, no_js_desktop: RecordingPage, clarification: Response
) -> None:
    page, p = no_js_desktop, no_js_desktop.page
    p.goto(f"{live_server.url}/clarifications/")
    page.shot("monitor-clarifications-desktop")
    p.goto(f"{live_server.url}/clarifications/{clarification.pk}/")
    page.shot("monitor-clarification-desktop")
    p.goto(f"{live_server.url}/clarifications/ask/")
    p.fill("#id_contact", "not an address")
    p.locator("form.mp-form button[type=submit]").click()
    assert p.locator("[data-testid=problems] li").count() == 2
    page.shot("monitor-tipline-errors-desktop")
    _fits(page, 1280)
    p.goto(f"{live_server.url}/en/clarifications/{clarification.pk}/")
    assert p.locator("html").get_attribute("dir") == "ltr"
    assert p.locator("[data-testid=answered-on] time").inner_text() == "29 Aban 1405, 15:00"
    page.shot("monitor-clarification-desktop-en")


def test_the_staff_page_of_a_published_answer(
    live_server: LiveServer, page: RecordingPage, phone: RecordingPage, clarification: Response
) -> None:
    """Not public, but the other end of these pages: the manager's view after publishing."""
    manager = User.objects.get(username="hq.manager")
    for shown, name, width in ((page, "desktop", 1280), (phone, "phone", 360)):
        sign_in(shown, manager, live_server)
        shown.page.goto(f"{live_server.url}/staff/monitor/responses/{clarification.story_id}/")
        assert shown.page.locator("[data-testid=done]").count() == 1
        assert shown.page.locator("[data-testid=spread] tbody tr").count() == 10
        shown.shot(f"monitor-response-staff-{name}")
        _fits(shown, width)
    page.page.goto(f"{live_server.url}/staff/monitor/responses/")
    assert page.page.locator("[data-testid=queue] tbody tr").count() == 1
    page.shot("monitor-responses-queue-desktop")


def test_the_staff_page_of_a_draft(
    live_server: LiveServer, page: RecordingPage, phone: RecordingPage
) -> None:
    services_ingest.reset_index()
    factories.seed_org()
    analyst = factories.persona("hq.analyst", "hq", Role.ANALYST)
    manager = factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)
    with time_machine.travel(T0 + (PUBLISHED - T0) / 2, tick=False):
        story = ingest_rumor()
    services_responses.story_flag_rumor(actor=analyst, story=story)
    draft = services_responses.response_save_draft(
        actor=analyst, story=story, title=ANSWER_TITLE, body=ANSWER_BODY
    )
    services_responses.response_submit(actor=analyst, response=draft)
    services_responses.response_return(actor=manager, response=draft, note="منبع رقم‌ها را هم بنویسید.")
    for shown, name, width in ((page, "desktop", 1280), (phone, "phone", 360)):
        sign_in(shown, analyst, live_server)
        shown.page.goto(f"{live_server.url}/staff/monitor/responses/{story.pk}/")
        assert (
            shown.page.locator("[data-testid=review-note]").inner_text().endswith("منبع رقم‌ها را هم بنویسید.")
        )
        assert shown.page.locator("[data-testid=submit-form]").count() == 1
        shown.shot(f"monitor-response-draft-{name}")
        _fits(shown, width)
