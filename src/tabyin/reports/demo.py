"""`tabyin demo` for violation reports: keys for the demo handlers, then sample reports in several
units and states (``demo_samples``), so each demo handler sees a realistic inbox.

- Each key holder among core's personas (the case handlers and the identity custodian) gets a
  key with a generated passphrase, written to DATA_DIR/demo-case-passphrases.txt (mode 0600)
  and reused on a rerun. Who reads what then follows the real rule (``services_grants``): the
  installation's first key goes to the custodian (``grant_bootstrap``, as the server command
  does), and every unit's first holder is granted by two people, at least one a trustee — the
  custodian and the administrator for HQ security, HQ security's holder and the custodian for the
  other HQ units, Tehran's administrator and the HQ holder of the same kind for Tehran's.
- The reports go through the real services: submitted by ``services_intake`` (so routed and
  encrypted as any other), then worked on by the handlers with ``services_case`` and
  ``services_identity``, and answered by the reporter with ``services_reporter``. Each step runs
  under ``_clock`` (``timezone.now`` patched, as in the scorecard's demo) so that the inbox spans
  recent months: one report is overdue, several are closed. No row is edited afterwards.
- The receipt code of one report with a handler's reply is kept in the same file, so a rerun can
  print it again; the code is never stored anywhere else. Idempotent: when any report exists,
  no sample is added.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from tabyin.core import demo as core_demo
from tabyin.core.models import OrgUnit, User
from tabyin.reports.cases import services as services_case
from tabyin.reports.crypto import receipts
from tabyin.reports.demo_samples import SAMPLES, Sample, Step
from tabyin.reports.identity import services as services_identity
from tabyin.reports.intake import services as services_intake
from tabyin.reports.intake import services_reporter, validation
from tabyin.reports.keys import services as services_keys
from tabyin.reports.keys import services_grants
from tabyin.reports.models import HandlerKey, Report, ReportRecipient

PASSPHRASES_FILE = "demo-case-passphrases.txt"
RECEIPT_LINE = "receipt-code"
# (grantee, unit code or "" for the custodians' key, proposer, approver), in order: each approver
# or proposer who is a trustee already holds an HQ unit's or the custodians' key by then.
GRANTS = (
    ("hq.security", "hq-security", "hq.custodian", "admin"),
    ("hq.inspection", "hq-inspection", "hq.security", "hq.custodian"),
    ("hq.board", "hq-violations-board", "hq.security", "hq.custodian"),
    ("tehran.security", "ir-23-security", "tehran.admin", "hq.security"),
    ("tehran.inspection", "ir-23-inspection", "tehran.admin", "hq.inspection"),
)
KEY_HOLDERS = (
    "hq.security",
    "hq.inspection",
    "hq.board",
    "tehran.security",
    "tehran.inspection",
    "hq.custodian",
)
# Who works a report in each receiving unit of the demo.
HANDLER_OF_UNIT = {
    "hq-security": "hq.security",
    "hq-inspection": "hq.inspection",
    "hq-violations-board": "hq.board",
    "ir-23-security": "tehran.security",
    "ir-23-inspection": "tehran.inspection",
}


def passphrases_path() -> Path:
    return Path(settings.DATA_DIR) / PASSPHRASES_FILE


@contextmanager
def _clock(moment: datetime) -> Iterator[None]:
    """Run the services as if it were ``moment`` (see the module docstring for why)."""
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def _read(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    rows = (line.split("\t") for line in path.read_text().splitlines() if line and not line.startswith("#"))
    return {row[0]: row[1] for row in rows if len(row) >= 2}


def _write(path: Path, known: dict[str, str]) -> None:
    header = (
        "# user name\tpassphrase — unlocks the user's violation-report key at /staff/reports/keys/ "
        "(sample data; never reuse these)\n"
    )
    lines = [f"{name}\t{value}" for name, value in known.items()]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(header + "\n".join(lines) + "\n")
    path.chmod(0o600)


def _keys(users: dict[str, User], known: dict[str, str]) -> tuple[dict[str, services_keys.Unlocked], int]:
    """Unlocked keys of the holders whose passphrase is known; creates the missing keys."""
    unlocked: dict[str, services_keys.Unlocked] = {}
    created = 0
    for name, user in users.items():
        if not HandlerKey.objects.filter(user=user).exists():
            known[name] = secrets.token_urlsafe(18)
            unlocked[name] = services_keys.keys_setup(user=user, passphrase=known[name])
            created += 1
        elif name in known:
            unlocked[name] = services_keys.keys_unlock(user=user, passphrase=known[name])
        # else: a key whose passphrase file was removed stays as it is (replacing it would void
        # the only share of its unit's key); that handler's samples are skipped below.
    return unlocked, created


def _grants(users: dict[str, User], unlocked: dict[str, services_keys.Unlocked]) -> int:
    """The demo's readers, made through the two-person rule (see the module docstring)."""
    made = 0
    custodian = users["hq.custodian"]
    if services_keys.custodian_keyring() is None and not services_grants.trustee_keyrings(custodian):
        try:
            services_grants.grant_bootstrap(grantee=custodian, unit=None)
            made += 1
        except PermissionDenied:
            pass  # a trustee exists already: the custodian's key comes from a grant, not the demo
    for grantee, code, proposer, approver in GRANTS:
        unit = OrgUnit.objects.get(code=code)
        keyring = services_keys.unit_keyring(unit)
        if keyring is not None and services_keys.holders(keyring):
            continue
        if grantee not in unlocked:
            continue
        grant = services_grants.grant_propose(
            actor=users[proposer], unlocked=unlocked.get(proposer), grantee=users[grantee], unit=unit
        )
        services_grants.grant_approve(actor=users[approver], unlocked=unlocked.get(approver), grant=grant)
        made += 1
    return made


