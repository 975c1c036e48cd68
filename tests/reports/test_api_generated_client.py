"""Proof for the mobile app's developers: a client generated from the public API's OpenAPI document
by a standard generator (openapi-python-client) completes the violation-report flow against a live
server — categories, submit with a file, the receipt, follow-up, reply — and the tipline's flow —
send a tip, keep its status token, follow it to the published answer — with a client key."""

from __future__ import annotations

import base64
import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tabyin.core.apiclients import services as client_services
from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.responses import services as services_responses
from tests import factories
from tests.monitor.answering import RUMOR, approved, ingest_rumor
from tests.reports import helpers

pytestmark = [pytest.mark.django_db(transaction=True)]
PACKAGE = "tabyin_api_client"


def _generator() -> str:
    found = Path(sys.executable).parent / "openapi-python-client"
    if not found.exists():
        pytest.fail("openapi-python-client is a dev dependency: install the dev group")
    return str(found)


@pytest.fixture
def generated(live_server: Any, tmp_path: Path) -> Iterator[Any]:
    """The client package generated from the live server's /api/v1/openapi.json, importable."""
    document = httpx.get(f"{live_server.url}/api/v1/openapi.json", timeout=30)
    assert document.status_code == 200
    (tmp_path / "openapi.json").write_bytes(document.content)
    (tmp_path / "config.yaml").write_text("post_hooks: []\n")  # no formatter run on the output
    subprocess.run(
        [
            _generator(),
            "generate",
            "--path",
            str(tmp_path / "openapi.json"),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / PACKAGE),
            "--config",
            str(tmp_path / "config.yaml"),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield lambda name: importlib.import_module(f"{PACKAGE}.{name}")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def test_a_generated_client_completes_the_report_flow(
    generated: Any, live_server: Any, tehran_security: User, hq_units_with_keys: dict[str, User]
) -> None:
    _app, key = client_services.client_create(actor=None, name="Generated client", rate="600/m")
    client_module = generated("client")
    models = generated("models")
    anonymous = client_module.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    keyed = client_module.AuthenticatedClient(
        base_url=live_server.url, token=key, raise_on_unexpected_status=True
    )

    categories = generated("api.reports.reports_categories").sync(client=anonymous)
    bribery = next(c for c in categories if c.code == "bribery")
    assert [q.to_dict()["key"] for q in bribery.questions] == ["paid", "amount", "method"]

    report = models.ReportIn(
        category=bribery.code,
        fields=models.ReportInFields.from_dict(helpers.form()),
        files=[models.FileIn(name="رسید.pdf", content_base64=base64.b64encode(helpers.PDF).decode())],
    )
    submit = generated("api.reports.reports_submit")
    refused = submit.sync_detailed(client=anonymous, body=report)  # a write without a key
    assert refused.status_code == 401
    assert refused.parsed.type_ == "/api/v1/docs#problem-unauthorized"

    receipt = submit.sync(client=keyed, body=report)
    assert isinstance(receipt, models.ReceiptOut)
    assert len(receipt.receipt.replace(" ", "")) == 16

    follow_up = generated("api.reports.reports_follow_up")
    case = follow_up.sync(client=keyed, body=models.ReceiptIn(receipt=receipt.receipt))
    assert isinstance(case, models.CaseOut)
    assert (case.status, case.can_write) == ("received", True)
    assert [f.label for f in case.messages[0].files] == ["رسید.pdf"]

    reply = generated("api.reports.reports_reply").sync(
        client=keyed, body=models.ReplyIn(receipt=receipt.receipt, body="پاسخ من از برنامه")
    )
    assert isinstance(reply, models.SentOut) and reply.sent is True
    again = follow_up.sync(client=keyed, body=models.ReceiptIn(receipt=receipt.receipt))
    assert [m.text for m in again.messages] == ["", "پاسخ من از برنامه"]

    wrong = follow_up.sync_detailed(client=keyed, body=models.ReceiptIn(receipt="0000 0000 0000 0000"))
    assert (wrong.status_code, wrong.parsed.status) == (404, 404)


def test_a_generated_client_completes_the_tip_flow(
    generated: Any, live_server: Any, hq_analyst: User
) -> None:
    services_ingest.reset_index()  # the near-duplicate index lives in the process
    rumor = ingest_rumor()
    _app, key = client_services.client_create(actor=None, name="Generated client", rate="600/m")
    client_module = generated("client")
    models = generated("models")
    anonymous = client_module.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    keyed = client_module.AuthenticatedClient(
        base_url=live_server.url, token=key, raise_on_unexpected_status=True
    )

    tip = models.TipIn(device="generated-client-device-01", text=RUMOR, link="https://t.me/hostile_news/101")
    submit = generated("api.clarifications.monitor_tip_submit")
    refused = submit.sync_detailed(client=anonymous, body=tip)  # a write without a key
    assert (refused.status_code, refused.parsed.type_) == (401, "/api/v1/docs#problem-unauthorized")
    sent = submit.sync(client=keyed, body=tip)
    assert isinstance(sent, models.TipTokenOut)

    status = generated("api.clarifications.monitor_tip_status")
    waiting = status.sync(client=keyed, body=models.TipTokenIn(token=sent.token))
    assert isinstance(waiting, models.TipStatusOut)
    assert (waiting.status, waiting.clarification) == ("received", None)

    manager = factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)
    answer = services_responses.response_publish(actor=manager, response=approved(rumor, hq_analyst, manager))
    answered = status.sync(client=keyed, body=models.TipTokenIn(token=sent.token))
    assert answered.status == "answered"
    assert (answered.clarification.id, answered.clarification.title) == (answer.pk, answer.title)

    listed = generated("api.clarifications.monitor_clarifications").sync(client=anonymous)
    assert [c.id for c in listed.results] == [answer.pk]
    wrong = status.sync_detailed(client=keyed, body=models.TipTokenIn(token="not-a-token"))
    assert (wrong.status_code, wrong.parsed.status) == (404, 404)
