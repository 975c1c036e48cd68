"""The shell in a real browser: home page, language switch, staff log-in with the second factor."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.core.models import SealedTotpDevice
from tests import factories
from tests.browser.conftest import RecordingPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(device: SealedTotpDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _secret_to_key(secret: str) -> bytes:
    text = secret.replace(" ", "")
    return base64.b32decode(text + "=" * (-len(text) % 8))


def test_home_page_is_persian_rtl_with_the_local_font(live_server: LiveServer, page: RecordingPage) -> None:
    factories.seed_org()

    response = page.page.goto(live_server.url + "/")
    page.page.wait_for_load_state("networkidle")
    page.shot("home-desktop")

    assert response is not None and response.status == 200
    assert page.page.locator("html").get_attribute("dir") == "rtl"
    assert page.page.locator("html").get_attribute("lang") == "fa"
    assert page.page.evaluate("document.fonts.check('16px Vazirmatn')") is True
    font = page.page.evaluate("getComputedStyle(document.body).fontFamily")
    assert font.startswith("Vazirmatn")


def test_language_switch_is_a_link_to_english(live_server: LiveServer, page: RecordingPage) -> None:
    factories.seed_org()
    page.page.goto(live_server.url + "/")

    page.page.get_by_role("link", name="English").click()
    page.page.wait_for_load_state()

    assert page.page.url == live_server.url + "/en/"
    assert page.page.locator("html").get_attribute("dir") == "ltr"


def test_home_fits_a_360px_phone(live_server: LiveServer, phone: RecordingPage) -> None:
    factories.seed_org()

    phone.page.goto(live_server.url + "/")
    phone.shot("home-phone")

    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360


def test_keyboard_reaches_the_skip_link_first(live_server: LiveServer, page: RecordingPage) -> None:
    factories.seed_org()
    page.page.goto(live_server.url + "/")

    page.page.keyboard.press("Tab")

    assert page.page.evaluate("document.activeElement.getAttribute('href')") == "#main"


def test_staff_log_in_with_password_and_second_factor(live_server: LiveServer, page: RecordingPage) -> None:
    factories.seed_org()
    analyst = factories.persona("hq.analyst", "hq", Role.ANALYST)
    device = SealedTotpDevice.objects.get(user=analyst)
    p = page.page

    p.goto(live_server.url + "/staff/")
    assert p.url == live_server.url + "/staff/login/?next=%2Fstaff%2F"
    p.fill("#id_username", "hq.analyst")
    p.fill("#id_password", factories.PASSWORD)
    page.shot("login-password")
    p.locator("main button[type=submit]").click()
    p.wait_for_url(live_server.url + "/staff/login/code/")
    p.fill("#id_code", _code(device))
    page.shot("login-code")
    p.locator("main button[type=submit]").click()
    p.wait_for_url(live_server.url + "/staff/")
    page.shot("staff-home")

    assert p.locator("h1").inner_text() == f"{analyst.display_name}، خوش آمدید"
    assert p.locator("main li").first.inner_text() == "کارشناس روابط عمومی — سازمان نمونه"


def test_first_log_in_enrols_the_authenticator_from_the_page(
    live_server: LiveServer, phone: RecordingPage
) -> None:
    factories.seed_org()
    factories.persona("new.officer", "ir-23", Role.PROVINCIAL_OFFICER, otp=False)
    p = phone.page

    p.goto(live_server.url + "/staff/login/")
    p.fill("#id_username", "new.officer")
    p.fill("#id_password", factories.PASSWORD)
    p.locator("main button[type=submit]").click()
    p.wait_for_url(live_server.url + "/staff/login/code/")
    phone.shot("enrol-phone")
    secret = p.get_by_test_id("totp-secret").inner_text()
    code = f"{totp(_secret_to_key(secret), step=30, t0=0, digits=6):06d}"
    p.fill("#id_code", code)
    p.locator("main button[type=submit]").click()
    p.wait_for_url(live_server.url + "/staff/")

    assert SealedTotpDevice.objects.get(user__username="new.officer").confirmed is True
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
