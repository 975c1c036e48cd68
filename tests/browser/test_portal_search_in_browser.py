"""The search page in a real browser: results before the facets on a 390 px phone and beside them
on a desktop, in Persian and English, matches marked, and the search works without JavaScript."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.portal import demo
from tabyin.portal.models import Dataset
from tests import factories
from tests.browser.conftest import RecordingPage, _page
from tests.portal.factories import install_catalog, observe, release

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone390(browser: Browser) -> Iterator[RecordingPage]:
    yield from _page(
        browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, locale="fa-IR"
    )


@pytest.fixture
def no_script(browser: Browser) -> Iterator[RecordingPage]:
    yield from _page(browser, viewport={"width": 390, "height": 844}, java_script_enabled=False)


def _site() -> None:
    factories.seed_org()
    install_catalog()
    factories.persona("hq.analyst", "hq", Role.ANALYST)
    factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)
    demo._explanations()
    coverage = release(Dataset.objects.get(slug="coverage"))
    for iso, value in {"IR-23": "71.2", "IR-10": "63.5", "IR-11": "28.0"}.items():
        observe("coverage-rate", iso, "1405-05", value, numerator=1, denominator=2, in_release=coverage)
    cache.clear()


def _boxes(rec: RecordingPage) -> tuple[dict[str, float], dict[str, float]]:
    results = rec.page.locator(".results").bounding_box()
    facets = rec.page.locator(".facets").bounding_box()
    assert results is not None and facets is not None
    return dict(results), dict(facets)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_on_a_phone_the_results_come_before_the_facets(
    live_server: LiveServer, phone390: RecordingPage, prefix: str
) -> None:
    _site()
    phone390.page.goto(f"{live_server.url}{prefix}/search/?q=بیمه")
    phone390.shot(f"portal-search-phone{prefix.replace('/', '-')}")

    assert phone390.page.evaluate("document.documentElement.scrollWidth") <= 390
    results, facets = _boxes(phone390)
    assert results["y"] + results["height"] <= facets["y"]  # every result above the first facet
    assert phone390.page.locator(".search-result mark").count() >= 5


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_on_a_desktop_the_facets_sit_beside_the_results(
    live_server: LiveServer, page: RecordingPage, prefix: str
) -> None:
    _site()
    page.page.goto(f"{live_server.url}{prefix}/search/?q=بیمه")
    page.shot(f"portal-search-desktop{prefix.replace('/', '-')}")

    results, facets = _boxes(page)
    assert abs(results["y"] - facets["y"]) < 1  # one row, two columns
    rtl = prefix == ""
    assert (facets["x"] > results["x"]) is rtl  # the facets at the start side: right in Persian


def test_search_and_facets_work_without_javascript(live_server: LiveServer, no_script: RecordingPage) -> None:
    _site()
    no_script.page.goto(f"{live_server.url}/search/")
    no_script.page.fill("#search-q", "تهرن")
    no_script.page.click(".search-box button")

    assert no_script.page.locator(".did-you-mean a").inner_text() == "تهران"
    assert no_script.page.locator(".search-result h2 a").first.inner_text() == "تهران"
    no_script.shot("portal-search-corrected-no-js")

    no_script.page.goto(f"{live_server.url}/search/?q=بیمه")
    no_script.page.locator(".facets a", has_text="سیستان و بلوچستان").click()
    assert "province=IR-11" in no_script.page.url
    titles = no_script.page.locator(".search-result h2 a").all_inner_texts()
    # The explanation about Sistan and Baluchestan (its area), then the pages with figures there.
    assert titles == [
        "پوشش بیمه\u200cای در سیستان و بلوچستان کمتر از یک\u200cسوم جمعیت است",
        "نرخ پوشش بیمه\u200cای",
        "پوشش بیمه\u200cای به تفکیک استان و ماه",
    ]
