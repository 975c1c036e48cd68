"""Every kind of form page drawn by core's renderer, in Persian, on a 390 px phone and a 1280 px
desktop, sent empty so the errors show: sign-in, the portal upload, scorecard periods, the case
handler's inbox and keys, the reports configuration, the monitor's source, query and alert-rule
forms, the public tipline, and the audit log as sentences. Screenshots go to
test-artifacts/screenshots/forms-*.png."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from tabyin.core import services
from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.reports.models import Category
from tests import factories
from tests.browser.conftest import RecordingPage, _page
from tests.browser.test_reports_staff import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (name, URL name, arguments, who, send the form empty)
PAGES = [
    ("login", "core:login", (), None, True),
    ("release-new", "portal:staff-release-new", (), "hq.staff", True),
    ("periods", "scorecard:periods", (), "hq.staff", False),
    ("inbox", "reports:inbox", (), "tehran.security", False),
    ("keys", "reports:keys", (), "tehran.security", True),
    ("config-category", "reports:config-category", ("bribery",), "hq.staff", False),
    ("source-add", "monitor:source-add", (), "hq.staff", True),
    ("query-add", "monitor:query-add", (), "hq.staff", True),
    ("rule-add", "monitor:alert-rule-add", (), "hq.staff", True),
    ("alerts", "monitor:alerts", (), "hq.staff", False),
    ("tipline", "monitor:tipline", (), None, True),
    ("audit", "core:audit", (), "hq.staff", False),
]


def _people() -> dict[str, User]:
    factories.seed_org()
    if not Category.objects.exists():  # transactional tests flush the migration's rows
        importlib.import_module("tabyin.reports.migrations.0002_default_categories").install(apps, None)
    staff = factories.persona("hq.staff", "hq", Role.ADMINISTRATOR)
    for role in (Role.ANALYST, Role.DATA_PUBLISHER, Role.EVALUATOR):
        services.membership_grant(actor=None, user=staff, unit=factories.unit("hq"), role=role)
    security = factories.persona("tehran.security", "ir-23-security", Role.CASE_HANDLER)
    services.org_unit_update(actor=staff, unit=factories.unit("ir-16"), name_en="Ilam Province")
    return {"hq.staff": staff, "tehran.security": security}


def _visit(
    page: RecordingPage, live_server: LiveServer, url: str, send: bool, shot: str
) -> dict[str, object]:
    p = page.page
    p.goto(f"{live_server.url}{url}")
    if send:
        # The server's errors are what is tested, not the browser's own (English) bubbles.
        p.evaluate("document.querySelectorAll('form').forEach(f => { f.noValidate = true; })")
        p.locator("main form[method=post] button[type=submit]").first.click()
        p.wait_for_load_state()
    page.shot(shot)
    return p.evaluate(
        """() => ({
          scroll: document.documentElement.scrollWidth > window.innerWidth + 1,
          invalid: document.querySelectorAll('[aria-invalid=true]').length,
          errors: [...document.querySelectorAll('.field .errorlist li')].map(e => e.textContent),
          unlabelled: [...document.querySelectorAll(
              'main input:not([type=hidden]), main select, main textarea')]
            .filter(e => !e.labels || e.labels.length === 0).map(e => e.name),
          latinDigitsInErrors: [...document.querySelectorAll('.errorlist li')]
            .some(e => /[0-9]/.test(e.textContent)),
        })"""
    )


def test_form_pages_in_persian_on_phone_and_desktop(live_server: LiveServer, browser: Browser) -> None:
    people = _people()
    found: dict[str, dict[str, object]] = {}
    for width in (390, 1280):
        for page in _page(browser, viewport={"width": width, "height": 900}, locale="fa-IR"):
            for name, url_name, args, who, send in PAGES:
                page.page.context.clear_cookies()
                if who:
                    sign_in(page, people[who], live_server)
                found[f"{name}-{width}"] = _visit(
                    page, live_server, reverse(url_name, args=args), send, f"forms-{name}-{width}"
                )

    assert {k: v["scroll"] for k, v in found.items() if v["scroll"]} == {}
    assert {k: v["unlabelled"] for k, v in found.items() if v["unlabelled"]} == {}
    assert {k for k, v in found.items() if v["latinDigitsInErrors"]} == set()
    sent = [f"{name}-{w}" for name, _u, _a, _w, send in PAGES if send for w in (390, 1280)]
    assert {k: found[k]["invalid"] for k in sent if not found[k]["invalid"]} == {}
    assert "پر کردن این بخش لازم است." in found["login-390"]["errors"]  # type: ignore[operator]
