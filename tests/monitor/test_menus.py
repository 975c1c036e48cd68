"""The monitor's menus show a person only the pages they may open: every link drawn in a menu
answers that person with a page, never a refusal (403)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tabyin.core.models import User
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="mon-subnav" aria-label="([^"]*)"><ul>(.*?)</ul></nav>', re.DOTALL)
HREF = re.compile(r'href="([^"]+)"')


def _menus(client: Client, path: str) -> dict[str, list[str]]:
    response = client.get(path)
    assert response.status_code == 200, path
    return {label: HREF.findall(body) for label, body in NAV.findall(response.content.decode())}


def test_a_senior_manager_sees_no_configuration_link(manager: User) -> None:
    client = verified_client(manager)
    sections = [
        "/en/staff/monitor/",
        "/en/staff/monitor/stories/",
        "/en/staff/monitor/alerts/",
        "/en/staff/monitor/responses/",
        "/en/staff/monitor/briefs/",
        "/en/staff/monitor/sources/",
    ]
    # Alerts and sources have one page each for a senior manager: no menu of one link.
    assert _menus(client, "/en/staff/monitor/alerts/") == {"Media monitoring": sections}
    assert _menus(client, "/en/staff/monitor/sources/") == {"Media monitoring": sections}
    for path in sections:
        assert client.get(path).status_code == 200, path
    for refused in ("/en/staff/monitor/alerts/rules/", "/en/staff/monitor/sources/add/"):
        assert client.get(refused).status_code == 403


def test_an_analyst_sees_each_page_of_a_section(hq_analyst: User) -> None:
    client = verified_client(hq_analyst)
    menus = _menus(client, "/en/staff/monitor/sources/")
    assert menus["Sources"] == [
        "/en/staff/monitor/sources/",
        "/en/staff/monitor/sources/add/",
        "/en/staff/monitor/sources/paste/",
    ]
    assert _menus(client, "/en/staff/monitor/alerts/")["Alerts"] == [
        "/en/staff/monitor/alerts/",
        "/en/staff/monitor/alerts/rules/",
    ]
    for links in [*menus.values(), *_menus(client, "/en/staff/monitor/queries/").values()]:
        for link in links:
            assert client.get(link).status_code == 200, link
