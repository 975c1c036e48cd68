"""Issue 15.5, existing rows: the data migration seals what was kept in clear and takes reasons out
of the (append-only) audit log, on SQLite and on PostgreSQL (where a trigger guards the log)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tabyin.reports.crypto import sodium
from tabyin.reports.keys import sealing

pytestmark = [pytest.mark.django_db(transaction=True)]

BEFORE = [("reports", "0005_keys_grants"), ("core", "0005_alter_auditentry_action")]
AFTER = [("reports", "0006_keys_sealed_reasons")]


@pytest.fixture(autouse=True)
def _latest_schema_after() -> Iterator[None]:
    """BEFORE takes core back too (its 0006 and later are unapplied): bring every app forward again,
    or the tests after this one find core's newer tables missing."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_old_rows_are_sealed_and_the_audit_log_keeps_no_reason() -> None:
    old = _migrate(BEFORE)
    unit_public, unit_private = sodium.keypair()
    keeper_public, keeper_private = sodium.keypair()
    units = old.get_model("core", "OrgUnit")
    root = units.objects.filter(kind="hq").first() or units.objects.create(
        code="hq", kind="hq", name_fa="ستاد", name_en="HQ"
    )
    hq = units.objects.create(code="hq-x", kind="security", parent=root, name_fa="حراست", name_en="Security")
    keyrings = old.get_model("reports", "Keyring")
    unit_ring = keyrings.objects.create(purpose="unit", unit=hq, public_key=unit_public)
    keeper_ring = keyrings.objects.create(purpose="custodian", public_key=keeper_public)
    category = old.get_model("reports", "Category").objects.create(
        code="mig", group="g", name_fa="ن", name_en="n"
    )
    now = datetime(2026, 11, 1, tzinfo=UTC)
    report = old.get_model("reports", "Report").objects.create(
        category=category,
        place_kind="hq",
        identity_mode="confidential",
        received_at=now,
        due_at=now,
        legal_hold=True,
        content=b"x",
        identity=b"y",
        identity_keyring=keeper_ring,
        receipt_index="i" * 64,
        receipt_salt=b"s",
        receipt_verifier=b"v",
        receipt_wrapped_key=b"w",
    )
    old.get_model("reports", "ReportRecipient").objects.create(
        report=report,
        unit=hq,
        keyring=unit_ring,
        sealed_content_key=b"k",
        route_note="rule 3: sent to headquarters",
    )
    request = old.get_model("reports", "IdentityRequest").objects.create(
        report=report, unit=hq, reason="ASK the witness", state="refused", decision_reason="DECIDE not needed"
    )
    audit = old.get_model("core", "AuditEntry")
    hold = audit.objects.create(
        unit=hq,
        action="update",
        object_type="reports.report",
        object_id=str(report.pk),
        before={"legal_hold": False},
        after={"legal_hold": True, "reason": "HOLD court letter"},
    )
    asked = audit.objects.create(
        unit=hq,
        action="create",
        object_type="reports.report",
        object_id=str(report.pk),
        after={"identity_request": request.pk, "state": "pending", "reason": "ASK the witness"},
    )
    gone = audit.objects.create(  # a report retention has already deleted
        unit=hq,
        action="update",
        object_type="reports.report",
        object_id="999999",
        after={"legal_hold": True, "reason": "HOLD of a deleted report"},
    )

    new = _migrate(AFTER)

    entries = new.get_model("core", "AuditEntry").objects
    notes = new.get_model("reports", "Note").objects
    note = notes.get()
    assert entries.get(pk=hold.pk).after == {"legal_hold": True, "reason_note": note.pk}
    assert entries.get(pk=asked.pk).after == {"identity_request": request.pk, "state": "pending"}
    assert entries.get(pk=gone.pk).after == {"legal_hold": True, "reason_note": None}
    assert entries.filter(object_type="core.auditentry").get().after == {"entries_without_reason": 3}
    assert not any("HOLD" in str(e.after) or "ASK" in str(e.after) for e in entries.all())

    assert (note.sealed_to_id, sodium.unseal(unit_private, bytes(note.body)).decode()) == (
        unit_ring.pk,
        "Legal hold placed. Reason: HOLD court letter",
    )
    recipient = new.get_model("reports", "ReportRecipient").objects.get()
    assert sodium.unseal(unit_private, bytes(recipient.route_note)).decode() == "rule 3: sent to headquarters"
    migrated = new.get_model("reports", "IdentityRequest").objects.get()
    assert sealing.open_sealed(migrated.reason, unit_ring.pk, unit_private) == "ASK the witness"
    assert sealing.open_sealed(migrated.reason, keeper_ring.pk, keeper_private) == "ASK the witness"
    assert sealing.open_sealed(migrated.decision_reason, unit_ring.pk, unit_private) == "DECIDE not needed"

    if connection.vendor == "postgresql":  # the guard is back on
        from django.db import DatabaseError, transaction

        with pytest.raises(DatabaseError), transaction.atomic():
            entries.filter(pk=hold.pk).update(after={})
