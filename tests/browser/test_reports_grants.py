"""The two-person grant of a first key holder in a real browser, in Persian (issue 15.1): Tehran's
administrator proposes a new handler of Tehran's security office, HQ security's holder unlocks
their key and approves; the public protections page then counts the grant. Screenshots go to
test-artifacts/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.reports.enums import GrantState
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import KeyGrant
from tests import factories
from tests.browser.conftest import RecordingPage
from tests.browser.test_reports_staff import sign_in
from tests.reports import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_proposes_and_a_trustee_approves(
    live_server: LiveServer, page: RecordingPage, phone: RecordingPage
) -> None:
    factories.seed_org()
    admin = factories.persona("tehran.admin", "ir-23", Role.ADMINISTRATOR)
    trustee = factories.persona("hq.security", "hq-security", Role.CASE_HANDLER)
    helpers.keys_for(trustee)
    newcomer = factories.persona("tehran.security", "ir-23-security", Role.CASE_HANDLER)
    newcomer.display_name = "کارشناس حراست استان تهران"
    newcomer.save()
    services_keys.keys_setup(user=newcomer, passphrase=helpers.PASSPHRASE)
    url = f"{live_server.url}/staff/reports/keys/grants/"

    sign_in(page, admin, live_server)
    p = page.page
    p.goto(url)
    expect(p.locator("h1")).to_have_text("نخستین دارندگان کلید")
    expect(p.locator("#candidate option")).to_have_count(1)
    p.get_by_test_id("propose").locator("button[type=submit]").click()
    expect(p.get_by_test_id("pending")).to_contain_text("کارشناس حراست استان تهران")
    expect(p.get_by_test_id("pending").locator("button")).to_have_text(["پس‌گرفتن"])
    expect(p.locator("#candidate")).to_have_count(0)  # one waiting grant per key
    page.shot("reports-grants-proposed-fa")

    sign_in(phone, trustee, live_server)
    q = phone.page
    q.goto(url)
    expect(q.locator(".rps-warning")).to_be_visible()  # a trustee takes part only with the key open
    q.locator(".rps-warning a").click()
    q.fill("#id_unlock-passphrase", helpers.PASSPHRASE)
    q.get_by_test_id("keys-unlock").locator("button[type=submit]").click()
    q.goto(url)
    phone.shot("reports-grants-approve-phone-fa")
    q.get_by_test_id("pending").get_by_role("button", name="تأیید").click()
    expect(q.get_by_test_id("pending")).to_contain_text("چیزی در انتظار نیست.")
    assert KeyGrant.objects.get().state == GrantState.GRANTED
    assert services_keys.holders(services_keys.unit_keyring(factories.unit("ir-23-security"))) == [newcomer]  # type: ignore[arg-type]

    q.goto(f"{live_server.url}/reports/protections/")
    expect(q.locator("[data-grants]")).to_contain_text("۱ نفر با تأیید دو نفر")
    phone.shot("reports-protections-grants-phone-fa")
