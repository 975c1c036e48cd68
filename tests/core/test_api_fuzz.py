"""Schema-driven fuzz of every ninja API (portal /api/v1, scorecard /api/v1/scorecards, reports
/api/v1/reports): schemathesis reads each openapi.json from the WSGI application in-process (no
port, no network), generates requests from it, valid and invalid, and checks that none of them
gets a server error (5xx). Each operation is one test with its own data in the test database.

A 400 or 404 with the API's error shape is a right answer to bad input; a 500 is a bug.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup

from tabyin.portal.api.v1 import api as portal_api
from tabyin.reports.api.v1 import api as reports_api
from tabyin.scorecard.api.v1 import api as scorecard_api
from tests.portal.test_api_v1 import lay_down_figures
from tests.reports import helpers as report_helpers
from tests.scorecard.pub_helpers import two_years

# Enough examples to walk each parameter's edges (empty, huge, non-ASCII, wrong types) while the
# three APIs together stay within a minute or two on a loaded two-core machine.
EXAMPLES = 60
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same requests on every run: a failure can be replayed
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


def _schema(api: Any) -> Any:
    """The API's own OpenAPI document (what its openapi.json serves), called through the whole WSGI
    application. Loaded from the NinjaAPI object rather than over HTTP because it is needed when
    tests are collected, before any database exists (schemathesis' fixture-based loader does not
    work with this pytest)."""
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = get_wsgi_application()
    return schema


portal = _schema(portal_api)
scorecard = _schema(scorecard_api)
reports = _schema(reports_api)


@pytest.fixture(autouse=True)
def _test_connection_kept() -> Iterator[None]:
    """The whole WSGI application closes "old" database connections at the start and end of each
    request; inside a test that is the test's own transaction (on PostgreSQL the next request then
    finds it closed). Django's test client disconnects that handler for the same reason."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def portal_data(org: None) -> None:
    lay_down_figures()


@pytest.fixture
def scorecard_data(org: None) -> None:
    two_years()


@pytest.fixture
def reports_data(org: None) -> None:
    from tabyin.core.enums import Role
    from tabyin.reports.models import Report
    from tests import factories

    # A handler with keys in Tehran's security office and each HQ receiving unit, so every route
    # the intake may take can be sealed (as in tests/reports/conftest.py).
    for username, unit in (
        ("tehran.security", "ir-23-security"),
        ("hq.security", "hq-security"),
        ("hq.inspection", "hq-inspection"),
        ("hq.violations-board", "hq-violations-board"),
    ):
        report_helpers.keys_for(factories.persona(username, unit, Role.CASE_HANDLER))
    for category, extra in (("bribery", {}), ("bribery", {}), ("leak", {"q_personal_data": "yes"})):
        report = report_helpers.submit(category=category, **extra).report
        Report.objects.filter(pk=report.pk).update(received_at=datetime(2025, 6, 1, 10, tzinfo=UTC))


def _no_server_error(case: Any) -> None:
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])


@pytest.mark.usefixtures("portal_data")
@portal.parametrize()
@FUZZ
def test_portal_api_gives_no_server_error(case: Any) -> None:
    _no_server_error(case)


@pytest.mark.usefixtures("scorecard_data")
@scorecard.parametrize()
@FUZZ
def test_scorecard_api_gives_no_server_error(case: Any) -> None:
    _no_server_error(case)


@pytest.mark.usefixtures("reports_data")
@reports.parametrize()
@FUZZ
def test_reports_api_gives_no_server_error(case: Any) -> None:
    _no_server_error(case)


@pytest.mark.django_db
def test_the_fuzz_harness_reports_a_server_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: a view that raises reaches schemathesis as a 500 and is reported."""

    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("deliberately broken for this test")

    monkeypatch.setattr("tabyin.portal.api.v1.site_url", broken)
    case = portal["/api/v1/"]["GET"].Case()

    response = case.call()

    assert response.status_code == 500
    with pytest.raises(FailureGroup, match="Server error"):
        case.validate_response(response, checks=[not_a_server_error])
