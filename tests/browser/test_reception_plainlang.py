"""The plain-language page in a real browser, in Persian, at 1280 px and 390 px: paste, check,
read the marks and fixes; no script needed, no WCAG 2.1 AA violation, nothing wider than the phone.
Screenshots: reception-plainlang-fa.png, reception-plainlang-phone.png."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.reception.plainlang.models import JargonEntry
from tests import factories
from tests.browser.axe import violations
from tests.browser.conftest import RecordingPage
from tests.browser.test_reports_staff import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANNOUNCEMENT = (
    "به اطلاع کلیه‌ی مستمری‌بگیران مشمول می‌رساند، مبلغ افزایش مستمری پس از تصویب هیئت مدیره و "
    "بر اساس بخشنامه‌ی صادره از سوی ستاد مرکزی سازمان تأمین اجتماعی، از ابتدای ماه آینده به حساب "
    "کلیه‌ی بازنشستگان واجد شرایط که مدارک خود را به شعبه‌ی ذی‌ربط تحویل نموده‌اند واریز خواهد شد. "
    "درخواست‌ها مورد بررسی قرار گرفت و نتیجه اعلام گردید.\n"
    "ثبت‌نام در سامانه‌ی SSO الزامی است. متقاضیان می‌توانند تا ۱۵ مهر برای اخذ کد به شعبه مراجعه نمایند. "
    "سقف وام ۲۰ میلیون است."
)


def test_check_page_in_persian_on_desktop_and_phone(
    live_server: LiveServer, page: RecordingPage, phone390: RecordingPage
) -> None:
    factories.seed_org()
    if not JargonEntry.objects.exists():  # transactional tests flush the migration's rows
        importlib.import_module("tabyin.reception.migrations.0001_plainlang_jargon").seed(apps, None)
    officer = factories.persona("tehran.officer", "ir-23", Role.PROVINCIAL_OFFICER)
    for recording in (page, phone390):
        sign_in(recording, officer, live_server)
        recording.page.goto(f"{live_server.url}/staff/reception/plain-language/")
        recording.page.fill("#id_text", ANNOUNCEMENT)
        recording.page.get_by_role("button", name="بررسی متن").click()
        recording.page.wait_for_load_state()
    p = page.page
    assert p.locator("h1").inner_text() == "بررسی زبان ساده"
    assert p.input_value("#id_text") == ANNOUNCEMENT  # the text stays for editing
    assert p.locator("[data-testid=band]").inner_text() == "نسبتاً دشوار"
    assert p.locator("[data-testid=findings] > li").count() == 16
    assert p.locator("[data-testid=marked] mark").count() == 15  # the long sentence is listed, not marked
    assert (
        p.locator("[data-testid=marked] .pl-tag").first.inner_text() == "[۲: واژهٔ اداری]"
    )  # 1 is the long sentence, listed only
    assert violations(p) == []
    page.shot("reception-plainlang-fa")
    phone390.shot("reception-plainlang-phone")
    assert phone390.page.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone390.page.locator("[data-testid=findings] > li").count() == 16
