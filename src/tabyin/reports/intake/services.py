"""Receiving a report: check, route, encrypt, store, hand out the receipt code once.

Nothing about the sender is read here: no address, no user agent, no cookie. The request never
reaches this module; views pass the form's fields and files only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from tabyin.core import services as core_services
from tabyin.core.enums import AuditAction, UnitKind
from tabyin.core.models import OrgUnit
from tabyin.reports.config import routing
from tabyin.reports.crypto import receipts, sodium, storage
from tabyin.reports.enums import Author, IdentityMode
from tabyin.reports.intake import services_receipts, validation
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import Category, Keyring, Report, ReportFile, ReportRecipient
from tabyin.reports.notices import services as notifications

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Submitted:
    report: Report
    code: str  # the receipt code: shown to the reporter once, never stored


def _provinces() -> dict[str, OrgUnit]:
    return {u.iso_code: u for u in OrgUnit.objects.filter(kind=UnitKind.PROVINCE, is_active=True)}


def _content(cleaned: validation.Cleaned) -> dict[str, object]:
    return {
        "place_name": cleaned.place_name,
        "when": cleaned.when,
        "what": cleaned.what,
        "who": cleaned.who,
        "answers": cleaned.answers,
        "concerns": cleaned.concerns,
        "excluded": cleaned.excluded,
    }


def store_files(
    *,
    report: Report,
    key: bytes,
    files: list[validation.CheckedFile],
    author: Author,
    message_id: int | None = None,
) -> list[ReportFile]:
    """Write encrypted files; callers run this inside their transaction and clean up on failure."""
    stored: list[ReportFile] = []
    for checked in files:
        name = storage.write(key, checked.data)
        stored.append(
            ReportFile.objects.create(
                report=report,
                message_id=message_id,
                author=author,
                storage_name=name,
                name=sodium.encrypt(key, checked.label.encode()),
                content_type=checked.content_type,
                size=len(checked.data),
            )
        )
    return stored


@sensitive_variables()
def report_submit(
    *,
    category_code: str,
    data: dict[str, str],
    lists: dict[str, list[str]],
    files: list[validation.Attachment],
) -> Submitted:
    """Raises ``validation.SubmissionError`` (by field, all at once) when anything is wrong; then nothing
    is stored, no file is written and no one is notified."""
    category = Category.objects.filter(code=category_code, is_active=True).first()
    if category is None:
        raise validation.SubmissionError({"category": [_("Choose what you are reporting.")]})
    provinces = _provinces()
    custodians = services_keys.custodian_keyring()
    cleaned = validation.check_submission(
        data=data,
        lists=lists,
        questions=list(category.questions),
        provinces=set(provinces),
        files=files,
        max_files=settings.TABYIN_REPORTS_MAX_FILES,
        max_bytes=settings.TABYIN_REPORTS_FILE_MAX_BYTES,
        confidential_available=custodians is not None,
    )
    province = provinces.get(cleaned.province)
    try:
        routes = routing.route(
            category=category,
            province=province,
            concerns=set(cleaned.concerns),
            excluded=set(cleaned.excluded),
        )
    except routing.NoRecipientError:
        raise validation.SubmissionError(
            {
                "excluded": [
                    _("No office you allowed can receive this report. Allow at least one more office.")
                ]
            }
        ) from None
    written: list[str] = []
    try:
        with transaction.atomic():
            submitted = _store(
                category=category,
                province=province,
                cleaned=cleaned,
                routes=routes,
                custodians=custodians,
                written=written,
            )
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return submitted


@sensitive_variables()
def _store(
    *,
    category: Category,
    province: OrgUnit | None,
    cleaned: validation.Cleaned,
    routes: list[routing.Route],
    custodians: Keyring | None,
    written: list[str],
) -> Submitted:
    key = sodium.new_key()
    code = receipts.generate()
    receipt = services_receipts.new_receipt_fields(code, key)
    while Report.objects.filter(receipt_index=receipt["receipt_index"]).exists():  # 1 in 10^16
        code = receipts.generate()
        receipt = services_receipts.new_receipt_fields(code, key)
    identity: bytes | None = None
    identity_keyring = None
    if cleaned.identity_mode == IdentityMode.NAMED:
        identity = sodium.encrypt_json(key, cleaned.identity)
    elif cleaned.identity_mode == IdentityMode.CONFIDENTIAL:
        identity_keyring = custodians
        assert identity_keyring is not None  # checked by validation (confidential_available)
        identity = sodium.seal(bytes(identity_keyring.public_key), sodium.json_bytes(cleaned.identity))
    now = timezone.now()
    report = Report.objects.create(
        category=category,
        province=province,
        place_kind=cleaned.place_kind,
        identity_mode=cleaned.identity_mode,
        received_at=now,
        due_at=now + timedelta(days=category.deadline_days),
        content=sodium.encrypt_json(key, _content(cleaned)),
        identity=identity,
        identity_keyring=identity_keyring,
        **receipt,
    )
    for route in routes:
        ReportRecipient.objects.create(
            report=report,
            unit=route.unit,
            keyring=route.keyring,
            sealed_content_key=sodium.seal(bytes(route.keyring.public_key), key),
            route_note=sodium.seal(bytes(route.keyring.public_key), route.note.encode()),  # issue 15.5
        )
    for stored in store_files(report=report, key=key, files=cleaned.files, author=Author.REPORTER):
        written.append(stored.storage_name)
    core_services.audit_record(
        actor=None,
        action=AuditAction.CREATE,
        obj=report,
        unit=routes[0].unit,
        after={"category": category.code, "units": [r.unit.code for r in routes]},
    )
    notifications.notices_queue(report_id=report.pk, event="new")
    return Submitted(report=report, code=code)
