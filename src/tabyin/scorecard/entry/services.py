"""A province's data for a period: values, denominators, evidence, submission. HQ's review of
it is in ``services_review``.

Every write checks who may make it and when (the period's and the submission's state), changes
nothing when any part of the input is wrong, and leaves an audit row.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.scorecard import permissions
from tabyin.scorecard.entry import selectors as selectors_entry
from tabyin.scorecard.entry.validation import Parsed, parse_number, parse_value
from tabyin.scorecard.enums import (
    DataSource,
    IndicatorKind,
    PeriodState,
    SubmissionState,
    ValueStatus,
)
from tabyin.scorecard.models import Evidence, Indicator, Submission, Value

EDITABLE = (SubmissionState.NOT_STARTED, SubmissionState.DRAFT, SubmissionState.RETURNED)

# Evidence: what a reviewer can open safely, told apart by the first bytes, not by the name.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    # XLSX, DOCX, ODT and ODS are ZIP containers.
    "application/zip": (b"PK\x03\x04",),
}
# Extension → (signature family, the content type we store and serve). The browser's claimed type
# is never kept: it could say text/html.
_EXTENSIONS = {
    ".pdf": ("application/pdf", "application/pdf"),
    ".png": ("image/png", "image/png"),
    ".jpg": ("image/jpeg", "image/jpeg"),
    ".jpeg": ("image/jpeg", "image/jpeg"),
    ".xlsx": ("application/zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".docx": ("application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".odt": ("application/zip", "application/vnd.oasis.opendocument.text"),
    ".ods": ("application/zip", "application/vnd.oasis.opendocument.spreadsheet"),
}


def locked(submission: Submission) -> Submission:
    """The submission row, locked until the transaction ends, with its period and province: two
    people saving or reviewing one province at once write one after the other."""
    return Submission.objects.select_for_update().select_related("period", "province").get(pk=submission.pk)


def snapshot(value: Value | None) -> dict[str, Any]:
    if value is None:
        return {}
    return {
        "status": value.status,
        "numerator": None if value.numerator is None else str(value.numerator),
        "denominator": None if value.denominator is None else str(value.denominator),
        "value": None if value.value is None else str(value.value),
    }


def _require_entry(actor: User, submission: Submission) -> None:
    permissions.require(permissions.can_enter_for(scope_for(actor), submission.province_id))
    if submission.period.state != PeriodState.OPEN:
        raise ValidationError(_("Data entry for this period is closed."))
    if submission.state not in EDITABLE:
        raise ValidationError(
            _("This submission is with the reviewers; it can change only if they return it.")
        )


def indicator_of(submission: Submission, code: str) -> Indicator:
    try:
        return Indicator.objects.get(
            framework_id=submission.period.framework_id, code=code, parent__isnull=False
        )
    except Indicator.DoesNotExist:
        raise ValidationError(_("Unknown sub-indicator %s.") % code) from None


def _same(value: Value, parsed: Parsed, note: str) -> bool:
    # Numbers compare as numbers: «120» typed again over a stored 120.0000 is no change.
    return (value.status, value.numerator, value.denominator, value.value, value.note) == (
        parsed.status,
        parsed.numerator,
        parsed.denominator,
        parsed.value,
        note,
    )


def store(
    submission: Submission,
    indicator: Indicator,
    value: Value | None,
    parsed: Parsed,
    *,
    actor: User,
    note: str,
    warning: Mapping[str, Any] | None = None,
) -> bool:
    """Write one value if it changed; audited with before and after. Returns whether it wrote.
    ``warning`` is the plausibility decision on the new figure (``values_save``); a new figure
    needs a new confirmation."""
    if value is not None and _same(value, parsed, note):
        return False
    created = value is None
    before = {} if value is None else snapshot(value)
    if value is None:
        value = Value(submission=submission, indicator=indicator)
    if value.value != parsed.value or value.status != parsed.status:
        value.confirmed_by, value.confirmed_at = None, None
        value.warning = dict(warning or {})
    value.status = parsed.status
    value.numerator, value.denominator, value.value = parsed.numerator, parsed.denominator, parsed.value
    value.note = note
    value.updated_by = actor
    value.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=value,
        unit=submission.province,
        before=before,
        after=snapshot(value),
    )
    return True


def _sub_indicators(submission: Submission) -> dict[str, Indicator]:
    return {
        i.code: i
        for i in Indicator.objects.filter(framework_id=submission.period.framework_id, parent__isnull=False)
    }


def values_by_code(submission: Submission) -> dict[str, Value]:
    """A submission's values by indicator code: codes, not row ids, identify an indicator across
    framework versions."""
    return {v.indicator.code: v for v in submission.values.select_related("indicator")}


def _warnings(
    submission: Submission, parsed: list[tuple[Indicator, Parsed, str]]
) -> dict[str, dict[str, Any]]:
    """The plausibility decision on each new reported figure that is far outside the usual."""
    codes = [i.code for i, p, _n in parsed if selectors_entry.checked(i) and p.value is not None]
    if not codes:
        return {}
    refs = selectors_entry.references(submission, codes)
    out = {}
    for indicator, result, _note in parsed:
        if indicator.code in refs and result.status == ValueStatus.REPORTED:
            decision = selectors_entry.judge(result.value, refs[indicator.code])
            if decision is not None and decision.far:
                out[indicator.code] = decision.as_json()
    return out


def _confirm(actor: User, submission: Submission, confirm: Mapping[str, str]) -> int:
    """Record the officer's "the figure is right" on values with a warning. ``confirm`` maps a
    code to the figure the officer saw (ASCII, as ``Check.as_json`` wrote it): a figure changed
    in the meantime is not confirmed unseen."""
    done = 0
    existing = values_by_code(submission)
    for code, figure in confirm.items():
        value = existing.get(code)
        if value is None or not value.warning or value.confirmed_at is not None:
            continue
        if value.warning.get("value") != (figure or "").strip():
            continue
        value.confirmed_by, value.confirmed_at = actor, timezone.now()
        value.save(update_fields=["confirmed_by", "confirmed_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=value,
            unit=submission.province,
            before={"confirmed": False},
            after={"confirmed": True, "value": value.warning.get("value")},
        )
        done += 1
    return done


@transaction.atomic
def values_save(
    *,
    actor: User,
    submission: Submission,
    rows: Mapping[str, Mapping[str, str]],
    confirm: Mapping[str, str] | None = None,
) -> int:
    """Save a province's values, all or none: ``rows`` maps a sub-indicator code to its fields
    (``status``, ``value`` or ``numerator``/``denominator``, ``note``). Returns how many rows
    changed (and confirmations recorded); raises one ``ValidationError`` listing every problem
    otherwise.

    A figure far outside the province's history or its peers' (``plausibility``) is saved all the
    same, with the figures it was compared with; ``confirm`` (code → the figure the officer was
    shown) records that the officer checked it."""
    submission = locked(submission)
    _require_entry(actor, submission)
    indicators = _sub_indicators(submission)
    errors: list[str] = []
    parsed: list[tuple[Indicator, Parsed, str]] = []
    for code, raw in rows.items():
        indicator = indicators.get(code)
        try:
            if indicator is None:
                raise ValidationError(_("Unknown sub-indicator %s.") % code)
            if indicator.source == DataSource.COMPUTED:
                raise ValidationError(_("%s is computed by the platform and cannot be entered.") % code)
            parsed.append((indicator, parse_value(indicator, raw), (raw.get("note") or "").strip()[:2000]))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    existing = values_by_code(submission)
    warnings = _warnings(submission, parsed)
    changed = sum(
        store(
            submission,
            indicator,
            existing.get(indicator.code),
            result,
            actor=actor,
            note=note,
            warning=warnings.get(indicator.code),
        )
        for indicator, result, note in parsed
    )
    if confirm:
        changed += _confirm(actor, submission, confirm)
    if changed and submission.state == SubmissionState.NOT_STARTED:
        submission.state = SubmissionState.DRAFT
        submission.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=submission,
            unit=submission.province,
            before={"state": SubmissionState.NOT_STARTED},
            after={"state": SubmissionState.DRAFT},
        )
    return changed


@transaction.atomic
def denominators_save(
    *, actor: User, submission: Submission, covered_population: str, pr_staff: str
) -> Submission:
    submission = locked(submission)
    _require_entry(actor, submission)
    population = parse_number(covered_population, field=_("Covered population"))
    staff = parse_number(pr_staff, field=_("PR staff"))
    if population is not None and (population <= 0 or population != population.to_integral_value()):
        raise ValidationError(_("Covered population is a whole number above zero."))
    if staff is not None and not Decimal("0") < staff <= Decimal("10000"):
        raise ValidationError(_("PR staff (full-time equivalent) must be above zero and at most 10,000."))
    before = {
        "covered_population": submission.covered_population,
        "pr_staff": decimal_text(submission.pr_staff),
    }
    submission.covered_population = None if population is None else int(population)
    submission.pr_staff = staff
    if submission.state == SubmissionState.NOT_STARTED:
        submission.state = SubmissionState.DRAFT
    submission.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=submission,
        unit=submission.province,
        before=before,
        after={
            "covered_population": submission.covered_population,
            "pr_staff": decimal_text(submission.pr_staff),
        },
    )
    return submission


def _check_file(upload: UploadedFile[Any]) -> str:
    name = upload.name or ""
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    known = _EXTENSIONS.get(suffix)
    if known is None:
        raise ValidationError(_("Evidence must be a PDF, PNG, JPEG, XLSX, DOCX, ODT or ODS file."))
    if upload.size is None or upload.size > settings.TABYIN_EVIDENCE_MAX_BYTES:
        limit = settings.TABYIN_EVIDENCE_MAX_BYTES // (1024 * 1024)
        raise ValidationError(_("The file is larger than %d MB.") % limit)
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(_SIGNATURES[known[0]]):
        raise ValidationError(_("The file's content does not match its name (%s).") % suffix)
    return known[1]


@transaction.atomic
def evidence_add(*, actor: User, submission: Submission, code: str, upload: UploadedFile[Any]) -> Evidence:
    submission = locked(submission)
    _require_entry(actor, submission)
    indicator = indicator_of(submission, code)
    content_type = _check_file(upload)
    if submission.evidence.filter(indicator=indicator).count() >= settings.TABYIN_EVIDENCE_MAX_FILES:
        raise ValidationError(_("At most %d files per sub-indicator.") % settings.TABYIN_EVIDENCE_MAX_FILES)
    evidence = Evidence(
        submission=submission,
        indicator=indicator,
        original_name=(upload.name or "")[:255],
        content_type=(content_type or "application/octet-stream")[:100],
        size=upload.size or 0,
        uploaded_by=actor,
    )
    evidence.file.save(upload.name or "evidence", upload, save=False)
    stored, storage = evidence.file.name or "", evidence.file.storage
    # The file is written before its row: if the row cannot be written, the file goes too.
    try:
        evidence.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=evidence,
            unit=submission.province,
            after={"indicator": indicator.code, "name": evidence.original_name, "size": evidence.size},
        )
    except BaseException:
        storage.delete(stored)
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, actor: User, evidence: Evidence) -> None:
    submission = (
        Submission.objects.select_for_update()
        .select_related("period", "province")
        .get(pk=evidence.submission_id)
    )
    _require_entry(actor, submission)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=evidence,
        unit=submission.province,
        before={"name": evidence.original_name},
    )
    name, storage = evidence.file.name or "", evidence.file.storage
    # The file goes only once the row is gone for good; a rolled-back removal keeps both.
    transaction.on_commit(lambda: storage.delete(name))
    evidence.delete()


def missing_items(submission: Submission) -> list[str]:
    """What still stops a submission from going to review, in words for the officer.

    Rubric levels are the reviewers' judgement: their evidence is asked for on the form but does
    not block a submission (a province with no crisis has nothing to show for crisis handling).
    """
    problems: list[str] = []
    entered = values_by_code(submission)
    with_evidence = set(submission.evidence.values_list("indicator__code", flat=True))
    for indicator in _sub_indicators(submission).values():
        if indicator.source == DataSource.COMPUTED or indicator.kind == IndicatorKind.RUBRIC:
            continue
        value = entered.get(indicator.code)
        if value is None:
            problems.append(
                _("%s: no value yet (enter it, or mark it not reported or not applicable).") % indicator.code
            )
            continue
        if value.status != ValueStatus.REPORTED:
            continue
        if indicator.evidence_required and indicator.code not in with_evidence:
            problems.append(_("%s: evidence is required.") % indicator.code)
        if indicator.denominator == "covered_100k" and not submission.covered_population:
            problems.append(_("%s: enter the covered population.") % indicator.code)
        elif indicator.denominator == "pr_staff" and not submission.pr_staff:
            problems.append(_("%s: enter the PR staff.") % indicator.code)
    return list(dict.fromkeys(problems))


@transaction.atomic
def submission_submit(*, actor: User, submission: Submission) -> Submission:
    submission = locked(submission)
    _require_entry(actor, submission)
    problems = missing_items(submission)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    deadline = submission.period.entry_deadline
    before = submission.state
    # Lateness is judged on the first submission: a province that met the deadline and was then
    # asked by HQ to change something is not late for answering.
    if submission.submitted_at is None:
        submission.late = deadline is not None and timezone.localdate(now) > deadline
    submission.state = SubmissionState.SUBMITTED
    submission.submitted_at = now
    submission.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=submission,
        unit=submission.province,
        before={"state": before},
        after={"state": SubmissionState.SUBMITTED, "late": submission.late},
    )
    return submission


def decimal_text(number: Decimal | None) -> str | None:
    return None if number is None else str(number)
