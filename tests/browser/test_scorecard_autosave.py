"""Save as you go on the scorecard's entry steps (``scorecard-entry.js``), in Persian on a 390 px
phone: a value typed and left is stored without a button, the status line says so, a reload shows
it; a refused value says why and stores nothing; a figure far from the province's own history brings
its "are you sure?" note at once, and ticking its box confirms it in the background too. Without
JavaScript the same page saves with its buttons (test_scorecard_staff.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from tabyin.scorecard.entry import services as services_entry
from tabyin.scorecard.framework import services as services_framework
from tabyin.scorecard.models import Indicator, Submission, Value
from tests import factories
from tests.browser.axe import violations
from tests.browser.conftest import RecordingPage, _page
from tests.browser.test_scorecard_staff import sign_in
from tests.scorecard.helpers import make_period, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone390(browser: Browser) -> Iterator[RecordingPage]:
    yield from _page(
        browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, locale="fa-IR"
    )


def test_values_are_saved_as_they_are_typed(live_server: LiveServer, phone390: RecordingPage) -> None:
    factories.seed_org()
    framework, _created = services_framework.framework_install_default()
    news = Indicator.objects.select_related("parent").get(framework=framework, code="S05")  # a count
    for code, figure in (("1402", "120"), ("1403", "340")):
        earlier = make_period(code, framework=framework)
        submission = Submission.objects.get(period=earlier, province__iso_code="IR-23")
        services_entry.values_save(
            actor=officer("IR-23"), submission=submission, rows={news.code: {"value": figure}}
        )
    make_period("1404", framework=framework)
    sign_in(phone390, officer("IR-23"), live_server)
    p = phone390.page
    assert news.parent is not None
    p.goto(f"{live_server.url}/staff/scorecard/1404/IR-23/entry/{news.parent.code}/")
    status = p.get_by_test_id("autosave")
    field = p.locator(f"#id_{news.code}-value")

    field.fill("۲۵۰")
    field.press("Tab")  # leaving the field is the change that saves it
    expect(status).to_have_text("ذخیره شد.")
    value = Value.objects.get(submission__period__code="1404", indicator=news)
    assert value.value == 250 and value.warning == {}
    phone390.shot("scorecard-staff-entry-autosave-390-fa")
    assert violations(p) == []
    assert p.evaluate("document.documentElement.scrollWidth") <= 390
    p.reload()
    expect(field).to_have_value("۲۵۰")

    # Refused: said in Persian, nothing stored, what was typed stays in the field.
    field.fill("چند")
    field.press("Tab")
    expect(status).to_contain_text("ذخیره نشد:")
    expect(status).to_contain_text(news.code)
    expect(field).to_have_value("چند")
    value.refresh_from_db()
    assert value.value == 250

    # Far from Tehran's 120 and 340: saved, and the note with the figures asks at once.
    field.fill("۹۹٬۹۹۹٬۹۹۹")
    field.press("Tab")
    expect(status).to_contain_text("برخی رقم‌ها با معمول فاصلهٔ زیادی دارند")
    warning = p.get_by_test_id(f"warning-{news.code}")
    expect(warning).to_contain_text("مقدار شما ۹۹٬۹۹۹٬۹۹۹ است؛ در دوره‌های پیشین بین ۱۲۰ تا ۳۴۰ بوده است.")
    phone390.shot("scorecard-staff-entry-autosave-warning-390-fa")
    assert violations(p) == []
    value.refresh_from_db()
    assert value.value == 99_999_999 and value.confirmed_by is None
    warning.get_by_role("checkbox").check()
    expect(status).to_have_text("ذخیره شد.")
    expect(warning).to_contain_text("تأیید کردید")
    value.refresh_from_db()
    assert value.confirmed_by == officer("IR-23")
    p.reload()
    expect(field).to_have_value("۹۹۹۹۹۹۹۹")
