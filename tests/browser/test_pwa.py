"""The installable web app in a real Chromium: the browser finds nothing missing to install it, a
page read before opens again offline with a notice saying when it was saved, staff pages are never
kept, and a violation report typed offline survives a reload and is sent once when the connection
returns."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.reports.intake import abuse
from tabyin.reports.models import Report
from tests import factories
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, RecordingPage, _page
from tests.reports import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def instant(monkeypatch: pytest.MonkeyPatch) -> None:
    # The live server runs in this process: a person is slower than 3 s, Playwright is not.
    monkeypatch.setattr(abuse, "MIN_AGE_SECONDS", 0)


@pytest.fixture
def reports_ready(org: None) -> None:
    import_module("tabyin.reports.migrations.0002_default_categories").install(apps, None)
    helpers.keys_for(factories.persona("tehran.security", "ir-23-security", Role.CASE_HANDLER))


@pytest.fixture
def phone(browser: Browser) -> Iterator[RecordingPage]:
    yield from _page(
        browser,
        viewport={"width": 390, "height": 800},
        device_scale_factor=2,
        is_mobile=True,
        locale="fa-IR",
        service_workers="allow",
    )


def _controlled(page: Page) -> None:
    """Waits until the worker is active and controls the page (the first visit installs it)."""
    page.evaluate("() => navigator.serviceWorker.ready")
    if not page.evaluate("() => !!navigator.serviceWorker.controller"):
        page.reload()
    assert page.evaluate("() => !!navigator.serviceWorker.controller")


def test_chromium_finds_nothing_missing_to_install_the_app(
    live_server: LiveServer, browser: Browser, tmp_path: Path
) -> None:
    # A profile on disk: Chromium never offers to install from an incognito context.
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        viewport={"width": 390, "height": 800},
        locale="fa-IR",
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(live_server.url + "/")
        _controlled(page)
        session = context.new_cdp_session(page)
        errors: dict[str, Any] = session.send("Page.getInstallabilityErrors")
        manifest: dict[str, Any] = session.send("Page.getAppManifest")
    finally:
        context.close()

    assert errors["installabilityErrors"] == []
    assert manifest["errors"] == []
    assert manifest["url"] == live_server.url + "/manifest.webmanifest"


def test_a_page_read_before_opens_offline_and_a_staff_page_does_not(
    live_server: LiveServer, phone: RecordingPage
) -> None:
    page = phone.page
    page.goto(live_server.url + "/reports/protections/")
    _controlled(page)
    page.goto(live_server.url + "/staff/login/")
    page.goto(live_server.url + "/reports/protections/")

    page.context.set_offline(True)
    page.reload()
    notice = page.locator("[data-offline-notice]")
    assert notice.count() == 1
    text = notice.inner_text()
    assert text.startswith("اتصال به اینترنت برقرار نیست. این صفحه در ")
    assert not any(ch.isascii() and ch.isdigit() for ch in text), text
    assert page.locator("h1").count() == 1
    phone.shot("pwa-offline-page-390")

    page.goto(live_server.url + "/staff/login/")
    assert page.locator("h1").inner_text() == "اتصال برقرار نیست"
    # Listed by title; the staff sign-in page visited before is not among them.
    saved = page.locator("[data-saved-pages] a")
    saved.first.wait_for()
    assert [saved.nth(i).get_attribute("href") for i in range(saved.count())] == ["/reports/protections/"]
    assert saved.first.inner_text().startswith("حقوق شما و حمایت از شما")
    phone.shot("pwa-offline-fallback-390")
    page.context.set_offline(False)


def test_a_report_typed_offline_survives_a_reload_and_is_sent_once_online(
    live_server: LiveServer, phone: RecordingPage, reports_ready: None
) -> None:
    page = phone.page
    form_url = live_server.url + "/reports/new/?category=bribery"
    page.goto(form_url)
    _controlled(page)
    page.select_option("#f-province", "IR-23")
    page.locator("label[for='f-place_kind-branch']").click()
    page.fill("#f-place_name", "شعبهٔ ۱۲ تهران")
    what = "کارمند باجه برای ثبت سابقهٔ بیمه پول نقد خواست و گفت بدون آن کار انجام نمی‌شود."
    page.fill("#f-what", what)
    page.locator("label[for='f-q_paid-no']").click()
    page.wait_for_selector("form#report-form[data-pow='solved']")

    page.context.set_offline(True)
    page.locator("button.rp-send").click()
    assert page.locator(".draft-note").inner_text().startswith("اتصال به اینترنت برقرار نیست.")
    phone.shot("pwa-report-held-offline-390")
    assert Report.objects.count() == 0

    page.reload()  # offline: the form itself is never kept (no-store), the draft is
    assert page.locator("h1").inner_text() == "اتصال برقرار نیست"

    page.context.set_offline(False)
    page.goto(form_url)  # the draft comes back and, once the page is ready, goes out once
    page.wait_for_url("**/reports/receipt/", timeout=30_000)
    assert Report.objects.count() == 1
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('tabyin-draft:'))") == []

    page.goto(form_url)
    assert page.locator(".draft-note").count() == 0
    assert page.locator("#f-what").input_value() == ""
    assert Report.objects.count() == 1


def test_an_idea_typed_offline_survives_a_reload_and_is_sent_once_online(
    live_server: LiveServer, phone: RecordingPage, org: None
) -> None:
    from tabyin.core.sms import console
    from tabyin.ideas.entries.models import Entry
    from tests.ideas.helpers import make_challenge, sent_code

    make_challenge()
    page = phone.page
    page.goto(live_server.url + "/ideas/c/queues/")
    _controlled(page)
    page.get_by_test_id("send").click()
    page.get_by_label("شمارهٔ همراه یا نشانی رایانامه").fill("۰۹۱۲ ۳۴۵ ۶۷۸۹")
    page.get_by_role("button", name="کد را برایم بفرست").click()
    page.get_by_label("کد شش‌رقمی که فرستادیم").fill(sent_code("+989123456789"))
    page.get_by_role("button", name="تأیید").click()
    page.get_by_label("دسته").select_option("نوبت‌دهی")
    page.get_by_label("عنوان").fill("نوبت پیامکی")
    body = "هر کس نوبت گرفت پیامکی با زمان تقریبی نوبتش بگیرد تا از صبح در شعبه ننشیند."
    page.get_by_label("ایدهٔ شما").fill(body)

    page.context.set_offline(True)
    page.get_by_role("button", name="فرستادن", exact=True).click()
    assert page.locator(".draft-note").inner_text().startswith("اتصال به اینترنت برقرار نیست.")
    phone.shot("pwa-idea-held-offline-390")
    assert Entry.objects.count() == 0
    page.reload()  # offline: the form is a public page kept on the device, with the draft in it
    assert page.locator("[data-offline-notice]").count() == 1
    expect(page.get_by_label("عنوان")).to_have_value("نوبت پیامکی")
    assert Entry.objects.count() == 0

    page.context.set_offline(False)  # the page kept on the device sends the draft once, by itself
    page.wait_for_url("**/ideas/c/queues/sent/", timeout=30_000)
    assert list(Entry.objects.values_list("title", "body")) == [("نوبت پیامکی", body)]
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('tabyin-draft:'))") == []
    assert console.last_to("+989123456789") is not None
