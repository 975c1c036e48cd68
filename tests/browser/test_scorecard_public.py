"""The scorecard on the transparency site in a real browser: a period with the default framework
(16 main, 60 sub-indicators) and 31 provinces, in Persian, on a desktop and on a 360 px phone —
nothing from other hosts, no script, nothing wider than the screen."""

from __future__ import annotations

import pytest
from pytest_django.live_server_helper import LiveServer

from tabyin.core import selectors as core_selectors
from tabyin.scorecard.entry import services as services_entry
from tabyin.scorecard.enums import PeriodState
from tabyin.scorecard.framework.services import framework_install_default
from tabyin.scorecard.models import Period, Submission
from tabyin.scorecard.periods import services as services_period
from tests import factories
from tests.browser.conftest import RecordingPage
from tests.scorecard.helpers import officer, plausible_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _period(code: str, seed: int, state: str) -> Period:
    framework, _created = framework_install_default()
    period = services_period.period_create(actor=None, code=code, framework=framework)
    period = services_period.period_open(actor=None, period=period)
    for i, unit in enumerate(core_selectors.provinces()):
        actor = officer(unit.iso_code)
        submission = Submission.objects.get(period=period, province=unit)
        covered = (unit.population_2016 or 1_000_000) * 55 // 100
        services_entry.denominators_save(
            actor=actor, submission=submission, covered_population=str(covered), pr_staff=str(5 + i % 9)
        )
        services_entry.values_save(actor=actor, submission=submission, rows=plausible_rows(period, seed + i))
    services_period.period_freeze(actor=None, period=period, draws=300)
    services_period.period_publish(actor=None, period=period)
    if state == PeriodState.FINAL:
        Period.objects.filter(pk=period.pk).update(appeal_until=None)
        services_period.period_finalize(actor=None, period=Period.objects.get(pk=period.pk))
    return Period.objects.get(pk=period.pk)


def _site() -> None:
    factories.seed_org()
    _period("1403", 100, PeriodState.FINAL)
    _period("1404", 500, PeriodState.PUBLISHED)


def _visit(page: RecordingPage, url: str) -> None:
    page.page.goto(url)
    page.page.wait_for_load_state("networkidle")
    # Works without JavaScript: no script of its own (only the shell's optional pwa.js).
    assert page.page.locator("script:not([src*='/tabyin/js/pwa'])").count() == 0


def test_period_page_on_desktop_and_phone(
    live_server: LiveServer, page: RecordingPage, phone: RecordingPage
) -> None:
    _site()
    url = live_server.url + "/scorecard/1404/"

    _visit(page, url)
    page.shot("scorecard-period")
    p = page.page
    assert p.locator("html").get_attribute("dir") == "rtl"
    assert p.locator("table.scp-ranking tbody tr").count() == 31
    assert p.locator("table.scp-matrix thead th").count() == 18  # province, 16 main indicators, total
    first_rank = p.locator("table.scp-ranking tbody tr").first.locator("td").first.inner_text()
    assert first_rank.startswith("۱")
    assert p.evaluate("document.fonts.check('16px Vazirmatn')") is True

    _visit(phone, url)
    phone.shot("scorecard-period-phone")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    # The wide tables scroll inside their own box, not the page.
    box = phone.page.locator(".scp-matrix-wrap").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360


def test_province_page_on_a_phone(live_server: LiveServer, phone: RecordingPage) -> None:
    _site()

    _visit(phone, live_server.url + "/scorecard/1404/IR-23/")
    phone.shot("scorecard-province-phone")

    p = phone.page
    assert p.locator("h1").inner_text() == "تهران"
    assert p.locator("table.scp-scores tbody tr").count() == 16
    assert p.locator("svg.scp-bar").count() >= 1
    assert p.evaluate("document.documentElement.scrollWidth") <= 360


def test_method_page_on_desktop_and_phone(
    live_server: LiveServer, page: RecordingPage, phone: RecordingPage
) -> None:
    _site()
    url = live_server.url + "/scorecard/method/"

    _visit(page, url)
    page.shot("scorecard-method")
    p = page.page
    formula = p.locator("code.scp-formula").first
    assert formula.get_attribute("dir") == "ltr"
    assert p.locator("table.scp-weights tbody tr").count() == 16
    assert p.locator("table.scp-subs tbody tr").count() == 60
    assert p.locator("#indicators").count() == 1

    _visit(phone, url)
    phone.shot("scorecard-method-phone")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
