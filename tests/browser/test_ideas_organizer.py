"""The organizer's Jam'i-no pages in a real browser, in Persian, on the demo data: a new content
contest written at 1280 px (an out-of-order date refused, then saved and published), the jury page,
the winners' announcement and a tracker, then the same pages on a 390 px phone with JavaScript off,
and a juror's pairwise comparison (one choice made on the phone).
Screenshots: test-artifacts/screenshots/ideas-organizer-*.png."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.ideas import demo
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.judging.models import Comparison
from tabyin.ideas.results.models import Implementation
from tests import factories
from tests.browser.axe import violations
from tests.browser.conftest import _page
from tests.browser.persian_reader import Crawl
from tests.conftest import verified_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTEST = {
    "slug": "retirement-podcast",
    "title": "پادکست بازنشستگی آرام",
    "problem": "بیمه‌شدگان نمی‌دانند از چه سنی و با چه سابقه‌ای بازنشسته می‌شوند.",
    "rules": "اثر باید از خود فرستنده باشد و حداکثر پنج دقیقه.",
    "categories": "صدا\nتصویر",
    "prizes": "سه جایزهٔ نقدی",
    "submission_opens": "۱۴۰۵/۱۰/۰۱",
    "submission_closes": "۱۴۰۵/۱۰/۳۰",
    "moderation_closes": "۱۴۰۵/۱۰/۲۰",  # before submissions close: refused first
    "support_closes": "۱۴۰۵/۱۱/۲۰",
    "jury_closes": "۱۴۰۵/۱۲/۱۰",
    "results_at": "۱۴۰۵/۱۲/۱۵",
    "criterion_1_label": "اثرگذاری",
    "criterion_1_weight": "۵۰",
    "criterion_1_max": "۱۰",
    "criterion_2_label": "کیفیت فنی",
    "criterion_2_weight": "۵۰",
    "criterion_2_max": "۱۰",
}


def _sign_in(page: Page, user: User, base: str) -> None:
    cookie = verified_client(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def test_organizer_pages_in_persian_on_a_desk_and_a_phone(
    browser: Browser, live_server: LiveServer, hq_analyst: User
) -> None:
    juror = factories.persona("hq.juror", "hq", Role.JUROR)
    # The factory's names carry Latin digits; the demo's personas have Persian names.
    for user, name in ((juror, "داور ستاد"), (hq_analyst, "کارشناس ستاد")):
        user.display_name = name
        user.save(update_fields=["display_name"])
    demo.load()
    base = live_server.url
    track = Implementation.objects.select_related("entry").order_by("pk").first()
    assert track is not None
    pages = (
        ("jury", "/staff/ideas/c/sample-voluntary-insurance/jury/"),
        ("winners", "/staff/ideas/c/sample-branch-queues/winners/"),
        ("winners-open", "/staff/ideas/c/sample-voluntary-insurance/winners/"),
        ("tracker", f"/staff/ideas/entries/{track.entry_id}/tracker/"),
        ("results", "/ideas/c/sample-branch-queues/results/"),
    )
    reader = Crawl(base, 100)  # the Persian reader: no Latin digit or word, no overflow
    for desk in _page(browser, viewport={"width": 1280, "height": 800}, locale="fa-IR"):
        p = desk.page
        _sign_in(p, hq_analyst, base)
        p.goto(f"{base}/staff/ideas/")
        p.get_by_test_id("new-challenge").click()
        for name, value in CONTEST.items():
            p.locator(f"[name={name}]").fill(value)
        p.locator("[name=kind][value=contest]").check()
        p.locator("[name=media_kinds][value=podcast]").check()
        p.locator("[name=file_groups][value=audio]").check()
        p.locator("[name=eligibility][value=insured]").check()
        p.get_by_test_id("save").click()
        invalid = p.locator(".field--invalid").filter(has=p.locator("[name=moderation_closes]"))
        expect(invalid).to_contain_text("این تاریخ باید بعد از «پایان دریافت» (۳۰ دی ۱۴۰۵) باشد.")
        assert p.locator("[name=title]").input_value() == CONTEST["title"]  # nothing lost
        desk.shot("ideas-organizer-refused-1280")
        assert violations(p) == []
        p.locator("[name=moderation_closes]").fill("۱۴۰۵/۱۱/۱۰")
        p.get_by_test_id("save").click()
        expect(p.get_by_test_id("draft")).to_be_visible()
        p.get_by_test_id("publish").click()
        expect(p.get_by_test_id("published")).to_be_visible()
        desk.shot("ideas-organizer-saved-1280")
        reader.read_here(p)
        for name, path in pages:
            p.goto(base + path)
            desk.shot(f"ideas-organizer-{name}-1280")
            reader.read_here(p)
            assert violations(p) == [], name
        expect(p.get_by_test_id("winners")).to_contain_text("رتبهٔ ۱ در رتبه‌بندی داوران")
    contest = Challenge.objects.get(slug="retirement-podcast")
    assert (contest.is_draft, contest.kind, contest.media_kinds, contest.file_groups) == (
        False,
        "contest",
        ["podcast"],
        ["audio"],
    )

    for phone in _page(
        browser, viewport={"width": 390, "height": 844}, locale="fa-IR", java_script_enabled=False
    ):
        p = phone.page
        _sign_in(p, hq_analyst, base)
        for name, path in (("edit", "/staff/ideas/c/retirement-podcast/edit/"), *pages):
            p.goto(base + path)
            assert p.evaluate("document.documentElement.scrollWidth") <= 390, name
            phone.shot(f"ideas-organizer-{name}-390")
            reader.read_here(p)

    for device, width in (("390", 390), ("1280", 1280)):
        for view in _page(
            browser, viewport={"width": width, "height": 844}, locale="fa-IR", java_script_enabled=False
        ):
            p = view.page
            _sign_in(p, juror, base)
            p.goto(f"{base}/staff/ideas/jury/")
            p.get_by_test_id("pairwise").get_by_role("link").click()
            expect(p.get_by_test_id("pair")).to_be_visible()
            assert p.evaluate("document.documentElement.scrollWidth") <= width
            view.shot(f"ideas-organizer-compare-{device}")
            reader.read_here(p)
            if device == "390":
                p.get_by_test_id("pick").first.click()
                expect(p.get_by_test_id("done")).to_contain_text("جفت‌هایی که مقایسه کردید: ۱")
    assert Comparison.objects.filter(seat__user=juror).count() == 1
    assert [(f.url, f.kind, f.snippet) for f in reader.findings] == []
