"""The sentiment labelling page in a real browser, in Persian, on a desktop and a phone: one click
labels a post. Screenshots: monitor-sentiment-fa.png, monitor-sentiment-phone.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.monitor.models import Correction, Post
from tests import factories
from tests.browser.conftest import RecordingPage
from tests.browser.test_reports_staff import sign_in
from tests.monitor import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_label_page_in_persian_on_desktop_and_phone(
    live_server: LiveServer, page: RecordingPage, phone: RecordingPage
) -> None:
    factories.seed_org()
    analyst = factories.persona("hq.analyst", "hq", Role.ANALYST)
    source, story = builders.source("akhbar", name="خبر فوری"), builders.story("مستمری")
    now = timezone.now()
    texts = [
        "مستمری‌ها این ماه خوب واریز شد",
        "خدمات شعبه معمولی بود ولی کارمندان مودب بودند",
        "جلسه هیئت مدیره سازمان روز شنبه برگزار می‌شود",
        "صف‌های داروخانه‌ها خیلی طولانی است 😡",
    ]
    for i, text in enumerate(texts):
        builders.post(source, story, now - timedelta(minutes=i), text=text)
    for recording in (page, phone):
        sign_in(recording, analyst, live_server)
        recording.page.goto(f"{live_server.url}/staff/monitor/sentiment/")
    p = page.page
    assert p.locator("h1").inner_text() == "برچسب احساس"
    items = p.locator("[data-testid=uncertain] > li")
    assert items.count() == 4
    first = Post.objects.get(pk=int(items.first.get_attribute("data-post") or 0))
    page.shot("monitor-sentiment-fa")
    phone.shot("monitor-sentiment-phone")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    items.first.get_by_role("button", name="منفی").click()
    p.wait_for_load_state()
    assert Correction.objects.get(post=first).sentiment == "negative"
    assert p.locator("[data-testid=uncertain] > li").count() == 3
    assert p.url.endswith("/staff/monitor/sentiment/")
