"""Campaigns in a real browser, in Persian: the demo's voluntary-insurance campaign as the senior
manager reads it (1280 px and 390 px), a message's previews per channel, the public news page and
the newsletter's sign-up on a phone without JavaScript. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer
from pytest_httpserver import HTTPServer

from tabyin.campaigns import demo
from tabyin.campaigns.outbox import services_reach
from tabyin.campaigns.outbox.models import Delivery, Message
from tabyin.campaigns.plan.models import Campaign
from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.monitor.models import Source
from tests import factories
from tests.browser.axe import violations
from tests.browser.conftest import _page
from tests.conftest import verified_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAMPLES = Path(__file__).resolve().parents[2] / "src" / "tabyin" / "monitor" / "sources"


@pytest.fixture
def manager(org: None) -> User:
    return factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)


def _views_read(httpserver: HTTPServer, sent: Message) -> None:
    """The demo's Telegram and Eitaa posts read from recorded preview pages on a local server: the
    monitor follows both channels there, and the local bots answered the recorded pages' post ids."""
    caches["shared"].clear()
    for kind, handle, sample, post in (
        ("telegram", "tamin_telegram", "telegram/samples/akhbarefori.html", "48212"),
        ("eitaa", "tamin_eitaa", "eitaa/samples/tamin_news.html", "9120"),
    ):
        Source.objects.create(kind=kind, handle=handle, url=httpserver.url_for(f"/{handle}"), is_owned=True)
        httpserver.expect_request(f"/{handle}").respond_with_data(
            (SAMPLES / sample).read_bytes(), content_type="text/html"
        )
        Delivery.objects.filter(message=sent, channel=kind).update(external_id=post)
    assert services_reach.views_read(now=timezone.now()) == {"read": 2, "unknown": 1}


def test_the_campaign_page_and_the_public_pages(
    browser: Browser, live_server: LiveServer, hq_analyst: User, manager: User, httpserver: HTTPServer
) -> None:
    demo.load()
    campaign = Campaign.objects.get(is_sample=True)
    sent = Message.objects.get(campaign=campaign, state="released")
    _views_read(httpserver, sent)
    draft = Message.objects.get(campaign=campaign, state="draft")
    cookie = verified_client(manager).cookies[settings.SESSION_COOKIE_NAME].value
    for width, height in ((1280, 900), (390, 844)):
        for desk in _page(browser, viewport={"width": width, "height": height}, locale="fa-IR"):
            p = desk.page
            p.context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
            p.goto(f"{live_server.url}/staff/campaigns/{campaign.pk}/")
            expect(p.locator("h1")).to_have_text(demo.TITLE)
            reach = p.get_by_test_id("reach")
            expect(reach.locator("tr[data-channel='telegram'] td").nth(2)).to_have_text("۹۸۷")
            expect(reach.locator("tr[data-channel='eitaa'] td").nth(2)).to_have_text("۲٬۱۰۴٬۰۰۰")
            expect(reach.locator("tr[data-channel='bale'] td").nth(2)).to_have_text("نامعلوم")
            expect(reach.locator("tr[data-channel='sms'] td").nth(2)).to_have_text("نامعلوم")
            posts = p.get_by_test_id("posts")
            expect(posts.locator("tr[data-channel='telegram'] td").nth(2)).to_have_text("۹۸۷")
            expect(posts.locator("tr[data-channel='bale'] td").nth(2)).to_have_text("نامعلوم")
            expect(p.get_by_test_id("methods").locator("tr[data-method='staggered'] th")).to_contain_text(
                "نخست این را بخوانید"
            )
            assert p.evaluate("document.documentElement.scrollWidth") <= width
            desk.shot(f"campaign-page-{width}")
            assert violations(p) == []
            p.goto(f"{live_server.url}/staff/campaigns/messages/{sent.pk}/")
            expect(p.get_by_test_id("ledger").locator("tr[data-channel='newsletter'] td").first).to_have_text(
                "۴۰"
            )
            desk.shot(f"campaign-message-sent-{width}")
            p.goto(f"{live_server.url}/staff/campaigns/messages/{draft.pk}/")
            expect(p.get_by_test_id("approve")).to_have_text("تأیید و فرستادن اکنون")
            desk.shot(f"campaign-message-draft-{width}")
            assert violations(p) == []
            p.goto(f"{live_server.url}/news/{sent.slug}/")
            assert violations(p) == []
    for phone in _page(
        browser, viewport={"width": 390, "height": 844}, locale="fa-IR", java_script_enabled=False
    ):
        p = phone.page
        p.goto(f"{live_server.url}/news/{sent.slug}/")
        expect(p.locator("h1")).to_have_text(sent.title)
        assert p.locator("meta[property='og:title']").get_attribute("content", timeout=1000) is not None
        phone.shot("campaign-news-390")
        p.goto(f"{live_server.url}/newsletter/")
        p.get_by_label("نشانی رایانامهٔ شما").fill("reader@example.org")
        p.get_by_role("button", name="اشتراک").click()
        expect(p.get_by_test_id("asked")).to_contain_text("رایانامهٔ تأیید در راه است")
        phone.shot("campaign-newsletter-390")


def test_the_plan_form_and_materials_without_javascript(
    browser: Browser, live_server: LiveServer, hq_analyst: User, manager: User
) -> None:
    """The organizer's plan form in Persian at 1280 and 390 px: launch months per province, the
    suggested balanced split filled into the form (with JavaScript off: the form needs none), and
    the materials page; axe runs where JavaScript is on."""
    demo.load()
    campaign = Campaign.objects.get(is_sample=True)
    cookie = verified_client(hq_analyst).cookies[settings.SESSION_COOKIE_NAME].value
    for width, height, script in ((1280, 900, True), (390, 844, True), (390, 844, False)):
        for desk in _page(
            browser, viewport={"width": width, "height": height}, locale="fa-IR", java_script_enabled=script
        ):
            p = desk.page
            p.context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
            p.goto(f"{live_server.url}/staff/campaigns/{campaign.pk}/plan/")
            expect(p.locator("h1")).to_have_text("استان‌ها و ماه آغاز")
            p.get_by_role("button", name="پیشنهاد تقسیم هم‌تراز").click()
            expect(p.get_by_test_id("suggestion")).to_contain_text("استان‌های پیشنهادی برای کنار گذاشتن")
            held = p.locator("[data-testid='plan-provinces'] select option[value='held_out']:checked")
            expect(held).to_have_count(6)
            if not script:
                continue
            assert p.evaluate("document.documentElement.scrollWidth") <= width
            desk.shot(f"campaign-plan-{width}")
            assert violations(p) == []
            p.goto(f"{live_server.url}/staff/campaigns/{campaign.pk}/materials/")
            expect(p.locator("h1")).to_have_text("مواد پیوست")
            assert p.evaluate("document.documentElement.scrollWidth") <= width
            desk.shot(f"campaign-materials-{width}")
            assert violations(p) == []
