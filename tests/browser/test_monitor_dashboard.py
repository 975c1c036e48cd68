"""The monitoring dashboard and a story page in a real browser, in Persian, on a desktop and on a
phone: no horizontal scrolling, no outside request, charts drawn. Screenshots go to
test-artifacts/screenshots/monitor-*.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.monitor.enums import QueryKind, ResponseStatus, Sentiment
from tabyin.monitor.models import Response, Story
from tests import factories
from tests.browser.conftest import RecordingPage
from tests.browser.test_reports_staff import sign_in
from tests.monitor import builders
from tests.monitor.builders import NOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
H, M = timedelta(hours=1), timedelta(minutes=1)


def _world() -> Story:
    factories.seed_org()
    world = builders.scenario()
    names = ["پیام فوری", "خبر داغ", "کانال مردم", "صدای کارگر", "بازنشستگان", "اخبار اقتصادی", "نبض بازار",
             "شهر ما", "خبرنامه", "تیتر یک"]  # fmt: skip
    channels = [builders.source(f"ch{i}", name=n, province_code="ir-23" if i % 3 == 0 else None)
                for i, n in enumerate(names)]  # fmt: skip
    # Earlier negative stories the same channels carried in the same order: a network appears.
    for day in (2, 4, 6):
        old = builders.story(f"خبر منفی {day}", at=NOW - day * 24 * H, sentiment=Sentiment.NEGATIVE)
        builders.spread(old, channels[:6], NOW - day * 24 * H, every=8 * M, queries=(world.org,),
                        sentiment=Sentiment.NEGATIVE)  # fmt: skip
    builders.spread(world.rumor, [], NOW)
    for i, ch in enumerate(channels):
        forward = "telegram:akhbar/10" if i % 4 == 1 else ""
        builders.post(ch, world.rumor, NOW - 4 * H + i * 20 * M, views=1200 + 300 * i, queries=(world.org,),
                      sentiment=Sentiment.NEGATIVE, forwarded_from=forward)  # fmt: skip
    builders.story_refresh(world.rumor)
    owned = [builders.source(f"own{i}", name=f"روابط عمومی {i + 1}", is_owned=True) for i in range(4)]
    answer = builders.story("پاسخ سازمان: شعبه باز است", at=NOW - 2 * H, kind="answer")
    builders.spread(
        answer, owned, NOW - 2 * H, every=15 * M, queries=(world.org,), sentiment=Sentiment.POSITIVE
    )
    Response.objects.create(story=world.rumor, status=ResponseStatus.PUBLISHED, published_at=NOW - 2 * H,
                            answer_story=answer)  # fmt: skip
    # A named peer mentioned today: share of voice compares with it (with nobody it is not drawn).
    peer = builders.query("سازمان بیمه", kind=QueryKind.PEER)
    peer_story = builders.story("خبر سازمان بیمه", at=NOW - 3 * H)
    builders.spread(peer_story, channels[:2], NOW - 3 * H, queries=(peer,))
    return world.rumor


def test_dashboard_and_story_on_desktop_and_phone(
    live_server: LiveServer, page: RecordingPage, phone: RecordingPage
) -> None:
    with time_machine.travel(NOW + 10 * M, tick=True):
        rumor = _world()
        analyst = factories.persona("hq.analyst", "hq", Role.ANALYST)
        for view in (page, phone):
            sign_in(view, analyst, live_server)
        p = page.page
        p.goto(f"{live_server.url}/staff/monitor/?period=24h")
        assert p.locator("h1").inner_text() != ""
        assert p.locator("svg.mon-chart").count() == 5
        page.shot("monitor-dashboard-fa")
        p.goto(f"{live_server.url}/staff/monitor/stories/{rumor.pk}/")
        assert p.locator("svg.network .node").count() == 14
        page.shot("monitor-story-fa")
        p.goto(f"{live_server.url}/en/staff/monitor/stories/{rumor.pk}/")
        took = "from detection: 3 hours · from the first post: 3 hours"
        assert p.locator("[data-testid=answer-time]").inner_text() == (
            f"Time to answer: {took} — Our answer reached 4 channels."
        )
        # Why the story is here: the score and the queries (the marked words: test_story_relevance).
        assert p.locator("[data-testid=on-topic]").count() == 1
        assert p.locator("[data-testid=relevance-table] tbody th").first.inner_text() == "تامین اجتماعی"
        page.shot("monitor-story-en")
        for path, name in (
            ("/staff/monitor/?period=7d", "dashboard"),
            (f"/staff/monitor/stories/{rumor.pk}/", "story"),
        ):
            phone.page.goto(f"{live_server.url}{path}")
            phone.shot(f"monitor-{name}-phone")
            assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360, name
            phone.page.set_viewport_size({"width": 390, "height": 844})
            phone.shot(f"monitor-{name}-390")
            assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390, name
            phone.page.set_viewport_size({"width": 360, "height": 740})
        assert page.outside_requests() == [] and phone.outside_requests() == []
