"""Jam'i-no in a real browser, in Persian, on the demo data: a citizen sends an idea on a 390 px
phone with JavaScript off (one-time code read from the console SMS outbox), the public pages of
every phase, the HQ analyst's screening at 1280 px and the juror's score form.
Screenshots: test-artifacts/screenshots/ideas-*.png."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.core.persian_text import digits_to_ascii
from tabyin.core.sms import console
from tabyin.ideas import demo
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.judging.models import Assignment
from tests import factories
from tests.browser.axe import violations
from tests.browser.conftest import _page
from tests.conftest import verified_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PUBLIC = (
    ("ideas-list", "/ideas/"),
    ("ideas-open", "/ideas/c/sample-pension-letters/"),
    ("ideas-contest", "/ideas/c/sample-voluntary-insurance/"),
    ("ideas-finished", "/ideas/c/sample-branch-queues/"),
    ("ideas-results", "/ideas/c/sample-branch-queues/results/"),
    ("ideas-implemented", "/ideas/implemented/"),
    ("ideas-method", "/ideas/method/"),
)


def _sign_in(page: Page, user: User, base: str) -> None:
    cookie = verified_client(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def test_ideas_in_persian_on_a_phone_and_a_desk(
    browser: Browser, live_server: LiveServer, hq_analyst: User
) -> None:
    juror = factories.persona("hq.juror", "hq", Role.JUROR)
    demo.load()
    console.clear()
    base = live_server.url
    for phone in _page(
        browser, viewport={"width": 390, "height": 844}, locale="fa-IR", java_script_enabled=False
    ):
        p = phone.page
        for name, path in PUBLIC:
            p.goto(base + path)
            assert p.evaluate("document.documentElement.scrollWidth") <= 390, name
            phone.shot(f"{name}-390")
        p.goto(base + "/ideas/c/sample-pension-letters/")
        p.get_by_test_id("send").click()
        p.get_by_label("شمارهٔ همراه یا نشانی رایانامه").fill("۰۹۱۲ ۳۴۵ ۶۷۸۹")
        phone.shot("ideas-verify-390")
        p.get_by_role("button", name="کد را برایم بفرست").click()
        sent = console.last_to("+989123456789")
        assert sent is not None
        code = re.search(r"[۰-۹]{6}", sent.text)
        assert code is not None
        p.get_by_label("کد شش‌رقمی که فرستادیم").fill(digits_to_ascii(code.group()))
        p.get_by_role("button", name="تأیید").click()
        p.get_by_label("دسته").select_option("زبان ساده")
        p.get_by_label("عنوان").fill("نامه را با یک جمله خلاصه آغاز کنید")
        p.get_by_label("ایدهٔ شما").fill(
            "بالای هر نامه یک جمله به زبان ساده بنویسید که نامه چه می‌گوید و آیا باید کاری بکنم."
        )
        p.get_by_role("button", name="فرستادن", exact=True).click()
        expect(p.get_by_test_id("similar")).to_contain_text("یک جملهٔ خلاصه در بالای نامه")
        phone.shot("ideas-similar-390")
        p.get_by_role("button", name="ایدهٔ من فرق دارد: بفرست").click()
        expect(p.get_by_test_id("follow-link")).to_contain_text("/ideas/follow/")
        phone.shot("ideas-sent-390")
        p.get_by_test_id("follow-link").click()
        expect(p.get_by_test_id("status")).to_contain_text("در انتظار بررسی")
        phone.shot("ideas-follow-390")
    entry = Entry.objects.get(title="نامه را با یک جمله خلاصه آغاز کنید")

    for desk in _page(browser, viewport={"width": 1280, "height": 800}, locale="fa-IR"):
        p = desk.page
        for name, path in PUBLIC[:5]:
            p.goto(base + path)
            desk.shot(f"{name}-1280")
            assert violations(p) == [], name
        _sign_in(p, hq_analyst, base)
        p.goto(f"{base}/staff/ideas/c/sample-branch-queues/")
        desk.shot("ideas-staff-queue-1280")
        p.goto(f"{base}/staff/ideas/entries/{entry.pk}/")
        p.get_by_label("پذیرفته نشد").check()
        p.get_by_label("دلیل (فرستنده آن را می‌خواند)").fill("همین ایده پیش‌تر آمده است؛ از آن حمایت کنید.")
        desk.shot("ideas-staff-entry-1280")
        assert violations(p) == []
        p.get_by_role("button", name="ثبت و خبر به فرستنده").click()
        p.goto(f"{base}/staff/ideas/c/sample-branch-queues/jury/")
        expect(p.get_by_test_id("ranking")).to_be_visible()
        desk.shot("ideas-staff-jury-1280")
    entry.refresh_from_db()
    assert entry.status == "rejected"

    todo = Assignment.objects.filter(seat__user=juror, submitted_at__isnull=True).first()
    assert todo is not None
    for phone in _page(browser, viewport={"width": 390, "height": 844}, locale="fa-IR"):
        _sign_in(phone.page, juror, base)
        phone.page.goto(f"{base}/staff/ideas/jury/")
        phone.shot("ideas-jury-list-390")
        phone.page.goto(f"{base}/staff/ideas/jury/{todo.pk}/")
        assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
        phone.shot("ideas-jury-score-390")
