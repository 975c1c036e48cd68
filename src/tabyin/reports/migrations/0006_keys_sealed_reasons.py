"""Issue 15.5: seal what staff wrote in clear — identity-request and decision reasons, routing
explanations — and take reasons out of the audit log, keeping that the action happened.

Only public keys are needed to seal, so every row whose unit (or custodians') keyring is known is
sealed: a recipient's route note to its own keyring; a request's reasons to the requesting unit's
keyring and the custodians' keyring; a legal-hold reason becomes a note sealed to the keyring of
the unit that set it (or that holds the case now). A reason whose report retention has already
deleted is dropped with nothing left. The audit log is append-only (a PostgreSQL trigger); this
migration alone lifts the trigger for its own rewrite, inside its transaction, and leaves an entry
that says how many entries it changed. Going back restores the columns, empty: sealed text cannot
be unsealed without the handlers' keys.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

from tabyin.reports.crypto import sodium

TRIGGER = "core_auditentry_no_update_delete"
HOLD = {True: "Legal hold placed. Reason: %s", False: "Legal hold lifted. Reason: %s"}


def _seal(keyring: Any, text: str) -> bytes:
    return sodium.seal(bytes(keyring.public_key), text.encode())


def _sealed_map(text: str, keyrings: list[Any]) -> dict[str, str]:
    return {str(k.pk): sodium.b64(_seal(k, text)) for k in keyrings if k is not None}


def _unit_keyring(recipients: Any, report_id: int, unit_id: int | None) -> Any:
    rows = recipients.filter(report_id=report_id).select_related("keyring").order_by("id")
    own = rows.filter(unit_id=unit_id).first() if unit_id is not None else None
    found = own or rows.first()
    return found.keyring if found is not None else None


def forward(apps: Any, schema_editor: Any) -> None:
    recipients = apps.get_model("reports", "ReportRecipient")
    requests = apps.get_model("reports", "IdentityRequest")
    reports = apps.get_model("reports", "Report")
    notes = apps.get_model("reports", "Note")
    audit = apps.get_model("core", "AuditEntry")

    for row in recipients.objects.exclude(route_note_text="").select_related("keyring"):
        row.route_note = _seal(row.keyring, row.route_note_text)
        row.save(update_fields=["route_note"])

    for request in requests.objects.select_related("report__identity_keyring"):
        keyrings = [
            _unit_keyring(recipients.objects, request.report_id, request.unit_id),
            request.report.identity_keyring,
        ]
        request.reason = _sealed_map(request.reason_text, keyrings) if request.reason_text else {}
        request.decision_reason = (
            _sealed_map(request.decision_reason_text, keyrings) if request.decision_reason_text else {}
        )
        request.save(update_fields=["reason", "decision_reason"])

    changed: list[tuple[int, dict[str, Any]]] = []
    for entry in audit.objects.filter(object_type="reports.report").order_by("id"):
        after = dict(entry.after or {})
        if "reason" not in after:
            continue
        why = str(after.pop("reason"))
        if "legal_hold" in after:
            report_id = int(entry.object_id)
            keyring = _unit_keyring(recipients.objects, report_id, entry.unit_id)
            note_id = None
            if keyring is not None and reports.objects.filter(pk=report_id).exists():
                note = notes.objects.create(
                    report_id=report_id,
                    author_id=entry.actor_id,
                    body=_seal(keyring, HOLD[bool(after["legal_hold"])] % why),
                    sealed_to=keyring,
                )
                notes.objects.filter(pk=note.pk).update(created_at=entry.created_at)
                note_id = note.pk
            after["reason_note"] = note_id
        changed.append((entry.pk, after))

    if not changed:
        return
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:  # deferred checks first: PostgreSQL alters no table with trigger events pending
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE core_auditentry DISABLE TRIGGER {TRIGGER}")
    for pk, after in changed:
        audit.objects.filter(pk=pk).update(after=after)
    if postgres:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE core_auditentry ENABLE TRIGGER {TRIGGER}")
    audit.objects.create(
        actor_username="",
        action="update",
        object_type="core.auditentry",
        object_repr="reasons sealed (issue 15.5)",
        after={"entries_without_reason": len(changed)},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_alter_auditentry_action"),
        ("reports", "0005_keys_grants"),
    ]

    operations = [
        migrations.RenameField("reportrecipient", "route_note", "route_note_text"),
        migrations.AddField("reportrecipient", "route_note", models.BinaryField(blank=True, null=True)),
        migrations.RenameField("identityrequest", "reason", "reason_text"),
        migrations.RenameField("identityrequest", "decision_reason", "decision_reason_text"),
        migrations.AddField(
            "identityrequest", "reason", models.JSONField(default=dict, verbose_name="reason")
        ),
        migrations.AddField(
            "identityrequest",
            "decision_reason",
            models.JSONField(blank=True, default=dict, verbose_name="reason for the decision"),
        ),
        migrations.AddField(
            "note",
            "sealed_to",
            models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="reports.keyring",
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.RemoveField("reportrecipient", "route_note_text"),
        migrations.RemoveField("identityrequest", "reason_text"),
        migrations.RemoveField("identityrequest", "decision_reason_text"),
    ]
