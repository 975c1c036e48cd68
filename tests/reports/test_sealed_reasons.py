"""Issue 15.5: what handlers and custodians write (reasons for a legal hold, an identity request,
a decision, a transfer) and the routing explanation that says which office was named are sealed
to the unit like a note; the audit log keeps that something happened, not why."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core import serializers
from django.test import Client
from django.urls import reverse

from tabyin.core.enums import Role
from tabyin.core.models import AuditEntry, User
from tabyin.reports.cases import services as services_case
from tabyin.reports.models import IdentityRequest, Note, Report, ReportRecipient
from tests import factories
from tests.conftest import verified_client
from tests.reports import helpers
from tests.reports.test_case_services import opened, report_for_tehran

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

HOLD = "HOLD-CANARY the letter of the prosecutor 77"
ASK = "ASK-CANARY the hearing needs the witness"
DECIDE = "DECIDE-CANARY the board convenes on Tuesday"


def in_clear(text: str) -> list[str]:
    """Every stored row (reports and core, the audit log too) that holds ``text`` readable."""
    found = []
    for model in [*apps.get_app_config("reports").get_models(), *apps.get_app_config("core").get_models()]:
        for row in serializers.serialize("json", model.objects.all()).split('{"model": ')[1:]:
            if text in row:
                found.append(row[:60])
    return found


def unlocked_client(user: User) -> Client:
    client = verified_client(user)
    client.post(reverse("reports:keys"), {"action": "unlock", "unlock-passphrase": helpers.PASSPHRASE})
    return client


def test_a_legal_hold_reason_is_sealed_and_the_audit_says_only_that_it_happened(
    tehran_security: User, hq_admin: User
) -> None:
    report, _code = report_for_tehran()
    client = unlocked_client(tehran_security)
    done = client.post(
        reverse("reports:case-action", args=[report.pk]),
        {"action": "hold", "hold-on": "on", "hold-reason": HOLD},
    )
    assert done.status_code == 302
    assert Report.objects.get().legal_hold is True
    assert in_clear("HOLD-CANARY") == []
    entry = AuditEntry.objects.filter(object_type="reports.report", after__has_key="legal_hold").get()
    assert entry.after == {"legal_hold": True, "reason_note": Note.objects.get().pk}
    assert HOLD in client.get(reverse("reports:case", args=[report.pk])).content.decode()
    assert "HOLD-CANARY" not in verified_client(hq_admin).get("/en/staff/audit/").content.decode()


def test_identity_request_and_decision_reasons_are_sealed_to_the_unit_and_the_custodians(
    tehran_security: User, custodian: User, hq_admin: User
) -> None:
    report, _code = report_for_tehran(
        identity_mode="confidential", identity_name="Reza", identity_contact="0912"
    )
    handler = unlocked_client(tehran_security)
    handler.post(reverse("reports:identity-request", args=[report.pk]), {"identity-reason": ASK})
    request = IdentityRequest.objects.get()
    keeper = unlocked_client(custodian)
    assert ASK in keeper.get(reverse("reports:identity-queue")).content.decode()
    keeper.post(
        reverse("reports:identity-decide", args=[request.pk]),
        {f"decide{request.pk}-decision": "refuse", f"decide{request.pk}-reason": DECIDE},
    )
    assert IdentityRequest.objects.get().state == "refused"
    assert in_clear("ASK-CANARY") == [] and in_clear("DECIDE-CANARY") == []
    case = handler.get(reverse("reports:case", args=[report.pk])).content.decode()
    assert ASK in case and DECIDE in case
    # Locked, the custodian still sees that a request waits, not its reason.
    locked = verified_client(custodian).get(reverse("reports:identity-queue")).content.decode()
    assert f'data-request="{request.pk}"' in locked and ASK not in locked
    audit = verified_client(hq_admin).get("/en/staff/audit/").content.decode()
    assert "ASK-CANARY" not in audit and "DECIDE-CANARY" not in audit


def test_the_route_note_that_names_the_accused_office_is_sealed(
    tehran_security: User, hq_units_with_keys: dict[str, User]
) -> None:
    report = helpers.submit(lists={"concerns": ["security"]}).report
    recipient = ReportRecipient.objects.get(report=report, unit__code="hq-security")
    assert in_clear("sent to headquarters") == []
    hq = hq_units_with_keys["security"]
    case = services_case.case_open(actor=hq, unlocked=opened(hq), report_id=report.pk)
    own = next(r for r in case.recipients if r.own)
    assert own.unit == recipient.unit
    assert own.route_note.endswith(": sent to headquarters")


def test_a_transfer_reason_stays_a_note_and_the_new_route_note_is_sealed(
    tehran_security: User, tehran_inspection: User
) -> None:
    report, _code = report_for_tehran()
    services_case.transfer(
        actor=tehran_security,
        unlocked=opened(tehran_security),
        report=report,
        to_unit=factories.unit("ir-23-inspection"),
        reason="TRANSFER-CANARY not ours",
    )
    assert in_clear("TRANSFER-CANARY") == [] and in_clear("transferred from") == []
    case = services_case.case_open(
        actor=tehran_inspection, unlocked=opened(tehran_inspection), report_id=report.pk
    )
    assert [r.route_note for r in case.recipients] == ["transferred from ir-23-security"]
    assert any("TRANSFER-CANARY" in n.text for n in case.notes)


def test_a_handler_of_another_unit_sees_no_route_note_of_ours(
    tehran_security: User, tehran_inspection: User
) -> None:
    """Each recipient row is sealed to its own unit's key."""
    factories.persona("hq.admin", "hq", Role.ADMINISTRATOR)
    report = helpers.submit(category="leak", q_personal_data="yes").report
    rows = ReportRecipient.objects.filter(report=report)
    assert rows.count() >= 1
    for row in rows:
        assert isinstance(row.route_note, (bytes, memoryview))
