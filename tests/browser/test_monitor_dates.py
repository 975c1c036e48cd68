"""A story with a post whose date is unknown, in a real browser in Persian: the timeline says
«تاریخ نامعلوم» where a time would be. Screenshot: test-artifacts/screenshots/monitor-date-unknown-fa.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import Story
from tabyin.monitor.pipeline.types import RawPost
from tests import factories
from tests.browser.conftest import RecordingPage
from tests.browser.test_reports_staff import sign_in
from tests.monitor.texts import NEWS, T0

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_timeline_shows_date_unknown(live_server: LiveServer, page: RecordingPage) -> None:
    with time_machine.travel(T0 + timedelta(hours=2), tick=True):
        factories.seed_org()
        services_ingest.reset_index()
        services_ingest.ingest(
            [
                RawPost("telegram:fori", "7", "🔴 " + NEWS, T0 + timedelta(minutes=90), date_unknown=True,
                        date_raw="دیروز", source_name="کانال فوری"),
                RawPost("rss:isna", "9", NEWS, T0 + timedelta(minutes=20), source_name="ایسنا"),
            ]
        )  # fmt: skip
        services_ingest.reset_index()
        story = Story.objects.get()
        sign_in(page, factories.persona("hq.analyst", "hq", Role.ANALYST), live_server)
        p = page.page
        p.goto(f"{live_server.url}/staff/monitor/stories/{story.pk}/")
        unknown = p.locator("[data-testid=date-unknown]")
        assert unknown.count() == 1
        assert unknown.inner_text() == "تاریخ نامعلوم"
        assert unknown.get_attribute("title") == "دیروز"
        assert p.locator("[data-testid=timeline] time").count() == 1
        assert (
            p.locator("[data-testid=origin-text]").inner_text().startswith("سازمان تامین اجتماعی اعلام کرد")
        )
        page.page.locator("[data-testid=timeline]").scroll_into_view_if_needed()
        page.shot("monitor-date-unknown-fa")
