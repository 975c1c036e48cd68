"""One clock: the brief, the story page and the response pages give the same response time, from
detection and from the first post, both labelled. Filters say what they apply; share of voice
compares with named peers or is not shown."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import translation

from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.monitor.briefs.selectors import brief_content
from tabyin.monitor.briefs.services import duration_text as brief_duration
from tabyin.monitor.briefs.services import render_brief
from tabyin.monitor.dashboard import selectors as sd
from tabyin.monitor.enums import QueryKind, ResponseStatus
from tabyin.monitor.models import RelevanceSetting, Response, WatchQuery
from tabyin.monitor.pipeline.clock import duration_text, response_time
from tests.conftest import verified_client
from tests.monitor import builders
from tests.monitor.builders import NOW

pytestmark = pytest.mark.django_db
H, M = timedelta(hours=1), timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    # The override puts back the language the /en/ requests of a test switch to.
    with time_machine.travel(NOW, tick=False), translation.override("fa"):
        yield


def _figures(html: str) -> list[tuple[str, str]]:
    return re.findall(
        r'data-testid="from-detection">([^<]+)</strong>.*?data-testid="from-first-post">([^<]+)</strong>',
        html,
    )


def test_the_same_response_time_on_the_brief_the_story_and_the_response_pages(
    org: None, hq_analyst: User
) -> None:
    world = builders.scenario()
    rumor = world.rumor  # first post NOW - 5 h (11:30 Tehran); we saw it 40 minutes later
    rumor.first_seen_at = rumor.first_published_at + 40 * M
    rumor.rumor_flagged_at = rumor.first_published_at + 80 * M
    rumor.save()
    answer = builders.story("پاسخ سازمان", at=NOW - 20 * M, kind="answer")
    builders.spread(answer, [world.national], NOW - 20 * M)
    Response.objects.create(
        story=rumor,
        status=ResponseStatus.PUBLISHED,
        published_at=NOW - 20 * M,
        answer_story=answer,
        title="پاسخ",
    )
    expected = ("۴ ساعت", "۴ ساعت و ۴۰ دقیقه")  # from detection, from the first post

    client = verified_client(hq_analyst)
    story_page = client.get(f"/staff/monitor/stories/{rumor.pk}/").content.decode()
    response_page = client.get(f"/staff/monitor/responses/{rumor.pk}/").content.decode()
    queue = client.get("/staff/monitor/responses/").content.decode()
    brief = render_brief(brief_content(day=date(2026, 11, 26), now=NOW), made_at=NOW)

    assert _figures(story_page) == [expected]
    assert _figures(response_page) == [expected]
    assert _figures(queue) == [expected]
    # The brief used to count from the flag (3 h 20 min): a third clock.
    assert "۴ ساعت از زمان شناسایی، ۴ ساعت و ۴۰ دقیقه از نخستین انتشار" in brief
    for page in (story_page, response_page):
        assert "از زمان شناسایی" in page and "از نخستین انتشار" in page


def test_the_clock_itself() -> None:
    rt = response_time(first_seen_at=NOW, first_published_at=NOW - 2 * H, answered_at=NOW + 150 * M)
    assert rt is not None
    assert (rt.from_detection, rt.from_first_post) == (150 * M, 270 * M)
    assert response_time(first_seen_at=NOW, first_published_at=NOW, answered_at=None) is None
    assert duration_text(rt.from_first_post, "fa") == "۴ ساعت و ۳۰ دقیقه"
    assert duration_text(rt.from_first_post, "en") == "4 hours 30 minutes"
    assert duration_text(timedelta(days=3, hours=2, minutes=5), "en") == "3 days 2 hours"
    # A source that dates its post after we stored it: detection is never before the first post.
    late = response_time(first_seen_at=NOW - H, first_published_at=NOW, answered_at=NOW + H)
    assert late is not None and late.from_detection == H


def test_the_brief_says_acknowledgement_times_on_the_same_clock() -> None:
    # It used to write its own "2 h 15 min" and never rolled hours into days.
    with translation.override("en"):
        assert brief_duration(135 * M) == "2 hours 15 minutes"
        assert brief_duration(50 * H) == "2 days 2 hours"
        assert brief_duration(None) == ""
    with translation.override("fa"):
        assert brief_duration(135 * M) == "۲ ساعت و ۱۵ دقیقه"
        assert brief_duration(40 * M) == "۴۰ دقیقه"


def test_the_period_shown_is_the_period_counted(org: None, hq_analyst: User) -> None:
    builders.scenario()
    client = verified_client(hq_analyst)
    for url in ("/staff/monitor/", "/staff/monitor/?kind=", "/staff/monitor/stories/"):
        html = client.get(url).content.decode()
        assert '<option value="7d" selected>' in html, url
        assert '<option value="24h" selected>' not in html, url
        line = html.split('data-testid="active-filters">')[1].split("</p>")[0]
        assert "۷ روز گذشته" in line, url
    html = client.get("/en/staff/monitor/stories/?period=30d&kind=rss&rumors=on").content.decode()
    line = re.sub(r"<[^>]+>", "", html.split('data-testid="active-filters">')[1].split("</p>")[0])
    assert line == (
        "Showing: Last 30 days · News site (RSS/Atom) · all provinces · all watch queries · "
        "only mentions of the organization · flagged rumors only"
    )


def test_share_of_voice_names_its_peers_or_is_not_shown(org: None, hq_analyst: User) -> None:
    world = builders.scenario()
    scope = scope_for(hq_analyst)

    def voice(period: str) -> list[tuple[str, int]]:
        d = sd.dashboard(scope=scope, filters=sd.Filters(period=period), now=NOW, ours_label="ours")
        return [(v.name, v.mentions) for v in d.voice]

    assert voice("7d") == [("ours", 4), ("بیمه سلامت", 1)]
    builders.query("صندوق بازنشستگی کشوری", kind=QueryKind.PEER)
    assert voice("7d") == [("ours", 4), ("بیمه سلامت", 1), ("صندوق بازنشستگی کشوری", 0)]
    assert voice("24h") == []  # no peer mentioned in the last day: no "ours 100 %"
    html = verified_client(hq_analyst).get("/en/staff/monitor/?period=24h").content.decode()
    assert "None of the peer organizations watched (بیمه سلامت، صندوق بازنشستگی کشوری)" in html
    WatchQuery.objects.filter(kind=QueryKind.PEER).delete()
    assert voice("7d") == []
    html = verified_client(hq_analyst).get("/en/staff/monitor/").content.decode()
    assert "No peer organization is watched" in html
    assert world.rumor.pk  # the organization's own mentions are still there


def test_query_pages_set_points_and_the_threshold(org: None, hq_analyst: User) -> None:
    client = verified_client(hq_analyst)
    tehran = builders.query("تهران", kind=QueryKind.PROVINCE, province_code="ir-23")
    fa = client.get("/staff/monitor/queries/").content.decode()
    assert "ارتباط با سازمان" in fa and "ذخیرهٔ آستانه" in fa and "نام‌های سازمان، مقام‌ها" in fa
    listing = client.get("/en/staff/monitor/queries/").content.decode()
    assert re.search(r'data-testid="points">0 <span class="help">\(the kind', listing)
    form = {"name": "تهران", "kind": "province", "expression": '"تهران"', "province": tehran.province_id}
    client.post(f"/staff/monitor/queries/{tehran.pk}/", {**form, "is_active": "on", "weight": "3"})
    tehran.refresh_from_db()
    assert tehran.weight == 3
    assert client.post("/staff/monitor/queries/threshold/", {"threshold": "7"}).status_code == 302
    assert RelevanceSetting.objects.get().threshold == 7
    refused = client.post("/en/staff/monitor/queries/threshold/", {"threshold": "0"})
    assert refused.status_code == 200 and "greater than or equal to 1" in refused.content.decode()
    tried = client.post("/en/staff/monitor/queries/try/", {"text": "قیمت طلا در تهران"}).content.decode()
    assert "Relevance to the organization: 3 points (a mention needs 7)." in tried
    assert "Not a mention of the organization." in tried and "Words found: تهران" in tried
