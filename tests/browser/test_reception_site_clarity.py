"""The transparency site's "was this clear?" answers on reception's polls list, in a real browser in
Persian at 390 px and 1280 px: no sideways scroll on the phone, no WCAG violation.
Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from tabyin.core.models import User
from tabyin.portal.feedback import services as feedback
from tabyin.portal.models import Indicator
from tests.browser.axe import violations
from tests.browser.conftest import _page
from tests.conftest import verified_client
from tests.portal.test_public_pages import sample_figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_site_answers_on_the_polls_list(
    browser: Browser, live_server: LiveServer, hq_analyst: User
) -> None:
    cache.clear()
    sample_figures()
    indicator = Indicator.objects.get(code="coverage-rate").pk
    for clear in (True, True, True, False):
        feedback.feedback_record(
            target="indicator", target_id=indicator, clear=clear, comment="", language="fa"
        )
    cookie = verified_client(hq_analyst).cookies[settings.SESSION_COOKIE_NAME].value
    for width in (390, 1280):
        for view in _page(browser, viewport={"width": width, "height": 844}, locale="fa-IR"):
            view.page.context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
            view.page.goto(f"{live_server.url}/staff/reception/polls/")
            section = view.page.get_by_test_id("site-clarity")
            expect(section).to_contain_text("نرخ پوشش بیمه‌ای")
            expect(section.get_by_role("row", name="همهٔ روزها ۳ ۱ ۴ ۷۵٪ ۳۰٪ تا ۹۵٪")).to_be_visible()
            if width == 390:
                assert view.page.evaluate("document.documentElement.scrollWidth") <= 390
            assert violations(view.page) == []
            view.shot(f"reception-site-clarity-{width}")
