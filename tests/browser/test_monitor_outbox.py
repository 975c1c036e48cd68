"""The monitor's response page in a real browser, in Persian, once the answer went out through the
campaigns outbox (local bot servers: Telegram took it, Eitaa refused it and waits for a retry).
Screenshots: test-artifacts/screenshots/monitor-outbox-fa.png and monitor-outbox-fa-phone.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from pytest_django.live_server_helper import LiveServer

from tabyin.campaigns.outbox.channels.sinks import BotSink
from tabyin.core.enums import Role
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.responses import services as services_responses
from tests import factories
from tests.browser.conftest import RecordingPage
from tests.browser.test_reports_staff import sign_in
from tests.monitor.answering import T0, approved, ingest_rumor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_response_page_shows_the_outbox_ledger(
    live_server: LiveServer, page: RecordingPage, phone: RecordingPage
) -> None:
    services_ingest.reset_index()
    factories.seed_org()
    with BotSink() as sink:
        configured = {
            f"TABYIN_CAMPAIGNS_{c}_{k}": v
            for c in ("TELEGRAM", "EITAA")
            for k, v in (("API_BASE", sink.url), ("TOKEN", f"tok-{c.lower()}"), ("CHAT", f"@t_{c.lower()}"))
        }
        sink.state.refuse.add("tok-eitaa")
        with (
            override_settings(**configured, TABYIN_CAMPAIGNS_BALE_CHAT=""),
            time_machine.travel(T0 + timedelta(hours=26), tick=True),
        ):
            rumor = ingest_rumor()
            analyst = factories.persona("hq.analyst", "hq", Role.ANALYST)
            manager = factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)
            services_responses.response_publish(actor=manager, response=approved(rumor, analyst, manager))
            for view in (page, phone):
                sign_in(view, manager, live_server)
                view.page.goto(f"{live_server.url}/staff/monitor/responses/{rumor.pk}/")
                table = view.page.locator("[data-testid=outbox-deliveries]").inner_text()
                assert "کانال تلگرام" in table and "کانال ایتا" in table
                assert (
                    view.page.locator("[data-testid=outbox-link]").inner_text() == "این پیام در صندوق ارسال"
                )
                assert view.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            page.shot("monitor-outbox-fa")
            phone.shot("monitor-outbox-fa-phone")
    services_ingest.reset_index()
