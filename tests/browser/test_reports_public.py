"""The public report pages in a real browser, in Persian: a reporter on a 360 px phone with
JavaScript off chooses a category, fills the form, reads the receipt code, follows the report up
with the code typed in Persian digits and sees its status. Nothing comes from other hosts and
nothing is wider than the screen. On a desktop the script hides questions that do not apply."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.reports.intake import abuse
from tabyin.reports.models import Report
from tests import factories
from tests.browser.conftest import RecordingPage, _page
from tests.reports import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture(autouse=True)
def instant(monkeypatch: pytest.MonkeyPatch) -> None:
    # The live server runs in this process: a person is slower than 3 s, Playwright is not.
    monkeypatch.setattr(abuse, "MIN_AGE_SECONDS", 0)


@pytest.fixture
def categories(org: None) -> None:
    """The default categories: a transactional test before this one may have flushed them."""
    import_module("tabyin.reports.migrations.0002_default_categories").install(apps, None)


@pytest.fixture
def handlers(categories: None) -> None:
    """Tehran's security office and every HQ receiving unit can read reports (they have keys)."""
    for username, unit in [
        ("tehran.security", "ir-23-security"),
        ("hq.security", "hq-security"),
        ("hq.inspection", "hq-inspection"),
        ("hq.board", "hq-violations-board"),
    ]:
        helpers.keys_for(factories.persona(username, unit, Role.CASE_HANDLER))


@pytest.fixture
def phone_without_js(browser: Browser) -> Iterator[RecordingPage]:
    yield from _page(
        browser,
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        locale="fa-IR",
        java_script_enabled=False,
    )


def _fits(page: RecordingPage) -> None:
    assert page.page.evaluate("document.documentElement.scrollWidth") <= 360


def test_report_and_follow_up_on_a_phone_without_javascript(
    live_server: LiveServer,
    phone_without_js: RecordingPage,
    handlers: None,
    settings: Any,
) -> None:
    # Without JavaScript the challenge stays unsolved and the server waits for the form's age
    # instead (test_abuse_flood.py); a person takes longer than that, Playwright does not.
    settings.TABYIN_REPORTS_NOJS_WAIT_SECONDS = 0
    phone = phone_without_js
    p = phone.page
    p.goto(live_server.url + "/reports/")
    assert p.locator("html").get_attribute("dir") == "rtl"
    phone.shot("reports-index-phone")
    _fits(phone)
    p.goto(live_server.url + "/reports/protections/")
    phone.shot("reports-protections-phone")
    _fits(phone)

    p.goto(live_server.url + "/reports/new/")
    p.locator("label[for='c-bribery']").click()
    phone.shot("reports-choose-phone")
    _fits(phone)
    p.locator("form.rp-form button[type='submit']").click()
    p.wait_for_load_state()
    assert p.url.endswith("/reports/new/?category=bribery")

    p.select_option("#f-province", "IR-23")
    p.locator("label[for='f-place_kind-branch']").click()
    p.fill("#f-place_name", "شعبهٔ ۱۲ تهران")
    p.fill("#f-when", "۲۰ آبان ۱۴۰۵")
    p.fill("#f-what", "کوتاه")  # too short: the server says so next to the field
    p.locator("label[for='f-q_paid-no']").click()
    p.locator("button.rp-send").click()
    p.wait_for_load_state()
    assert p.locator(".rp-problems").is_visible()
    assert p.locator("#f-what-err").count() == 1
    assert p.locator("#f-province").input_value() == "IR-23"  # what was typed is kept
    assert p.locator("#f-q_paid-no").is_checked()
    phone.shot("reports-form-errors-phone")
    _fits(phone)
    p.fill("#f-what", "کارمند باجه برای ثبت سابقهٔ بیمه پول نقد خواست و گفت بدون آن کار انجام نمی‌شود.")
    # Without JavaScript the conditional questions stay visible, with their "answer only if" note.
    assert p.locator("#f-q_method-field .rp-condition").is_visible()
    phone.shot("reports-form-phone")
    _fits(phone)
    p.locator("button.rp-send").click()
    p.wait_for_load_state()

    assert p.url.endswith("/reports/receipt/")
    code = p.locator("[data-receipt]").get_attribute("data-receipt") or ""
    assert len(code) == 19 and Report.objects.count() == 1
    assert p.locator(".rp-code").inner_text().replace("\n", " ").split() == code.translate(TO_PERSIAN).split()
    phone.shot("reports-receipt-phone")
    _fits(phone)
    p.reload()
    assert p.locator("[data-receipt]").count() == 0  # shown once

    # Sent before the no-JavaScript wait is over: the page says how long is left and keeps the code.
    settings.TABYIN_REPORTS_NOJS_WAIT_SECONDS = 600
    p.goto(live_server.url + "/reports/follow-up/")
    p.fill("#f-code", code.translate(TO_PERSIAN))
    phone.shot("reports-follow-up-phone")
    p.locator("form.rp-form button[type='submit']").click()
    p.wait_for_load_state()
    alert = p.locator(".rp-alert").inner_text()
    # The wait counts from the form's page load; a loaded machine spends seconds between the two.
    left = re.match(r"لطفاً ([۰-۹]+) ثانیهٔ دیگر صبر کنید", alert)
    assert left is not None, alert
    assert 540 <= int(left.group(1).translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))) <= 600
    assert p.locator("#f-code").input_value() == code.translate(TO_PERSIAN)
    phone.shot("reports-follow-up-wait-phone")
    _fits(phone)
    settings.TABYIN_REPORTS_NOJS_WAIT_SECONDS = 0
    p.locator("form.rp-form button[type='submit']").click()
    p.wait_for_load_state()
    assert p.url.endswith("/reports/follow-up/case/")
    assert p.locator(".rp-status-received").count() == 1
    p.fill("#f-body", "آیا به مدرک دیگری نیاز دارید؟")
    p.locator("section button[type='submit']").click()
    p.wait_for_load_state()
    assert p.locator(".rp-said-reporter").count() == 1
    phone.shot("reports-case-phone")
    _fits(phone)
    assert all(code.replace(" ", "") not in url for url in phone.requests)


