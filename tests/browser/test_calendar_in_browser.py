"""The staff calendar in a real browser, in Persian: Azar 1405 as an HQ analyst at 1280 px (the
month table with the province filter) and at 390 px without JavaScript (the month's list; the
table is hidden), no WCAG 2.1 AA violation, nothing wider than the phone.
Screenshots: calendar-fa.png, calendar-phone.png."""

from __future__ import annotations

import pytest
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tests import factories
from tests.browser.axe import violations
from tests.browser.conftest import RecordingPage
from tests.browser.test_reports_staff import sign_in
from tests.core.test_calendar import make_plans

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_calendar_month_and_list_in_persian(
    live_server: LiveServer, page: RecordingPage, phone390: RecordingPage
) -> None:
    factories.seed_org()
    analyst = factories.persona("hq.analyst", "hq", Role.ANALYST)
    make_plans(analyst)

    for recording in (page, phone390):
        sign_in(recording, analyst, live_server)
        recording.page.goto(f"{live_server.url}/staff/calendar/?month=1405-09")
    p = page.page
    assert p.inner_text("[data-testid=cal-title]") == "آذر ۱۴۰۵"
    assert p.locator("[data-testid=cal-grid]").is_visible()
    assert p.locator("[data-testid=cal-entry]").count() == 9
    assert p.locator("[data-testid=cal-entry]").nth(3).inner_text().split("\n")[0] == "نشست عمومی: نشست تهران"
    assert violations(p) == []
    page.shot("calendar-fa")

    phone = phone390.page
    assert not phone.locator("[data-testid=cal-grid]").is_visible()
    assert phone.locator("[data-testid=cal-entry]").count() == 9
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone390.shot("calendar-phone")

    # The province filter is a plain form: Isfahan keeps its meeting and the national entries.
    p.select_option("#cal-province", "IR-10")
    p.get_by_role("button", name="نمایش").click()
    p.wait_for_load_state()
    assert p.locator("[data-testid=cal-entry]").count() == 6
    page.shot("calendar-isfahan-fa")
