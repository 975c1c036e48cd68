"""/api/v1/docs, the public API's one reference page, in the browser: Persian first, every app's
routes and the problem types, nothing fetched from another host, and it fits a 360 px phone."""

from __future__ import annotations

import pytest
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import RecordingPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_reference_page_on_a_desktop(live_server: LiveServer, page: RecordingPage) -> None:
    response = page.page.goto(f"{live_server.url}/api/v1/docs")
    assert response is not None and response.status == 200
    assert page.page.locator("html").get_attribute("dir") == "rtl"
    text = page.page.inner_text("body")
    assert "POST /api/v1/reports/" in text
    assert "GET /api/v1/scorecards/{period}/" in text
    assert page.page.locator("#problem-too-many-requests").count() == 1
    page.shot("api-docs-desktop")


def test_the_reference_page_fits_a_phone(live_server: LiveServer, phone: RecordingPage) -> None:
    phone.page.goto(f"{live_server.url}/api/v1/docs")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.shot("api-docs-phone")
