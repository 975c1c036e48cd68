"""The transparency site in a real browser: nothing from other hosts, fits a 360 px phone, the map
has every province, and the home page stays within its weight budget (fonts included)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from playwright.sync_api import Request
from pytest_django.live_server_helper import LiveServer

from tabyin.core import selectors as core_selectors
from tabyin.portal.catalog.definitions import INDICATORS
from tabyin.portal.enums import FigureStatus
from tabyin.portal.models import Dataset, Observation
from tests import factories
from tests.browser.conftest import RecordingPage
from tests.portal.factories import install_catalog, observe, release

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_BUDGET = 300 * 1024  # bytes on first visit, fonts included
MONTHS = [f"1403-{m:02d}" for m in range(6, 13)] + [f"1404-{m:02d}" for m in range(1, 13)]
MONTHS += [f"1405-{m:02d}" for m in range(1, 6)]  # 24 months


def _published_site() -> None:
    """Two years of national figures for every headline indicator and the latest month for every
    province, as a deployment would have: big enough to show the real page weight."""
    factories.seed_org()
    install_catalog()
    releases = {d.slug: release(d) for d in Dataset.objects.all()}
    for d in INDICATORS:
        if d.headline_order is None and d.code != "coverage-rate":
            continue
        base, step = (978_315, 2_000) if d.code == "outpatient-services-per-day" else (1_058, 7)
        for i, period in enumerate(MONTHS):
            status = FigureStatus.PROVISIONAL if period == MONTHS[-1] else FigureStatus.FINAL
            observe(d.code, "IR", period, base + i * step, status=status, in_release=releases[d.theme])
    for i, unit in enumerate(core_selectors.provinces()):
        # Population share, spread ±15 % so the per-capita view has something to show.
        share = Decimal(unit.population_2016 or 0) / Decimal(79_926_270)
        spread = Decimal("0.85") + Decimal("0.3") * ((i * 7) % 31) / 31
        value = (Decimal(1_024_315) * share * spread).quantize(Decimal(1))
        observe(
            "outpatient-services-per-day",
            unit.iso_code,
            MONTHS[-1],
            value,
            status=FigureStatus.PROVISIONAL,
            in_release=releases["services"],
        )
    latest = Observation.objects.filter(area="IR", period=MONTHS[-1])
    latest.update(change_prev=Decimal("0.0230"), change_yoy=Decimal("-0.0150"))
    cache.clear()


def _weight(page: RecordingPage, url: str) -> tuple[int, list[tuple[str, int]]]:
    """Sum of the response bodies the browser received for one visit (a fresh context)."""
    finished: list[Request] = []

    def record(request: Request) -> None:  # Playwright cannot take a builtin method (list.append)
        finished.append(request)

    page.page.on("requestfinished", record)
    page.page.goto(url)
    page.page.wait_for_load_state("networkidle")
    parts = [(r.url.rsplit("/", 1)[-1] or r.url, r.sizes()["responseBodySize"]) for r in finished]
    return sum(size for _, size in parts), parts


def test_home_page_is_light_local_and_complete(live_server: LiveServer, page: RecordingPage) -> None:
    _published_site()

    total, parts = _weight(page, live_server.url + "/overview/")
    page.shot("portal-home")

    print(f"\nhome page weight: {total} bytes ({total / 1024:.1f} KB): {parts}")
    assert total <= HOME_BUDGET, parts
    assert any(name.endswith(".woff2") for name, _ in parts)  # the font is counted, not skipped
    assert page.page.locator(".cards > li").count() == 7
    assert page.page.locator(".cards > li").first.locator(".figure-value").inner_text() == "۱٬۰۲۴٬۳۱۵"
    assert page.page.evaluate("document.fonts.check('16px Vazirmatn')") is True


def test_indicator_page_with_chart_and_map(live_server: LiveServer, page: RecordingPage) -> None:
    _published_site()

    total, _parts = _weight(page, live_server.url + "/indicators/outpatient-services-per-day/")
    page.shot("portal-indicator")

    print(f"\nindicator page weight: {total} bytes ({total / 1024:.1f} KB)")
    p = page.page
    assert p.locator("svg.map path.province").count() == 31
    assert p.locator("svg.map .nodata").count() == 0
    assert p.locator("svg.bar-chart a").count() == 31
    assert p.locator("svg.line-chart circle").count() == 24
    assert p.get_by_text("© OpenStreetMap contributors").is_visible()
    # The hidden data table is in the accessibility tree but takes no room on screen.
    hidden = p.locator(".visually-hidden table")
    assert hidden.locator("tbody tr").count() == 24
    box = p.locator("#series .visually-hidden").bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1
    # A province on the map is a link to its page.
    p.locator('svg.map a[href="/provinces/IR-23/"]').click()
    p.wait_for_url(live_server.url + "/provinces/IR-23/")
    assert p.locator("h1").inner_text() == "تهران"


def test_indicator_page_fits_a_360px_phone(live_server: LiveServer, phone: RecordingPage) -> None:
    _published_site()

    phone.page.goto(live_server.url + "/indicators/outpatient-services-per-day/")
    phone.page.wait_for_load_state("networkidle")
    phone.shot("portal-indicator-phone")

    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.page.locator("svg.map path.province").count() == 31


def test_home_fits_a_360px_phone_and_the_feedback_form_works_without_javascript(
    live_server: LiveServer, phone: RecordingPage
) -> None:
    _published_site()
    p = phone.page

    p.goto(live_server.url + "/overview/")
    phone.shot("portal-home-phone")
    assert p.evaluate("document.documentElement.scrollWidth") <= 360

    p.goto(live_server.url + "/indicators/coverage-rate/")
    p.fill("#id_comment", "واحد را بهتر توضیح دهید")
    p.locator('button[name="clear"][value="no"]').click()
    p.wait_for_url(live_server.url + "/indicators/coverage-rate/#feedback")
    assert p.locator(".messages .message-success").count() == 1
    assert p.evaluate("document.documentElement.scrollWidth") <= 360
