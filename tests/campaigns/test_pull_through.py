"""Pull-through of a campaign's key messages on its page: reception measures them through core's
registry where one of its announcements, published during the campaign, carries the same sentence;
any other message is "not measured", never zero."""

from __future__ import annotations

from datetime import date

import pytest

from tabyin.campaigns.enums import Segment
from tabyin.campaigns.page.selectors import key_message_rows
from tabyin.campaigns.plan import services as plan
from tabyin.campaigns.plan.models import Campaign
from tabyin.core.models import User
from tests import factories
from tests.conftest import verified_client
from tests.reception.test_messages_views import MESSAGE, _world

pytestmark = pytest.mark.django_db
OTHER = "بیمهٔ اختیاری برای دانشجویان هم هست."


def _campaign(analyst: User, starts_on: date) -> int:
    return plan.campaign_create(
        actor=analyst,
        title="افزایش مستمری",
        aim="آگاهی",
        segments=[Segment.RETIREES],
        starts_on=starts_on,
        ends_on=date(2026, 12, 21),
        outcome_name="-",
        treated={factories.unit("ir-23"): starts_on},
        held_out=[],
        key_messages=[MESSAGE, OTHER],
    ).pk


def test_the_campaign_page_shows_reception_figures_per_key_message(hq_analyst: User) -> None:
    announcement = _world(hq_analyst)
    campaign_id = _campaign(hq_analyst, date(2026, 10, 23))
    rows = key_message_rows(campaign=Campaign.objects.get(pk=campaign_id))
    assert [r.text for r in rows] == [MESSAGE, OTHER]
    measured, unmeasured = rows
    assert measured.figures is not None
    assert (measured.figures.coverage, measured.figures.carried, measured.figures.distorted) == (4, 3, 2)
    assert (measured.figures.pull_through, measured.figures.fidelity) == (0.75, 1 / 3)
    assert measured.figures.url == f"/staff/reception/messages/{announcement.pk}/"
    assert unmeasured.figures is None
    page = verified_client(hq_analyst).get(f"/staff/campaigns/{campaign_id}/").content.decode()
    table = page.split('data-testid="key-messages"')[1].split("</table>")[0]
    assert "۷۵٫۰٪" in table and "(۳ / ۴)" in table and "۳۳٫۳٪" in table
    assert f'href="/staff/reception/messages/{announcement.pk}/"' in table
    assert table.count("اندازه‌گیری نشده") == 2


def test_an_announcement_outside_the_campaign_is_not_counted(hq_analyst: User) -> None:
    _world(hq_analyst)  # published 2026-11-20
    campaign_id = _campaign(hq_analyst, date(2026, 11, 21))
    rows = key_message_rows(campaign=Campaign.objects.get(pk=campaign_id))
    assert [r.figures for r in rows] == [None, None]
