"""The rumor-vs-answer comparison in a real browser, in Persian, with denials by other channels on
the answer side (ingested for real, so the stance step put them there). Screenshots go to
test-artifacts/screenshots/monitor-stance-*.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.pipeline.types import RawPost
from tests import factories
from tests.browser.conftest import RecordingPage
from tests.browser.test_reports_staff import sign_in
from tests.monitor.answering import RUMOR, T0, ingest_rumor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_denials_show_on_the_answer_side(
    live_server: LiveServer, page: RecordingPage, phone: RecordingPage
) -> None:
    services_ingest.reset_index()
    factories.seed_org()
    with time_machine.travel(T0 + timedelta(hours=26), tick=True):
        rumor = ingest_rumor()
        services_ingest.ingest(
            [
                RawPost("telegram:irna", "9", f"{RUMOR} دروغ است", T0 + timedelta(hours=1), views=40),
                RawPost("rss:isna", "s1", f"{RUMOR} دروغ است", T0 + timedelta(hours=2), views=60),
            ]
        )
        manager = factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)
        for view in (page, phone):
            sign_in(view, manager, live_server)
            view.page.goto(f"{live_server.url}/staff/monitor/responses/{rumor.pk}/")
            spread = view.page.locator("[data-testid=spread]")
            assert "سوی پاسخ (پاسخ ما و تکذیب‌ها)" in spread.inner_text()
            assert view.page.locator("[data-testid=denials]").inner_text() == (
                "سوی پاسخ ۲ پست از کانال‌های دیگر را در بر دارد که شایعه را تکذیب می‌کنند؛"
                " این پست‌ها جزو انتشار شایعه شمرده نمی‌شوند."
            )
            assert view.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.shot("monitor-stance-fa")
        phone.shot("monitor-stance-fa-phone")
    services_ingest.reset_index()
