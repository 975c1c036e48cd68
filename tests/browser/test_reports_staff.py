"""The case handler's pages in a real browser, in Persian: Tehran's security handler signs in,
unlocks their key, opens the inbox and a case, writes an internal note and a message to the
reporter; the same pages on a 360 px phone. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.reports.intake import services_reporter
from tabyin.reports.models import Category, Report
from tests import factories
from tests.browser.conftest import RecordingPage
from tests.conftest import verified_client
from tests.reports import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WHAT = (
    "کارمند باجهٔ ۳ برای ثبت سابقهٔ بیمه ۵۰۰ هزار تومان خواست و گفت بدون آن پرونده «گم می‌شود».\n"
    "روز بعد هم همین را تکرار کرد."
)


def sign_in(page: RecordingPage, user: User, live_server: LiveServer) -> None:
    """Password and second factor are tested in test_shell_in_browser; here the session of a
    verified log-in is handed to the browser."""
    client = verified_client(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def _setup() -> tuple[User, Report]:
    factories.seed_org()
    if not Category.objects.exists():  # transactional tests flush the migration's rows
        importlib.import_module("tabyin.reports.migrations.0002_default_categories").install(apps, None)
    handler = factories.persona("tehran.security", "ir-23-security", Role.CASE_HANDLER)
    helpers.keys_for(handler)
    helpers.submit(what="در شعبهٔ ۵ برای تمدید دفترچه مبلغی اضافه بر تعرفه گرفتند و رسید ندادند.")
    other = helpers.submit(place_name="بیمارستان امام", place_kind="hospital", q_paid="yes", q_method="cash")
    Report.objects.filter(pk=other.report.pk).update(status="investigating")
    submitted = helpers.submit(
        what=WHAT, who="متصدی باجهٔ ۳، آقای ر.", files=[("رسید پرداخت.pdf", helpers.PDF)]
    )
    access = services_reporter.receipt_open(raw_code=submitted.code)
    assert access is not None
    services_reporter.reporter_message_send(access=access, text="یک عکس از رسید هم دارم.", files=[])
    return handler, submitted.report


def _unlock(page: RecordingPage) -> None:
    page.page.fill("#id_unlock-passphrase", helpers.PASSPHRASE)
    page.page.get_by_test_id("keys-unlock").locator("button[type=submit]").click()


def test_handler_unlocks_reads_and_answers_a_case(
    live_server: LiveServer, page: RecordingPage, phone: RecordingPage
) -> None:
    handler, report = _setup()
    p = page.page
    sign_in(page, handler, live_server)

    # 1. The inbox without the key: plain columns only, and a way to unlock.
    p.goto(f"{live_server.url}/staff/reports/")
    expect(p.get_by_test_id("locked")).to_be_visible()
    expect(p.get_by_test_id("inbox").locator("tbody tr")).to_have_count(3)
    expect(p.get_by_test_id("inbox")).not_to_contain_text("باجهٔ ۳")
    page.shot("reports-staff-inbox-locked-fa")

    # 2. Opening a case asks for the key first, then comes back to the case.
    p.locator(f'tr[data-report="{report.pk}"] a').click()
    expect(p.get_by_test_id("keys-unlock")).to_be_visible()
    page.shot("reports-staff-keys-fa")
    # The passphrase change and the sole holder's warning before a reset, opened.
    p.get_by_test_id("keys-change").locator("summary").click()
    p.locator("details.rps-reset").last.locator("summary").click()
    expect(p.get_by_test_id("sole")).to_contain_text("حراست تهران")
    page.shot("reports-staff-keys-open-fa")
    _unlock(page)
    expect(p.get_by_test_id("what")).to_contain_text("گم می‌شود")
    expect(p.get_by_test_id("messages")).to_contain_text("یک عکس از رسید هم دارم.")
    expect(p.locator(".rps-files")).to_contain_text("رسید پرداخت.pdf")

    # 3. An internal note and a message to the reporter.
    p.fill("#id_note-body", "با مدیر شعبه هماهنگ شد؛ فیلم دوربین باجه درخواست شود.")
    p.get_by_test_id("note-form").locator("button[type=submit]").click()
    expect(p.get_by_test_id("notes")).to_contain_text("فیلم دوربین باجه")
    p.fill("#id_message-body", "سلام. لطفاً عکس رسید را همین‌جا پیوست کنید.")
    p.get_by_test_id("message-form").locator("button[type=submit]").click()
    expect(p.get_by_test_id("messages")).to_contain_text("لطفاً عکس رسید را همین‌جا پیوست کنید.")
    p.get_by_test_id("status-form").locator("select").select_option("under_review")
    p.get_by_test_id("status-form").locator("button[type=submit]").click()
    expect(p.locator(".messages")).to_be_visible()
    assert Report.objects.get(pk=report.pk).status == "under_review"
    page.shot("reports-staff-case-fa")

    # 4. Back in the inbox: the reporter's message is read, the status changed.
    p.goto(f"{live_server.url}/staff/reports/")
    expect(p.get_by_test_id("locked")).to_have_count(0)
    page.shot("reports-staff-inbox-fa")
    assert report.messages.filter(author="reporter", read_at__isnull=True).count() == 0

    # 5. A phone: nothing wider than the screen.
    sign_in(phone, handler, live_server)
    phone.page.goto(f"{live_server.url}/staff/reports/keys/")
    _unlock(phone)
    for name, path in (
        ("reports-staff-inbox-phone-fa", "/staff/reports/"),
        ("reports-staff-case-phone-fa", f"/staff/reports/{report.pk}/"),
    ):
        phone.page.goto(live_server.url + path)
        phone.shot(name)
        assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360, name
