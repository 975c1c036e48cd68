"""Jury feedback and the sent announcement in a real browser, in Persian, on the demo data: a juror
writes feedback at 390 px without JavaScript, the organizer reads and releases it, the author reads
the jury's words on their follow-up page; once the outbox sends the winners' draft, the public
results page and the organizer's winners page say when it was announced.
Screenshots: test-artifacts/screenshots/ideas-feedback-*.png, ideas-announced-*.png."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.core.registry import registry
from tabyin.ideas import demo
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.entries.tokens import follow_hash
from tabyin.ideas.judging.models import Assignment
from tabyin.ideas.results.models import Announcement
from tests import factories
from tests.browser.axe import violations
from tests.browser.conftest import _page
from tests.conftest import verified_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TOKEN = "browser-feedback-follow-token"
WORDS = "متن روشن و کوتاهی است؛ اگر نمونهٔ یک اثر دیگر را هم کنار آن بگذارید بهتر دیده می‌شود."
# 15 Azar 1405, 13:30 in Tehran.
SENT = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


def _sign_in(page: Page, user: User, base: str) -> None:
    cookie = verified_client(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def test_feedback_and_the_announcement_in_persian(
    browser: Browser, live_server: LiveServer, hq_analyst: User
) -> None:
    juror = factories.persona("hq.juror", "hq", Role.JUROR)
    demo.load()
    base = live_server.url
    # The demo's first winner already has three released feedback texts; its author's private
    # link is stored as a hash, so the test gives it a token it knows.
    winner = Entry.objects.exclude(jury_feedback=[]).get()
    Entry.objects.filter(pk=winner.pk).update(follow_hash=follow_hash(TOKEN))
    announcement = Announcement.objects.get(challenge=winner.challenge)
    assert announcement.draft_url.startswith("/staff/campaigns/messages/")
    registry.draft_published(announcement.draft_url, SENT)
    announced = "از راه کانال‌های سازمان در ۱۵ آذر ۱۴۰۵، ۱۳:۳۰ اعلام شد."
    results = f"/ideas/c/{winner.challenge.slug}/results/"

    review = Assignment.objects.filter(seat__user=juror, submitted_at__isnull=True).order_by("pk").first()
    assert review is not None
    for phone in _page(
        browser, viewport={"width": 390, "height": 844}, locale="fa-IR", java_script_enabled=False
    ):
        p = phone.page
        p.goto(f"{base}/ideas/follow/{TOKEN}/")
        expect(p.get_by_test_id("jury-feedback")).to_contain_text("سالمندانی که تلفن همراه ندارند")
        assert p.evaluate("document.documentElement.scrollWidth") <= 390
        phone.shot("ideas-feedback-author-390")
        p.goto(base + results)
        expect(p.get_by_test_id("announced-on")).to_contain_text(announced)
        assert p.evaluate("document.documentElement.scrollWidth") <= 390
        phone.shot("ideas-announced-results-390")
        _sign_in(p, juror, base)
        p.goto(f"{base}/staff/ideas/jury/{review.pk}/")
        p.get_by_label("بازخورد شما به نویسنده").fill("خوب بود.")
        p.get_by_role("button", name="ذخیرهٔ بازخورد").click()
        expect(p.get_by_test_id("feedback")).to_contain_text("دست‌کم ۲۰ نویسه بنویسید")
        assert p.evaluate("document.documentElement.scrollWidth") <= 390
        phone.shot("ideas-feedback-refused-390")
        p.get_by_label("بازخورد شما به نویسنده").fill(WORDS)
        p.get_by_role("button", name="ذخیرهٔ بازخورد").click()
        expect(p.get_by_test_id("feedback")).to_contain_text("هنوز به نویسنده داده نشده است")
        phone.shot("ideas-feedback-juror-390")

    for desk in _page(browser, viewport={"width": 1280, "height": 800}, locale="fa-IR"):
        p = desk.page
        p.goto(f"{base}/ideas/follow/{TOKEN}/")
        desk.shot("ideas-feedback-author-1280")
        assert violations(p) == []
        p.goto(base + results)
        expect(p.get_by_test_id("announced-on")).to_contain_text(announced)
        desk.shot("ideas-announced-results-1280")
        assert violations(p) == []
        _sign_in(p, hq_analyst, base)
        p.goto(f"{base}/staff/ideas/c/{winner.challenge.slug}/winners/")
        expect(p.get_by_test_id("announced-on")).to_contain_text(announced)
        desk.shot("ideas-announced-winners-1280")
        assert violations(p) == []
        p.goto(f"{base}/staff/ideas/c/{review.entry.challenge.slug}/jury/#feedback")
        box = p.get_by_test_id(f"feedback-{review.entry_id}")
        expect(box).to_contain_text(WORDS)
        desk.shot("ideas-feedback-organizer-1280")
        assert violations(p) == []
        box.get_by_role("button").click()
        expect(p.locator(".messages")).to_contain_text("به نویسندهٔ اثر")
    review.entry.refresh_from_db()
    assert [f["text"] for f in review.entry.jury_feedback] == [WORDS]