def test_the_form_and_a_poster_on_a_desktop(
    live_server: LiveServer, page: RecordingPage, categories: None
) -> None:
    p = page.page
    p.goto(live_server.url + "/reports/new/?category=bribery&office=ir-23")
    # With JavaScript, "how was it paid?" shows only once "yes" is chosen.
    assert not p.locator("#f-q_method-field").is_visible()
    p.locator("label[for='f-q_paid-yes']").click()
    assert p.locator("#f-q_method-field").is_visible()
    assert not p.locator("#f-q_method-field .rp-condition").is_visible()
    assert p.locator("#f-province").input_value() == "IR-23"
    page.shot("reports-form")

    p.goto(live_server.url + "/reports/posters/")
    assert p.locator(".rp-offices a").count() == 32  # headquarters and the 31 provinces
    page.shot("reports-posters")
    p.goto(live_server.url + "/reports/posters/ir-23/")
    assert p.locator(".rp-poster-qr svg").count() == 1
    # No script of its own: only the shell's pwa.js (offline reading), which the page does not need.
    assert p.locator("script:not([src*='/tabyin/js/pwa'])").count() == 0
    page.shot("reports-poster")
    p.emulate_media(media="print")
    assert not p.locator(".site-header").is_visible()
    page.shot("reports-poster-print")


def test_the_challenge_is_solved_in_chromium_at_the_production_difficulty(
    live_server: LiveServer, page: RecordingPage, handlers: None, settings: Any
) -> None:
    """With JavaScript the page solves its challenge while the person types: a report, a follow-up
    typed and sent at once (the script holds the post until solved) and a message, all without
    the no-JavaScript wait, which is set long enough here that only a solved challenge gets in."""
    from tabyin.config.env import TabyinEnv

    settings.TABYIN_REPORTS_POW_BITS = TabyinEnv.model_fields["reports_pow_bits"].default
    settings.TABYIN_REPORTS_NOJS_WAIT_SECONDS = 600
    p = page.page
    p.goto(live_server.url + "/reports/new/?category=bribery")
    assert p.locator("input[data-pow-bits]").get_attribute("data-pow-bits") == str(
        settings.TABYIN_REPORTS_POW_BITS
    )
    for text in ("abc", "", "x" * 55, "0123456789abcdef0123456789abcdef:4294967296"):
        assert p.evaluate("t => window.tabyinSha256Hex(t)", text) == hashlib.sha256(text.encode()).hexdigest()
    p.select_option("#f-province", "IR-23")
    p.locator("label[for='f-place_kind-branch']").click()
    p.fill("#f-place_name", "شعبهٔ ۱۲ تهران")
    p.fill("#f-what", "کارمند باجه برای ثبت سابقهٔ بیمه پول نقد خواست و گفت بدون آن کار انجام نمی‌شود.")
    p.locator("label[for='f-q_paid-no']").click()
    p.wait_for_selector("form#report-form[data-pow='solved']")
    field = p.locator("input[data-pow-nonce]")
    nonce, answer = field.get_attribute("data-pow-nonce"), field.input_value()
    digest = hashlib.sha256(f"{nonce}:{answer}".encode()).digest()
    assert int.from_bytes(digest, "big") >> (256 - settings.TABYIN_REPORTS_POW_BITS) == 0
    p.locator("button.rp-send").click()
    p.wait_for_load_state()
    assert p.url.endswith("/reports/receipt/"), p.content()[:2000]
    code = p.locator("[data-receipt]").get_attribute("data-receipt") or ""

    p.goto(live_server.url + "/reports/follow-up/")
    p.fill("#f-code", code)
    p.locator("form.rp-form button[type='submit']").click()  # at once: the script holds the post
    p.wait_for_url("**/reports/follow-up/case/")
    p.fill("#f-body", "آیا به مدرک دیگری نیاز دارید؟")
    p.locator("section button[type='submit']").click()
    p.wait_for_url("**/reports/follow-up/case/?sent=1")
    assert p.locator(".rp-said-reporter").count() == 1
    page.shot("reports-case-with-js")
    assert page.outside_requests() == []