class _Run:
    def __init__(
        self, users: dict[str, User], unlocked: dict[str, services_keys.Unlocked], now: datetime
    ) -> None:
        self.users, self.unlocked, self.now = users, unlocked, now
        self.kept_code = ""

    def _actor(self, report: Report, step: Step) -> str:
        if step.by:
            return step.by
        codes = (
            ReportRecipient.objects.filter(report=report).order_by("id").values_list("unit__code", flat=True)
        )
        return next(HANDLER_OF_UNIT[c] for c in codes if c in HANDLER_OF_UNIT)

    def sample(self, sample: Sample, number: int) -> None:
        received = self.now - timedelta(days=sample.days_ago, hours=number % 7, minutes=13 * number % 60)
        files = (
            [validation.Attachment(name=sample.pdf, data=core_demo.tiny_pdf(f"Sample evidence {number}"))]
            if sample.pdf
            else []
        )
        with _clock(received):
            submitted = services_intake.report_submit(
                category_code=sample.category, data=sample.data(), lists=sample.lists, files=files
            )
        report = submitted.report
        for step in sample.steps:
            with _clock(received + timedelta(days=step.day, hours=2)):
                self._step(report, submitted.code, step)
            report.refresh_from_db()
        if sample.keep_code:
            self.kept_code = submitted.code

    def _step(self, report: Report, code: str, step: Step) -> None:
        if step.kind == "reply":
            access = services_reporter.receipt_open(raw_code=code)
            assert access is not None
            services_reporter.reporter_message_send(access=access, text=step.text, files=[])
            return
        name = self._actor(report, step)
        actor, unlocked = self.users[name], self.unlocked[name]
        if step.kind == "status":
            services_case.status_set(actor=actor, report=report, status=step.text)
        elif step.kind == "assign":
            services_case.assign(actor=actor, report=report, assignee=actor)
        elif step.kind == "note":
            services_case.note_add(actor=actor, unlocked=unlocked, report=report, text=step.text)
        elif step.kind == "message":
            services_case.message_send(
                actor=actor,
                unlocked=unlocked,
                report=report,
                text=step.text,
                files=[],
                max_files=settings.TABYIN_REPORTS_MAX_FILES,
                max_bytes=settings.TABYIN_REPORTS_FILE_MAX_BYTES,
            )
        elif step.kind == "transfer":
            services_case.transfer(
                actor=actor,
                unlocked=unlocked,
                report=report,
                to_unit=OrgUnit.objects.get(code=step.unit),
                reason=step.text,
            )
        elif step.kind == "hold":
            services_case.legal_hold_set(
                actor=actor, unlocked=unlocked, report=report, on=True, reason=step.text
            )
        elif step.kind == "identity":
            services_identity.identity_request(actor=actor, report=report, reason=step.text)
        else:
            raise ValueError(f"unknown demo step {step.kind}")


def load() -> str:
    users = {u.username: u for u in User.objects.filter(username__in=(*KEY_HOLDERS, "admin", "tehran.admin"))}
    missing = sorted({*KEY_HOLDERS, "admin", "tehran.admin"} - set(users))
    if missing:
        return f"skipped: the core demo personas {', '.join(missing)} do not exist"
    path = passphrases_path()
    known = _read(path)
    with transaction.atomic():
        unlocked, created = _keys({name: users[name] for name in KEY_HOLDERS}, known)
        granted = _grants(users, unlocked)
    _write(path, known)
    keys = (
        f"keys: {created} created, {len(KEY_HOLDERS) - created} kept, {granted} first holders granted; "
        f"passphrases in {path}"
    )
    if Report.objects.exists():
        code = known.get(RECEIPT_LINE)
        shown = f"; demo receipt code: {receipts.display(code)}" if code else ""
        return f"{keys}; sample reports: kept ({Report.objects.count()} reports){shown}"
    lacking = sorted(set(HANDLER_OF_UNIT.values()) - set(unlocked))
    if lacking:
        return f"{keys}; sample reports skipped: passphrases of {', '.join(lacking)} are not in {path}"
    run = _Run(users, unlocked, timezone.now())
    with transaction.atomic():
        for number, sample in enumerate(SAMPLES):
            run.sample(sample, number)
    known[RECEIPT_LINE] = run.kept_code
    _write(path, known)
    return (
        f"{keys}; sample reports: {len(SAMPLES)} created; demo receipt code: "
        f"{receipts.display(run.kept_code)} (type it at /reports/follow-up/ to read the handler's reply)"
    )
