"""axe-core (WCAG 2.1 A and AA) on every public page at 390 px, in Persian and English.

The pages: everything the home page links to (menu, headline figures, themes, open data), one
page of each kind one step further (province, explanation, dataset, scorecard period and
province, clarification, report statistics, posters, protections) and every public form, empty
and after a submission with errors (report form, follow-up, tipline, search, "was this clear?").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from importlib import import_module
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.monitor.enums import ResponseStatus
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import Response
from tabyin.portal.enums import ExplanationKind, ExplanationState
from tabyin.portal.models import Explanation, Indicator
from tabyin.scorecard.enums import PeriodState
from tests import factories
from tests.browser import axe
from tests.browser.conftest import RecordingPage, _page
from tests.browser.test_portal_in_browser import _published_site
from tests.browser.test_scorecard_public import _period
from tests.monitor.answering import ANSWER_BODY, ANSWER_TITLE, T0, ingest_rumor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390
FILES = re.compile(r"\.(csv|xlsx|json|jsonld|ttl|pdf|png|svg|ico)$")
FURTHER = [
    "/provinces/IR-23/",
    "/data/services/",
    "/scorecard/method/",
    "/scorecard/1404/",
    "/scorecard/1404/IR-23/",
    "/reports/protections/",
    "/reports/statistics/",
    "/reports/posters/",
    "/reports/posters/ir-23/",
    "/reports/follow-up/",
    "/reports/new/",
    "/clarifications/ask/",
    "/staff/login/",  # the staff's way in is a public form too
    "/staff/password/forgot/",
]


def _site() -> dict[str, str]:
    """A small but complete public site: figures, one explanation, a published scorecard period,
    the default report categories and one published clarification."""
    _published_site()  # also seeds the organization
    import_module("tabyin.reports.migrations.0002_default_categories").install(apps, None)
    _period("1404", 500, PeriodState.PUBLISHED)
    author = factories.persona("hq.analyst", "hq", Role.ANALYST)
    Explanation.objects.create(
        thread=1,
        indicator=Indicator.objects.get(code="outpatient-services-per-day"),
        kind=ExplanationKind.WEAKNESS,
        state=ExplanationState.PUBLISHED,
        title_fa="صف خدمات سرپایی در تهران",
        body_fa="در ماه‌های سرد مراجعه بیشتر است.",
        title_en="Outpatient queues in Tehran",
        body_en="Visits rise in the cold months.",
        author=author,
        published_at=timezone.now(),
    )
    services_ingest.reset_index()
    story = ingest_rumor()
    answer = Response.objects.create(
        story=story,
        status=ResponseStatus.PUBLISHED,
        title=ANSWER_TITLE,
        body=ANSWER_BODY,
        published_at=T0 + timedelta(hours=3),
    )
    return {"explanation": "/explanations/1/", "clarification": f"/clarifications/{answer.pk}/"}


def _linked_from_home(page: RecordingPage, base: str, home: str) -> list[str]:
    page.page.goto(base + home)
    hrefs = page.page.eval_on_selector_all(
        "a[href]", "els => els.map(e => new URL(e.getAttribute('href'), location.href).href)"
    )
    found: list[str] = []
    for href in hrefs:
        parts = urlsplit(href)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if f"{parts.scheme}://{parts.netloc}" != base or "/staff/" in path or FILES.search(parts.path):
            continue
        if path not in found:
            found.append(path)
    return found


def _check(page: RecordingPage, url: str, problems: dict[str, list[dict[str, object]]]) -> None:
    assert page.page.evaluate("document.documentElement.scrollWidth") <= PHONE, f"{url} is wider than a phone"
    found = axe.violations(page.page)
    if found:
        problems[url] = found


def _submit_unchecked(page: RecordingPage, button: str) -> None:
    """Send a form as it is, past the browser's own checks, to see the server's error page."""
    page.page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    # wait_for_load_state() alone returns at once, on the page still shown, if the click's
    # navigation has not started yet; then the check reads a document being torn down.
    with page.page.expect_navigation():
        page.page.locator(button).last.click()


@pytest.fixture
def phone390(browser: Browser) -> Iterator[RecordingPage]:
    yield from _page(
        browser,
        viewport={"width": PHONE, "height": 844},
        device_scale_factor=1,
        is_mobile=True,
        locale="fa-IR",
    )


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_public_page_and_form_has_no_wcag_violation(
    live_server: LiveServer, phone390: RecordingPage, prefix: str
) -> None:
    extra = _site()
    page, base = phone390, live_server.url
    problems: dict[str, list[dict[str, object]]] = {}
    pages = _linked_from_home(page, base, prefix + "/")
    pages += [prefix + path for path in [*FURTHER, *extra.values()] if prefix + path not in pages]
    assert len(pages) >= 30, pages  # the menu, 7 headline figures, 5 themes, open data, further
    for url in pages:
        response = page.page.goto(base + url)
        assert response is not None and response.status == 200, url
        _check(page, url, problems)

    # Forms after a submission with errors, and the search with results.
    page.page.goto(base + prefix + "/clarifications/ask/")
    _submit_unchecked(page, "form.mp-form button[type=submit]")
    _check(page, "tipline with errors", problems)
    page.page.goto(base + prefix + "/reports/new/")
    page.page.locator("main input[name=category]").first.check()
    with page.page.expect_navigation():
        page.page.locator("main form button[type=submit]").click()
    _check(page, "report form", problems)
    _submit_unchecked(page, "main form button[type=submit]")
    _check(page, "report form with errors", problems)
    page.page.goto(base + prefix + "/reports/follow-up/")
    _submit_unchecked(page, "main form button[type=submit]")
    _check(page, "follow-up with errors", problems)
    page.page.goto(base + prefix + "/search/?q=" + ("سرپایی" if not prefix else "outpatient"))
    _check(page, "search results", problems)
    page.page.goto(base + prefix + "/indicators/outpatient-services-per-day/")
    with page.page.expect_navigation():
        page.page.locator("#feedback button[type=submit]").first.click()
    _check(page, "was this clear? answered", problems)
    page.shot(f"a11y-last-{prefix.strip('/') or 'fa'}")

    assert problems == {}
    assert axe.axe_version(page.page).startswith("4.")


def test_the_check_finds_links_inside_an_image(phone390: RecordingPage) -> None:
    """The bug this check first found: bars and provinces as links inside an ``<svg role="img">``."""
    phone390.page.set_content(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main>'
        '<svg role="img" aria-label="Chart">'
        '<a href="/x"><title>Tehran</title><rect width="9" height="9"/></a></svg>'
        "</main></body></html>"
    )

    assert [v["rule"] for v in axe.violations(phone390.page)] == ["nested-interactive"]
