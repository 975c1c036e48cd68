"""`tabyin demo` for reports: keys for the demo handlers, ~20 sample reports through the real
services, a receipt code that opens a case with a handler's reply; a rerun changes nothing.
Also the shell entries the app registers."""

from __future__ import annotations

import re
import stat
from collections import Counter
from pathlib import Path

import pytest
from django.utils import timezone

from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.core.registry import registry
from tabyin.reports import demo
from tabyin.reports.cases import services as services_case
from tabyin.reports.crypto import sodium
from tabyin.reports.enums import CLOSED_STATUSES, Author
from tabyin.reports.intake import services_reporter
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import (
    IdentityRequest,
    KeyGrant,
    Message,
    Note,
    Report,
    ReportFile,
    ReportRecipient,
)
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english"), pytest.mark.timeout(240)]

HOLDERS = {
    "hq.security": ("hq-security", Role.CASE_HANDLER),
    "hq.inspection": ("hq-inspection", Role.CASE_HANDLER),
    "hq.board": ("hq-violations-board", Role.CASE_HANDLER),
    "tehran.security": ("ir-23-security", Role.CASE_HANDLER),
    "tehran.inspection": ("ir-23-inspection", Role.CASE_HANDLER),
    "hq.custodian": ("hq", Role.CUSTODIAN),
}
REAL_NOW = timezone.now


@pytest.fixture
def personas(org: None, settings: object, tmp_path: Path) -> dict[str, User]:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    factories.persona("admin", "hq", Role.ADMINISTRATOR)  # they take part in the two-person grants
    factories.persona("tehran.admin", "ir-23", Role.ADMINISTRATOR)
    return {name: factories.persona(name, unit, role) for name, (unit, role) in HOLDERS.items()}


def test_the_demo_gives_each_handler_a_realistic_inbox_and_is_idempotent(
    personas: dict[str, User], tmp_path: Path
) -> None:
    summary = demo.load()

    path = tmp_path / "demo-case-passphrases.txt"
    match = re.fullmatch(
        rf"keys: 6 created, 0 kept, 6 first holders granted; passphrases in {re.escape(str(path))}; "
        r"sample reports: 20 created; "
        r"demo receipt code: (\d{4} \d{4} \d{4} \d{4}) "
        r"\(type it at /reports/follow-up/ to read the handler's reply\)",
        summary,
    )
    assert match is not None, summary
    assert timezone.now is REAL_NOW
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    known = demo._read(path)
    assert sorted(known) == sorted([*HOLDERS, "receipt-code"])
    # Every reader came through the rule: the installation key, then two people for each unit.
    assert list(
        KeyGrant.objects.order_by("id").values_list(
            "kind", "grantee__username", "proposed_by__username", "approved_by__username"
        )
    ) == [
        ("installation", "hq.custodian", None, None),
        ("two_person", "hq.security", "hq.custodian", "admin"),
        ("two_person", "hq.inspection", "hq.security", "hq.custodian"),
        ("two_person", "hq.board", "hq.security", "hq.custodian"),
        ("two_person", "tehran.security", "tehran.admin", "hq.security"),
        ("two_person", "tehran.inspection", "tehran.admin", "hq.inspection"),
    ]
    assert known["receipt-code"] == match[1].replace(" ", "")

    # The receipt opens a case with a handler's reply and the reporter's answer.
    access = services_reporter.receipt_open(raw_code=match[1])
    assert access is not None
    case = services_reporter.reporter_case(access=access)
    assert [said.author for said in case.messages] == ["handler", "reporter", "handler"]
    assert case.status == "in_progress"

    reports = Report.objects.all()
    assert reports.count() == 20
    assert Counter(reports.values_list("status", flat=True)) == {
        "received": 2,
        "under_review": 5,
        "investigating": 3,
        "referred": 1,
        "closed_substantiated": 5,
        "closed_unsubstantiated": 4,
    }
    assert Counter(reports.values_list("identity_mode", flat=True)) == {
        "anonymous": 16,
        "named": 3,
        "confidential": 1,
    }
    assert list(reports.filter(legal_hold=True).values_list("status", flat=True)) == ["closed_substantiated"]
    now = timezone.now()
    assert reports.filter(due_at__lt=now).exclude(status__in=CLOSED_STATUSES).count() == 1
    assert reports.filter(closed_at__isnull=False, expires_at__isnull=False).count() == 9
    assert IdentityRequest.objects.filter(state="pending").count() == 1
    holder = personas["tehran.security"]
    key = services_keys.keys_unlock(user=holder, passphrase=known["tehran.security"])
    notes = [
        sodium.unseal(
            services_keys.keyring_private(user=holder, unlocked=key, keyring=r.keyring), r.route_note
        )
        for r in ReportRecipient.objects.filter(unit__code="ir-23-security").select_related("keyring")
    ]
    assert notes.count(b"transferred from ir-23-inspection") == 1
    assert ReportFile.objects.filter(content_type="application/pdf").count() == 2
    assert Counter(Message.objects.values_list("author", flat=True)) == {
        Author.HANDLER: 10,
        Author.REPORTER: 3,
    }
    assert Note.objects.count() == 6  # four notes, the transfer reason and the legal-hold reason
    assert min(reports.values_list("received_at", flat=True)) < now - timezone.timedelta(days=150)
    assert len({r.province_id for r in reports}) == 9

    # Every demo handler unlocks with the file's passphrase and reads a case of their unit.
    for name in HOLDERS:
        if name == "hq.custodian":
            continue
        user = personas[name]
        unlocked = services_keys.keys_unlock(user=user, passphrase=known[name])
        mine = Report.objects.filter(recipients__unit__code=HOLDERS[name][0]).order_by("id")
        assert mine.count() >= 2, name
        view = services_case.case_open(actor=user, unlocked=unlocked, report_id=mine[0].pk)
        assert len(view.what) > 40

    # A rerun keeps everything and prints the same code.
    again = demo.load()
    assert again == (
        f"keys: 0 created, 6 kept, 0 first holders granted; passphrases in {path}; "
        "sample reports: kept (20 reports); "
        f"demo receipt code: {match[1]}"
    )
    assert Report.objects.count() == 20 and demo._read(path) == known


def test_without_the_core_personas_the_step_says_so(org: None, settings: object, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    assert demo.load() == (
        "skipped: the core demo personas admin, hq.board, hq.custodian, hq.inspection, hq.security, "
        "tehran.admin, tehran.inspection, tehran.security do not exist"
    )


def test_the_shell_entries_of_the_reports_app(org: None, hq_admin: User, tehran_admin: User) -> None:
    public = {e.url_name: e for e in registry.nav_for("public", None)}
    assert str(public["reports:index"].label) == "Violation reports"
    handler = factories.persona("tehran.security", "ir-23-security", Role.CASE_HANDLER)
    custodian = factories.persona("hq.custodian", "hq", Role.CUSTODIAN)
    analyst = factories.persona("hq.analyst", "hq", Role.ANALYST)

    def staff(user: User) -> set[str]:
        return {e.url_name for e in registry.nav_for("staff", user) if e.url_name.startswith("reports:")}

    assert staff(handler) == {"reports:inbox"}
    assert staff(custodian) == {"reports:identity-queue"}
    assert staff(hq_admin) == {"reports:config"}
    assert staff(tehran_admin) == set()
    assert staff(analyst) == set()
    assert [s.order for s in registry.demo if s.app == "reports"] == [40]
