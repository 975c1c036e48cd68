"""The public menu on a phone and on a wide screen, without JavaScript (public pages work without it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from tabyin.core.registry import registry
from tests import factories
from tests.browser.conftest import RecordingPage, _page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# shell.css: a menu entry is 2.75rem (44 px) high and the phone menu has no row gap, so two lines
# of it are 88 px. Nine entries in one flat list took four lines at 360 px (166 px in Persian,
# 153 in English).
TWO_LINES_PX = 2 * 44
TARGET_PX = 44


def _no_js(browser: Browser, width: int) -> Iterator[RecordingPage]:
    return _page(
        browser,
        viewport={"width": width, "height": 740},
        device_scale_factor=2,
        is_mobile=width < 800,
        locale="fa-IR",
        java_script_enabled=False,
    )


@pytest.fixture(params=[360, 390], ids=["360px", "390px"])
def phone_no_js(browser: Browser, request: pytest.FixtureRequest) -> Iterator[RecordingPage]:
    yield from _no_js(browser, request.param)


@pytest.fixture
def wide_no_js(browser: Browser) -> Iterator[RecordingPage]:
    yield from _no_js(browser, 1280)


def _public_hrefs(lang: str) -> dict[str, bool]:
    """Each public menu entry's address, with whether it stays on the phone's first line."""
    with translation.override(lang):
        return {reverse(entry.url_name): entry.phone for entry in registry.nav_for("public", None)}


def _shown_links(page: Page) -> dict[str, dict[str, float]]:
    """The menu links a person can see now, by address, with their boxes."""
    boxes: dict[str, dict[str, float]] = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.site-header nav a')]
            .filter(a => a.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true}))
            .map(a => { const r = a.getBoundingClientRect();
                        return [a.getAttribute('href'), {x: r.x, y: r.y, w: r.width, h: r.height}]; }))"""
    )
    return boxes


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_the_phone_menu_is_two_lines_and_every_entry_is_reachable_without_javascript(
    live_server: LiveServer, phone_no_js: RecordingPage, lang: str
) -> None:
    factories.seed_org()
    hrefs = _public_hrefs(lang)
    first_line = {href for href, phone in hrefs.items() if phone}
    page = phone_no_js.page
    width = page.viewport_size["width"] if page.viewport_size else 0
    home = "/" if lang == "fa" else "/en/"
    page.goto(live_server.url + home)
    phone_no_js.shot(f"menu-{width}-{lang}")

    menu = page.locator(".site-header nav > ul").bounding_box()
    assert menu is not None
    assert menu["height"] <= TWO_LINES_PX, f"the menu is {menu['height']} px high at {width} px"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Nine entries, three of them on the line: the rest wait under «بیشتر».
    assert len(hrefs) == 9 and len(first_line) == 3
    assert set(_shown_links(page)) == first_line
    more = page.locator(".site-header nav summary")
    assert more.inner_text().strip() == ("بیشتر" if lang == "fa" else "More")
    box = more.bounding_box()
    assert box is not None and box["height"] >= TARGET_PX and box["width"] >= TARGET_PX

    main_before = page.locator("main").bounding_box()
    more.click()
    phone_no_js.shot(f"menu-{width}-{lang}-open")
    shown = _shown_links(page)
    assert set(shown) == set(hrefs)
    for href, b in shown.items():
        assert b["h"] >= TARGET_PX and b["w"] >= TARGET_PX, (href, b)
        assert b["x"] >= 0 and b["x"] + b["w"] <= width and b["y"] + b["h"] <= 740, (href, b)
    # Opening it moves nothing: the sheet lies over the page.
    assert page.locator("main").bounding_box() == main_before

    extra = next(href for href, phone in hrefs.items() if not phone)
    page.locator(f'.nav-more a[href="{extra}"]').click()
    page.wait_for_load_state()
    assert page.url == live_server.url + extra
    # On a page under «بیشتر», the closed «بیشتر» is marked and the entry inside carries aria-current.
    assert page.locator(".nav-more summary.nav-more-here").count() == 1
    assert page.locator(f'.nav-more a[href="{extra}"]').get_attribute("aria-current") == "page"
    assert page.locator('.site-header nav a[aria-current="page"]').count() == 2  # one copy is display: none
    assert set(_shown_links(page)) == first_line


def test_the_phone_menu_opens_from_the_keyboard(live_server: LiveServer, phone_no_js: RecordingPage) -> None:
    factories.seed_org()
    hrefs = _public_hrefs("fa")
    page = phone_no_js.page
    page.goto(live_server.url + "/")

    order = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = "document.activeElement.getAttribute('href') || document.activeElement.tagName"
        order.append(page.evaluate(focused))
        if order[-1] == "SUMMARY":
            break
    assert order[-1] == "SUMMARY"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    first_extra = next(href for href, phone in hrefs.items() if not phone)
    assert page.evaluate("document.activeElement.getAttribute('href')") == first_extra


def test_a_wide_screen_shows_every_entry_and_no_more(
    live_server: LiveServer, wide_no_js: RecordingPage
) -> None:
    factories.seed_org()
    page = wide_no_js.page
    page.goto(live_server.url + "/")
    wide_no_js.shot("menu-1280-fa")

    assert set(_shown_links(page)) == set(_public_hrefs("fa"))
    assert page.locator(".site-header nav summary").is_visible() is False
