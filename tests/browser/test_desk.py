"""The request desk in Chromium, in Persian: on a 390 px phone without JavaScript a provincial PR
officer reads the board (overdue cards marked) and accepts a waiting request; on a desktop the HQ
deputy's office files a request (a past date refused first, nothing lost) and rates a delivered
one. Nothing is wider than the screen; screenshots go to /tmp/desk/."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from tabyin.core import demo as core_demo
from tabyin.core.models import SealedTotpDevice, User
from tabyin.desk import demo
from tabyin.desk.enums import State
from tabyin.desk.intake.models import DeskRequest
from tests.browser.conftest import _page
from tests.conftest import verified_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(tempfile.gettempdir()) / "desk"


def _sign_in(page: Page, username: str, base: str) -> None:
    user = User.objects.get(username=username)
    SealedTotpDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "test"})
    cookie = verified_client(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.fixture
def desk_demo(settings: object, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    core_demo.load()
    demo.load()


@pytest.mark.usefixtures("desk_demo")
def test_a_provincial_officer_triages_on_a_phone(browser: Browser, live_server: LiveServer) -> None:
    for recording in _page(
        browser,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        locale="fa-IR",
        java_script_enabled=False,
    ):
        p = recording.page
        _sign_in(p, "tehran.officer", live_server.url)
        p.goto(live_server.url + "/staff/desk/board/")
        assert p.locator("h1").inner_text() == "میز درخواست: تابلو"
        assert p.locator(".desk-card-overdue").count() == 3
        _fits(p, 390)
        _shot(p, "desk-board-390")
        waiting = DeskRequest.objects.get(title="خبر آغاز نوبت‌دهی اینترنتی درمانگاه تخصصی بیمارستان")
        p.goto(f"{live_server.url}/staff/desk/{waiting.pk}/")
        _fits(p, 390)
        _shot(p, "desk-request-390")
        p.locator("form[data-testid='desk-move'] button[value='accepted']").click()
        assert "وضعیت درخواست تغییر کرد" in p.locator(".messages").inner_text()
        assert p.locator("[data-testid='desk-state']").inner_text() == "پذیرفته"
        _fits(p, 390)
        p.goto(live_server.url + "/staff/desk/")
        _fits(p, 390)
        _shot(p, "desk-list-390")
    waiting.refresh_from_db()
    assert waiting.state == State.ACCEPTED and waiting.due_at is not None


@pytest.mark.usefixtures("desk_demo")
def test_the_deputys_office_files_and_rates_on_a_desktop(browser: Browser, live_server: LiveServer) -> None:
    for recording in _page(browser, viewport={"width": 1280, "height": 800}, locale="fa-IR"):
        p = recording.page
        _sign_in(p, "hq.deputy", live_server.url)
        p.goto(live_server.url + "/staff/desk/new/")
        p.select_option("#id_kind", "coverage")
        p.fill("#id_title", "پوشش تصویری آیین روز پزشک")
        p.fill("#id_purpose", "گزارش تصویری برای شبکه‌های سازمان")
        p.fill("#id_audience", "کادر درمان")
        p.fill("#id_deadline", "۱۴۰۰/۰۵/۰۱")
        p.fill("#id_contact", "دفتر معاون، داخلی ۳۱۰")
        p.locator("form[data-testid='desk-new'] button[type='submit']").click()
        assert "مهلتی که نوشته‌اید گذشته است" in p.locator("form[data-testid='desk-new']").inner_text()
        assert p.input_value("#id_title") == "پوشش تصویری آیین روز پزشک"
        _shot(p, "desk-new-refused-desktop")
        p.fill("#id_deadline", "۱۴۰۶/۰۵/۰۱")
        p.locator("form[data-testid='desk-new'] button[type='submit']").click()
        assert "درخواست شما به روابط عمومی فرستاده شد" in p.locator(".messages").inner_text()
        delivered = DeskRequest.objects.get(state=State.DELIVERED, requester__username="hq.deputy")
        p.goto(f"{live_server.url}/staff/desk/{delivered.pk}/")
        p.locator("form[data-testid='desk-rate'] input[value='5']").check()
        p.locator("form[data-testid='desk-rate'] button[type='submit']").click()
        assert p.locator("[data-testid='desk-rating']").inner_text().startswith("۵ / ۵")
        _shot(p, "desk-rated-desktop")
        p.goto(live_server.url + "/staff/desk/board/")
        _fits(p, 1280)
        _shot(p, "desk-board-desktop")
        p.goto(live_server.url + "/staff/desk/reports/")
        _shot(p, "desk-reports-desktop")
