"""The dashboard through HTTP: the GET filter form, Persian digits and Jalali dates, the data tables
beside the charts, scope, refusals, and a constant number of queries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tabyin.core.models import User
from tests.conftest import verified_client
from tests.monitor import builders
from tests.monitor.builders import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _table(html: str, testid: str) -> list[list[str]]:
    body = html.split(f'data-testid="{testid}"')[1].split("</table>", maxsplit=1)[0].split("<tbody>")[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
        for r in rows
    ]


def test_persian_dashboard_with_tables(hq_analyst: User) -> None:
    builders.scenario()
    page = verified_client(hq_analyst).get("/staff/monitor/?period=24h")
    assert page.status_code == 200
    html = page.content.decode()
    # Labels are translated by the lead's merge; the figures are Persian digits already.
    assert [row[1] for row in _table(html, "sentiment-table")] == ["۱", "۳", "۰"]
    mentions = _table(html, "mentions-table")
    assert len(mentions) == 25
    assert mentions[-1] == ["۵ آذر ۱۴۰۵، ۱۵:۰۰", "۲"]
    assert _table(html, "provinces-table") == [["تهران", "۲"], ["اصفهان", "۱"]]
    assert _table(html, "channels-table")[0] == ["اخبار فوری telegram:akhbar", "۱", "۱٬۰۰۰"]
    assert 'aria-labelledby="mentions-title mentions-desc"' in html
    assert "style=" not in html.split("<main")[1] and "<script" not in html


def test_english_dashboard_filters_by_get(hq_analyst: User) -> None:
    world = builders.scenario()
    client = verified_client(hq_analyst)
    html = client.get("/en/staff/monitor/?period=30d&kind=rss&query=&province=").content.decode()
    assert 'data-testid="summary">1 mentions — Last 30 days' in html
    assert '<option value="rss" selected>' in html
    html = client.get(f"/en/staff/monitor/?period=30d&query={world.org.pk}").content.decode()
    assert 'data-testid="summary">4 mentions — Last 30 days' in html
    # A value that is not offered falls back to the defaults (7 days, everything), shown as such.
    html = client.get("/en/staff/monitor/?period=5y").content.decode()
    assert 'data-testid="summary">4 mentions — Last 7 days' in html
    assert '<option value="7d" selected>' in html
    assert _table(html, "voice-table") == [["Our organization", "4", "80.0%"], ["بیمه سلامت", "1", "20.0%"]]


def test_officer_sees_tehran_only_and_others_are_refused(
    tehran_officer: User, tehran_admin: User, security_handler: User
) -> None:
    world = builders.scenario()
    html = verified_client(tehran_officer).get("/en/staff/monitor/?period=30d").content.decode()
    assert 'data-testid="summary">2 mentions' in html
    assert _table(html, "provinces-table") == [["Tehran", "2"]]
    assert re.findall(r'data-story="(\d+)"', html) == [str(world.rumor.pk)]
    # The province filter offers the officer's own province only.
    province_select = html.split('name="province"')[1].split("</select>")[0]
    assert re.findall(r"<option[^>]*>([^<]*)</option>", province_select) == ["All", "Tehran"]
    for user in (tehran_admin, security_handler):
        assert verified_client(user).get("/staff/monitor/").status_code == 403


def test_anonymous_is_sent_to_log_in(org: None, client: object) -> None:
    response = client.get("/staff/monitor/")  # type: ignore[attr-defined]
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_dashboard_query_count_does_not_grow_with_data(hq_analyst: User) -> None:
    world = builders.scenario()
    client = verified_client(hq_analyst)
    client.get("/staff/monitor/")
    with CaptureQueriesContext(connection) as few:
        client.get("/staff/monitor/?period=7d")
    channels = [builders.source(f"more{i}", province_code="ir-10") for i in range(5)]
    for i in range(12):
        st = builders.story(f"more {i}", at=NOW - timedelta(hours=i))
        builders.spread(st, channels, NOW - timedelta(hours=i), queries=(world.org, world.isfahan_q))
    with CaptureQueriesContext(connection) as many:
        client.get("/staff/monitor/?period=7d")
    assert len(many) == len(few)
