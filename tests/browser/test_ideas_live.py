"""Similar ideas appear while the author types (the progressive script, JavaScript on, 390 px),
and the transparency site's home leads to the trackers of implemented ideas in one click.
Screenshots: test-artifacts/screenshots/ideas-live-*.png, ideas-portal-link-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from tabyin.core.models import User
from tabyin.core.persian_text import digits_to_ascii
from tabyin.core.sms import console
from tabyin.ideas import demo
from tests.browser.conftest import _page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_similar_ideas_appear_while_typing(
    browser: Browser, live_server: LiveServer, hq_analyst: User
) -> None:
    demo.load()
    console.clear()
    base = live_server.url
    problems: list[str] = []
    answers: list[int] = []
    for phone in _page(browser, viewport={"width": 390, "height": 844}, locale="fa-IR"):
        p = phone.page
        p.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        p.on("pageerror", lambda e: problems.append(str(e)))
        p.on("response", lambda r: answers.append(r.status) if "/similar/" in r.url else None)
        p.goto(base + "/ideas/c/sample-pension-letters/send/")
        p.get_by_label("شمارهٔ همراه یا نشانی رایانامه").fill("۰۹۱۲ ۳۴۵ ۶۷۸۹")
        p.get_by_role("button", name="کد را برایم بفرست").click()
        sent = console.last_to("+989123456789")
        assert sent is not None
        code = re.search(r"[۰-۹]{6}", sent.text)
        assert code is not None
        p.get_by_label("کد شش‌رقمی که فرستادیم").fill(digits_to_ascii(code.group()))
        p.get_by_role("button", name="تأیید").click()
        live = p.get_by_test_id("similar-live")
        expect(live).to_have_attribute("aria-live", "polite")
        expect(live).to_be_empty()
        p.get_by_label("عنوان").press_sequentially("نامه را با یک جمله خلاصه آغاز کنید", delay=20)
        p.get_by_label("ایدهٔ شما").press_sequentially(
            "بالای هر نامه یک جمله به زبان ساده بنویسید که نامه چه می‌گوید و آیا باید کاری بکنم.", delay=10
        )
        # Nothing was sent: the suggestions came from the JSON answer while typing.
        expect(live).to_contain_text("ورودی‌های همانندی که پیش‌تر فرستاده شده")
        expect(live.get_by_role("link", name="یک جملهٔ خلاصه در بالای نامه")).to_have_attribute(
            "href", re.compile(r"^/ideas/c/sample-pension-letters/entries/\d+/$")
        )
        assert p.get_by_test_id("similar").count() == 0  # the no-JavaScript step did not run
        assert p.evaluate("document.documentElement.scrollWidth") <= 390
        phone.shot("ideas-live-similar-390")
        assert problems == []  # no script error, no CSP refusal
        # Debounced: a few questions for some 120 keys typed, each answered.
        assert 1 <= len(answers) <= 6 and set(answers) == {200}, answers


def test_the_portal_home_leads_to_the_trackers(
    browser: Browser, live_server: LiveServer, hq_analyst: User
) -> None:
    demo.load()
    base = live_server.url
    for desk in _page(browser, viewport={"width": 1280, "height": 800}, locale="fa-IR"):
        p = desk.page
        p.goto(base + "/")
        link = p.get_by_role("link", name="ایده‌های در حال اجرا", exact=True).first
        expect(link).to_have_attribute("href", "/ideas/implemented/")
        desk.shot("ideas-portal-link-1280")
        link.click()
        expect(p).to_have_url(base + "/ideas/implemented/")
        expect(p.get_by_role("heading", level=1)).to_have_text("ایده‌های در حال اجرا")
        desk.shot("ideas-portal-trackers-1280")
    for phone in _page(browser, viewport={"width": 390, "height": 844}, locale="fa-IR"):
        phone.page.goto(base + "/")
        assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
        phone.shot("ideas-portal-link-390")
