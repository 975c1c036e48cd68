"""Schema-driven fuzz of the whole public API (/api/v1/: open data, scorecards, reports with the
reporter's flow, polls, the plain-language check, clarifications and the tipline, meetings, ideas,
news): schemathesis reads the one OpenAPI document from the
API in-process, calls the WSGI application (no port, no network) with requests generated from it,
valid and invalid, and checks that none of them gets a server error (5xx) and that every answer
matches the document (status documented, body valid against its schema, problems included). Each
operation is one test with its own data in the test database, and every request carries a
registered client's key, so the writes are reached past the key check.

A 4xx problem is a right answer to bad input; a 500 or an answer the document does not describe
is a bug.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance
from schemathesis.core.failures import FailureGroup

from tabyin.core.api.site import public_api
from tests.portal.test_api_v1 import lay_down_figures
from tests.reports import helpers as report_helpers
from tests.scorecard.pub_helpers import two_years

# Enough examples to walk each parameter's edges (empty, huge, non-ASCII, wrong types) while the
# whole API stays within a few minutes on a loaded two-core machine.
EXAMPLES = 40
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


def _schema() -> Any:
    """The API's one OpenAPI document (what /api/v1/openapi.json serves), called through the whole
    WSGI application. Loaded from the API object rather than over HTTP because it is needed when
    tests are collected, before any database exists (schemathesis' fixture-based loader does not
    work with this pytest)."""
    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(public_api().get_openapi_schema())))
    schema.app = get_wsgi_application()
    return schema


api = _schema()


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


def _portal_data() -> None:
    lay_down_figures()


def _scorecard_data() -> None:
    two_years()


def _reports_data() -> None:
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


def _monitor_data(analyst: Any, manager: Any) -> None:
    from tabyin.monitor.ingest import services as services_ingest
    from tabyin.monitor.responses import services as services_responses
    from tests.monitor.answering import approved, ingest_rumor

    services_ingest.reset_index()  # the near-duplicate index lives in the process
    rumor = ingest_rumor()
    services_responses.response_publish(actor=manager, response=approved(rumor, analyst, manager))


def _ideas_and_meetings_data(analyst: Any) -> None:
    from tests.ideas.helpers import make_challenge
    from tests.ideas.test_api_ideas import accepted_entry
    from tests.reception.test_api_meetings import open_meeting

    accepted_entry()  # a challenge taking supports, with a screened entry
    make_challenge("submission", slug="open-now")
    open_meeting(analyst, capacity=3)


def _news_data(analyst: Any) -> None:
    from datetime import date

    from django.utils import timezone

    from tabyin.campaigns.enums import Channel, Segment
    from tabyin.campaigns.outbox import services as outbox
    from tabyin.campaigns.outbox.models import Message
    from tabyin.campaigns.plan import services as plan
    from tests import factories

    campaign = plan.campaign_create(
        actor=analyst,
        title="بیمهٔ اختیاری",
        aim="ثبت‌نام بیشتر",
        segments=[Segment.STUDENTS],
        starts_on=date(2026, 3, 21),
        ends_on=date(2026, 9, 22),
        outcome_name="ثبت‌نام تازه",
        treated={factories.unit("ir-23"): date(2026, 3, 21)},
        held_out=[factories.unit("ir-10")],
        key_messages=[],
    )
    message = outbox.message_create(
        actor=analyst,
        campaign=campaign,
        title="بیمهٔ اختیاری",
        body="ثبت‌نام برخط است.",
        channels=[Channel.WEBSITE],
    )
    Message.objects.filter(pk=message.pk).update(published_at=timezone.now())


@pytest.fixture
def client_key(hq_analyst: Any) -> str:
    """Every app's data (an open poll among them), and a registered client's key with room for
    every request made."""
    from tabyin.core.apiclients import services
    from tabyin.core.enums import Role
    from tabyin.core.sms import console
    from tests import factories
    from tests.reception.polls_helpers import make_poll

    # The console SMS outbox outlives each test's database: a code row of the same id would find
    # its message already "sent" (the same idempotency key) and the helpers would read an old code.
    console.clear()
    _portal_data()
    _scorecard_data()
    _reports_data()
    make_poll(hq_analyst)
    manager = factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)
    _monitor_data(hq_analyst, manager)
    _ideas_and_meetings_data(hq_analyst)
    _news_data(hq_analyst)
    _client, key = services.client_create(actor=None, name="Fuzz", rate="10000/d")
    return key


CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@api.parametrize()
@FUZZ
def test_the_public_api_answers_every_request_as_documented(case: Any, client_key: str) -> None:
    # schemathesis's WSGI transport hands the body over as sent and does not undo a gzip encoding,
    # which the site applies to text of 1 KB or more when asked (ADR 0041): the fuzz asks for the
    # plain body; negotiation and the gzip bytes are tests/core/test_compression.py's.
    response = case.call(headers={"X-Api-Key": client_key, "Accept-Encoding": "identity"})
    case.validate_response(response, checks=CHECKS)


@pytest.mark.django_db
def test_the_fuzz_harness_reports_a_server_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: a view that raises reaches schemathesis as a 500 and is reported."""

    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("deliberately broken for this test")

    monkeypatch.setattr("tabyin.portal.api.v1.site_url", broken)
    case = api["/api/v1/"]["GET"].Case()

    response = case.call()

    assert response.status_code == 500
    with pytest.raises(FailureGroup, match="Server error"):
        case.validate_response(response, checks=[not_a_server_error])
