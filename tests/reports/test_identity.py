"""A confidential reporter's identity: sealed until a custodian approves a handler's request."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tabyin.core.models import AuditEntry, User
from tabyin.reports.cases import services as services_case
from tabyin.reports.enums import DisclosureState
from tabyin.reports.identity import services as services_identity
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import IdentityRequest, Keyring, Report
from tests import factories
from tests.conftest import verified_client
from tests.reports import helpers
from tests.reports.test_case_services import CANARY, opened, report_for_tehran

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

NAME = "NAME-CANARY مریم احمدی"


def _unit_keyring() -> Keyring:
    found = services_keys.unit_keyring(factories.unit("ir-23-security"))
    assert found is not None
    return found


def confidential(custodian: User) -> Report:
    report, _code = report_for_tehran(
        identity_mode="confidential", identity_name=NAME, identity_contact="0912 000 0000"
    )
    return report


def read_identity(handler: User, report: Report) -> dict[str, str] | None:
    return services_case.case_open(actor=handler, unlocked=opened(handler), report_id=report.pk).identity


def test_approved_request_lets_the_unit_read_the_identity(
    tehran_security: User, custodian: User, django_capture_on_commit_callbacks: Any
) -> None:
    report = confidential(custodian)
    assert read_identity(tehran_security, report) is None
    custodian.email = "custodian@example.org"
    custodian.save()

    with django_capture_on_commit_callbacks(execute=True):
        request = services_identity.identity_request(
            actor=tehran_security, report=report, reason="we must interview the witness"
        )
    assert [m.to for m in mail.outbox] == [["custodian@example.org"]]
    assert NAME not in mail.outbox[0].body and "interview" not in mail.outbox[0].body
    with pytest.raises(ValidationError, match="already waiting"):
        services_identity.identity_request(actor=tehran_security, report=report, reason="again")

    services_identity.identity_decide(
        actor=custodian, unlocked=opened(custodian), request=request, approve=True, reason="proportionate"
    )

    assert read_identity(tehran_security, report) == {"name": NAME, "contact": "0912 000 0000"}
    request.refresh_from_db()
    assert (
        request.state,
        request.decided_by,
        helpers.opened_text(request.decision_reason, _unit_keyring()),
    ) == (
        DisclosureState.APPROVED,
        custodian,
        "proportionate",
    )
    entries = (
        AuditEntry.objects.filter(object_type="reports.report", object_id=str(report.pk))
        .exclude(action="view")
        .order_by("id")
    )
    # That it happened, not why: the reasons are sealed on the request (issue 15.5).
    assert [(e.actor_username, e.after) for e in entries][-2:] == [
        ("tehran.security", {"identity_request": request.pk, "state": "pending"}),
        ("hq.custodian", {"identity_request": request.pk, "state": "approved"}),
    ]
    assert all(NAME not in str(e.after) for e in entries)


def test_a_refused_request_keeps_the_identity_sealed(tehran_security: User, custodian: User) -> None:
    report = confidential(custodian)
    request = services_identity.identity_request(actor=tehran_security, report=report, reason="curious")
    services_identity.identity_decide(
        actor=custodian, unlocked=None, request=request, approve=False, reason="no need shown"
    )
    request.refresh_from_db()
    assert (request.state, request.sealed_identity) == (DisclosureState.REFUSED, None)
    assert read_identity(tehran_security, report) is None
    with pytest.raises(ValidationError, match="already been decided"):
        services_identity.identity_decide(
            actor=custodian,
            unlocked=opened(custodian),
            request=request,
            approve=True,
            reason="changed my mind",
        )


def test_a_custodian_cannot_read_the_report_and_sees_no_content(
    tehran_security: User, custodian: User
) -> None:
    report = confidential(custodian)
    services_identity.identity_request(actor=tehran_security, report=report, reason="needed for the hearing")
    with pytest.raises(PermissionDenied):
        services_case.case_open(actor=custodian, unlocked=opened(custodian), report_id=report.pk)

    client = verified_client(custodian)
    assert client.get(reverse("reports:case", args=[report.pk])).status_code == 404
    client.post(reverse("reports:keys"), {"action": "unlock", "unlock-passphrase": helpers.PASSPHRASE})
    queue = client.get(reverse("reports:identity-queue"))  # the reason opens with the custodians' key
    assert queue.status_code == 200
    page = queue.content.decode()
    assert "needed for the hearing" in page
    assert CANARY not in page and NAME not in page
    assert client.get(reverse("reports:case", args=[report.pk])).status_code == 404


@pytest.mark.abuse
def test_only_custodians_decide_and_only_confidential_identities_are_requested(
    tehran_security: User, custodian: User
) -> None:
    anonymous, _code = report_for_tehran()
    with pytest.raises(ValidationError, match="Only a confidential"):
        services_identity.identity_request(actor=tehran_security, report=anonymous, reason="why")
    report = confidential(custodian)
    with pytest.raises(ValidationError):
        services_identity.identity_request(actor=tehran_security, report=report, reason="  \u202e ")
    request = services_identity.identity_request(actor=tehran_security, report=report, reason="why")
    with pytest.raises(PermissionDenied):
        services_identity.identity_decide(
            actor=tehran_security,
            unlocked=opened(tehran_security),
            request=request,
            approve=True,
            reason="me",
        )
    with pytest.raises(PermissionDenied):
        services_identity.requests_for_custodian(tehran_security)
    assert IdentityRequest.objects.get().state == DisclosureState.PENDING


def test_decisions_through_the_custodian_pages(tehran_security: User, custodian: User) -> None:
    report = confidential(custodian)
    request = services_identity.identity_request(actor=tehran_security, report=report, reason="needed")
    client = verified_client(custodian)
    url = reverse("reports:identity-decide", args=[request.pk])
    prefix = f"decide{request.pk}"

    locked = client.post(url, {f"{prefix}-decision": "approve", f"{prefix}-reason": "fine"})
    assert locked.status_code == 400
    assert "Unlock your key first" in locked.content.decode()
    no_reason = client.post(url, {f"{prefix}-decision": "refuse", f"{prefix}-reason": ""})
    assert no_reason.status_code == 400

    client.post(reverse("reports:keys"), {"action": "unlock", "unlock-passphrase": helpers.PASSPHRASE})
    done = client.post(url, {f"{prefix}-decision": "approve", f"{prefix}-reason": "fine"})
    assert done.status_code == 302
    assert read_identity(tehran_security, report) == {"name": NAME, "contact": "0912 000 0000"}
    handler = verified_client(tehran_security)
    handler.post(reverse("reports:keys"), {"action": "unlock", "unlock-passphrase": helpers.PASSPHRASE})
    assert NAME in handler.get(reverse("reports:case", args=[report.pk])).content.decode()


def test_a_handler_asks_through_the_case_page(tehran_security: User, custodian: User) -> None:
    report = confidential(custodian)
    client = verified_client(tehran_security)
    url = reverse("reports:identity-request", args=[report.pk])
    assert client.post(url, {"identity-reason": ""}).status_code == 400
    assert client.post(url, {"identity-reason": "to hear them"}).status_code == 302
    assert helpers.opened_text(IdentityRequest.objects.get().reason, _unit_keyring()) == "to hear them"
    assert services_keys.has_key(custodian)
