"""The story list and the story page through HTTP: scope (404/403), exact figures, the answer's
spread beside the rumor's, the timeline, and a constant number of queries on the list."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tabyin.core.models import User
from tabyin.monitor.enums import ResponseStatus
from tabyin.monitor.models import Response
from tests.conftest import verified_client
from tests.monitor import builders
from tests.monitor.builders import NOW

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_story_page_figures_timeline_and_network(hq_analyst: User) -> None:
    world = builders.scenario()
    page = verified_client(hq_analyst).get(f"/en/staff/monitor/stories/{world.rumor.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    text = _text(html)
    assert 'data-testid="channels">4<' in html
    assert 'data-testid="views">1,750<' in html
    assert 'data-testid="velocity">2<' in html
    assert "(×12.0 the usual)" in text
    assert html.count("<li data-post=") == 4
    assert text.count(" copied ") == 2 and text.count(" forwarded ") == 1 and text.count(" origin ") == 1
    assert "Edited: 1 earlier version" in text and "متن اول" in text
    # The Tehran channel formally forwarded the national one.
    net = html.split('data-testid="network-table"')[1].split("</table>")[0]
    assert _text(net).count("اخبار فوری خبر تهران 1 0") == 1
    assert '<svg class="mon-chart spread"' in html and '<svg class="mon-chart network"' in html
    assert "style=" not in html.split("<main")[1]
    assert 'data-testid="answer-time"' not in html


def test_answer_spread_side_by_side_with_time_to_answer(hq_analyst: User) -> None:
    world = builders.scenario()
    own1 = builders.source("sso_official", name="روابط عمومی", is_owned=True)
    own2 = builders.source("sso_news", name="خبرگزاری سازمان", is_owned=True)
    answer = builders.story("پاسخ سازمان", at=NOW - 2 * H, kind="answer")
    builders.spread(answer, [own1, own2], NOW - 2 * H)
    Response.objects.create(
        story=world.rumor, status=ResponseStatus.PUBLISHED, published_at=NOW - 2 * H, answer_story=answer
    )
    html = verified_client(hq_analyst).get(f"/en/staff/monitor/stories/{world.rumor.pk}/").content.decode()
    took = "Time to answer: from detection: 3 hours · from the first post: 3 hours"
    assert f"{took} — Our answer reached 2 channels." in _text(html)
    assert html.count('<path class="step rumor"') == 1 and html.count('<path class="step answer"') == 1
    assert '<line class="marker"' in html
    fa = verified_client(hq_analyst).get(f"/staff/monitor/stories/{world.rumor.pk}/").content.decode()
    assert "۳ ساعت" in fa.split('data-testid="answer-time"')[1].split("</p>")[0]


def test_scope_story_outside_province_is_404_and_no_rights_is_403(
    tehran_officer: User, tehran_admin: User
) -> None:
    world = builders.scenario()
    officer = verified_client(tehran_officer)
    assert officer.get(f"/staff/monitor/stories/{world.rumor.pk}/").status_code == 200
    assert officer.get(f"/staff/monitor/stories/{world.peer_story.pk}/").status_code == 404
    listing = officer.get("/en/staff/monitor/stories/?period=30d").content.decode()
    assert re.findall(r'data-story="(\d+)"', listing) == [str(world.rumor.pk)]
    admin = verified_client(tehran_admin)
    assert admin.get(f"/staff/monitor/stories/{world.rumor.pk}/").status_code == 403
    assert admin.get("/staff/monitor/stories/").status_code == 403


def test_story_list_filters_and_pages(hq_analyst: User) -> None:
    world = builders.scenario()
    client = verified_client(hq_analyst)
    listing = client.get("/en/staff/monitor/stories/?period=30d").content.decode()
    # The peer's story matched a watch query but is not about the organization: listed only on request.
    assert re.findall(r'data-story="(\d+)"', listing) == [str(world.rumor.pk)]
    everything = client.get("/en/staff/monitor/stories/?period=30d&everything=on").content.decode()
    assert re.findall(r'data-story="(\d+)"', everything) == [str(world.rumor.pk), str(world.peer_story.pk)]
    rumors = client.get("/en/staff/monitor/stories/?period=30d&rumors=on").content.decode()
    assert re.findall(r'data-story="(\d+)"', rumors) == [str(world.rumor.pk)]
    peer = client.get(
        f"/en/staff/monitor/stories/?period=30d&everything=on&query={world.peer.pk}"
    ).content.decode()
    assert re.findall(r'data-story="(\d+)"', peer) == [str(world.peer_story.pk)]


def _many(n: int, org_query: object) -> None:
    channels = [builders.source(f"c{n}_{i}") for i in range(3)]
    for i in range(n):
        st = builders.story(f"story {i}", at=NOW - i * H)
        builders.spread(st, channels, NOW - i * H, queries=(org_query,))  # type: ignore[arg-type]


def test_story_list_runs_a_constant_number_of_queries(hq_analyst: User) -> None:
    org_query = builders.query("سازمان")
    client = verified_client(hq_analyst)
    client.get("/staff/monitor/stories/")  # warm the session and the user's scope
    _many(3, org_query)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/staff/monitor/stories/?period=7d").status_code == 200
    _many(40, org_query)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/staff/monitor/stories/?period=7d&page=2")
    assert page.content.decode().count("data-story=") == 18  # 43 stories: 25 on page 1, 18 on page 2
    assert len(many) == len(few)


def test_story_list_query_count_is_pinned(hq_analyst: User, django_assert_num_queries: object) -> None:
    org_query = builders.query("سازمان")
    client = verified_client(hq_analyst)
    client.get("/staff/monitor/stories/")
    _many(30, org_query)
    # session, user, OTP device, scope, provinces, queries, relevance threshold, count, page, posts of
    # the page (velocity)
    with django_assert_num_queries(10):  # type: ignore[operator]
        client.get("/staff/monitor/stories/")


def test_links_to_the_response_page_and_sentiment_correction_for_analysts(
    hq_analyst: User, tehran_officer: User
) -> None:
    world = builders.scenario()
    url = f"/en/staff/monitor/stories/{world.rumor.pk}/"
    analyst = verified_client(hq_analyst).get(url).content.decode()
    assert f'href="/en/staff/monitor/responses/{world.rumor.pk}/" data-testid="response-link"' in analyst
    with translation.override("en"):
        correct = reverse("monitor:correct", args=[world.rumor_posts[0].pk])
    assert f'action="{correct}"' in analyst
    assert analyst.count('name="sentiment"') == 4
    officer = verified_client(tehran_officer).get(url).content.decode()
    assert 'name="sentiment"' not in officer  # only analysts triage
    assert world.rumor.title in officer  # the officer reads the story ...
    assert 'data-testid="response-link"' not in officer  # ... but answers are handled at HQ (403)
