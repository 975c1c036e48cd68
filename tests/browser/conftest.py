"""Playwright driving Debian's Chromium against pytest-django's live server.

Every request the page makes is recorded; a test fails if anything left 127.0.0.1/localhost.
Screenshots land in test-artifacts/screenshots/ so a person can look at what was tested.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-default-apps",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run scripts/ensure-chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class RecordingPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.requests: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))

    def outside_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob", "about")
            and urlsplit(url).hostname not in LOCAL_HOSTS
        ]

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def _page(browser: Browser, **context: object) -> Iterator[RecordingPage]:
    ctx = browser.new_context(**context)  # type: ignore[arg-type]
    recording = RecordingPage(ctx.new_page())
    yield recording
    ctx.close()
    assert recording.outside_requests() == [], "the page requested something outside this machine"


@pytest.fixture
def page(browser: Browser) -> Iterator[RecordingPage]:
    yield from _page(browser, viewport={"width": 1280, "height": 800}, locale="fa-IR")


@pytest.fixture
def phone(browser: Browser) -> Iterator[RecordingPage]:
    yield from _page(
        browser, viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, locale="fa-IR"
    )


@pytest.fixture
def phone390(browser: Browser) -> Iterator[RecordingPage]:
    """A 390 px phone without JavaScript: the staff forms must work as plain HTML."""
    yield from _page(
        browser,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        locale="fa-IR",
        java_script_enabled=False,
    )
