"""The "was this clear?" answers given on an announcement's own page reach its reception report
through core's registry (the portal provides them): since publication, by its path, scoped."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from tabyin.core.models import OrgUnit, User
from tabyin.core.registry import ClarityDay, registry
from tabyin.reception.messages import selectors
from tabyin.reception.messages.models import Announcement
from tests.conftest import verified_client
from tests.reception.polls_helpers import page_text
from tests.reception.test_messages_views import T0, _world

pytestmark = pytest.mark.django_db
PATH = "/explanations/7/"


def _rows(start: date, end: date) -> list[ClarityDay]:
    isfahan = OrgUnit.objects.get(iso_code="IR-10").pk
    days = [T0.date() - timedelta(days=1), T0.date(), T0.date() + timedelta(days=2)]
    found = [
        ClarityDay("portal:explanation:1", "t", PATH, None, days[0], 50, 50),  # before publication
        ClarityDay("portal:explanation:1", "t", PATH, None, days[1], 30, 10),
        ClarityDay("portal:explanation:1", "t", PATH, None, days[2], 12, 8),
        ClarityDay("portal:indicator:2", "other page", "/indicators/x/", None, days[1], 9, 9),
        ClarityDay("portal:explanation:3", "isfahan", PATH, isfahan, days[1], 5, 0),
    ]
    return [r for r in found if start <= r.day < end]


@pytest.fixture
def clarity() -> object:
    saved = list(registry.clarity)
    registry.clarity[:] = [_rows]
    yield
    registry.clarity[:] = saved


def test_the_page_answers_since_publication(hq_analyst: User, tehran_officer: User, clarity: object) -> None:
    announcement = _world(hq_analyst)
    Announcement.objects.filter(pk=announcement.pk).update(url=f"https://example.org{PATH}")
    announcement.refresh_from_db()
    found = selectors.report(user=hq_analyst, announcement=announcement).clarity
    assert found is not None and (found.n, found.hits) == (65, 47)
    # As on the polls list: a national page's answers are HQ's data, another province's page is not
    # the officer's; a Tehran page would be.
    assert selectors.report(user=tehran_officer, announcement=announcement).clarity is None
    text = page_text(
        verified_client(hq_analyst).get(reverse("reception:staff-message", args=[announcement.pk]))
    )
    assert (
        "«روشن بود؟» در صفحهٔ خودش از زمان انتشار: ۶۵ پاسخ، ۷۲٪ روشن (بازهٔ ویلسون با اطمینان ۹۵ درصد:" in text
    )


def test_no_address_no_figure(hq_analyst: User, clarity: object) -> None:
    announcement = _world(hq_analyst)
    assert selectors.report(user=hq_analyst, announcement=announcement).clarity is None
