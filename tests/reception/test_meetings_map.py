"""The province maps of public meetings: server-side SVG from core's geometry, the meeting's
province marked, named for screen readers, said in words beside it; the list's map with its table."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tabyin.core.display import geo
from tabyin.core.models import User
from tests.reception.polls_helpers import page_text
from tests.reception.test_meetings import _open_meeting

pytestmark = pytest.mark.django_db


def test_the_locator_marks_one_province_and_names_it() -> None:
    drawn = str(
        geo.locator([geo.Marked("IR-23", "تهران: <نشست>")], title="نقشه", desc="توضیح", language="fa")
    )
    assert drawn.count('<path class="province marked"') == 1
    assert drawn.count('<path class="province"') == 30
    assert 'role="img"' in drawn
    assert '<title id="locator-title">نقشه</title><desc id="locator-desc">توضیح</desc>' in drawn
    assert "<title>تهران: &lt;نشست&gt;</title></path></svg>" in drawn  # marked last, escaped
    assert "<title>اصفهان</title>" in drawn
    linked = str(geo.locator([geo.Marked("IR-10", "اصفهان", "/x/")], title="t", desc="d", language="en"))
    assert 'role="group"' in linked and '<a href="/x/"><title>اصفهان</title>' in linked
    assert "<title>Tehran</title>" in linked


def test_the_meeting_page_shows_its_province_on_a_map(hq_analyst: User) -> None:
    meeting = _open_meeting(hq_analyst, iso="IR-10")
    response = Client().get(reverse("reception:meeting", args=[meeting.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<title id="meeting-map-title">نقشه: استان اصفهان</title>' in html
    assert '<desc id="meeting-map-desc">استان اصفهان روی نقشهٔ استان‌های ایران پررنگ شده است.</desc>' in html
    assert "<title>اصفهان: نشست این‌جاست</title>" in html
    assert len(re.findall(r'class="province marked"', html)) == 1
    text = page_text(response)
    assert "نشست در استان اصفهان برگزار می‌شود که روی نقشه پررنگ شده است." in text
    assert "دادهٔ نقشه: © OpenStreetMap contributors" in text
    assert "<script" not in html.split("<main", 1)[1]


def test_the_list_has_a_map_and_a_table_of_provinces(hq_analyst: User) -> None:
    _open_meeting(hq_analyst, iso="IR-10")
    _open_meeting(hq_analyst, iso="IR-23")
    _open_meeting(hq_analyst, iso="IR-23")
    response = Client().get(reverse("reception:meetings"))
    html = response.content.decode()
    assert len(re.findall(r'class="province marked"', html)) == 2
    assert "<title>تهران: ۲ نشست پیش رو</title>" in html
    text = page_text(response)
    assert "نشست‌های پیش رو به تفکیک استان استان نشست‌های پیش رو نخستین نشست اصفهان ۱" in text
    assert "تهران ۲" in text
