"""HQ's review of a province's submission: comments, return, approval, the reviewers' rubric
levels and corrections.

A correction by HQ is a row of its own (``Correction``: what it replaced, why, who, when), never
an edit of what the province entered; scoring uses the latest one. Reviewers' changes are allowed
while the period is open, and after publication only for a province whose appeal was accepted.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.scorecard import permissions
from tabyin.scorecard.entry.services import (
    decimal_text,
    indicator_of,
    locked,
    snapshot,
    store,
    values_by_code,
)
from tabyin.scorecard.entry.validation import parse_value
from tabyin.scorecard.enums import (
    AppealState,
    DataSource,
    IndicatorKind,
    PeriodState,
    SubmissionState,
    ValueStatus,
)
from tabyin.scorecard.models import Correction, Indicator, ReviewComment, Submission, Value


def _require_review(
    actor: User, submission: Submission, *, states: tuple[str, ...] = (PeriodState.OPEN,)
) -> None:
    permissions.require(permissions.can_review(scope_for(actor)))
    if submission.period.state not in states:
        raise ValidationError(_("This period is not open for review."))


@transaction.atomic
def comment_add(*, actor: User, submission: Submission, text: str, code: str = "") -> ReviewComment:
    _require_review(actor, submission)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the comment."))
    indicator = indicator_of(submission, code) if code else None
    comment = ReviewComment.objects.create(
        submission=submission, indicator=indicator, author=actor, text=text[:4000]
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=comment,
        unit=submission.province,
        after={"indicator": code},
    )
    return comment


def _transition(actor: User, submission: Submission, allowed: tuple[str, ...], to: str) -> Submission:
    if submission.state not in allowed:
        raise ValidationError(
            _("This submission cannot go from “%(from)s” to “%(to)s”.")
            % {"from": submission.get_state_display(), "to": SubmissionState(to).label}
        )
    before = submission.state
    submission.state = to
    if to == SubmissionState.APPROVED:
        submission.approved_at = timezone.now()
    submission.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=submission,
        unit=submission.province,
        before={"state": before},
        after={"state": to},
    )
    return submission


@transaction.atomic
def submission_return(*, actor: User, submission: Submission, comment: str) -> Submission:
    submission = locked(submission)
    _require_review(actor, submission)
    if not (comment or "").strip():
        raise ValidationError(_("Say what must change before returning the submission."))
    comment_add(actor=actor, submission=submission, text=comment)
    return _transition(actor, submission, (SubmissionState.SUBMITTED,), SubmissionState.RETURNED)


@transaction.atomic
def submission_approve(*, actor: User, submission: Submission, comment: str = "") -> Submission:
    submission = locked(submission)
    _require_review(actor, submission)
    if (comment or "").strip():
        comment_add(actor=actor, submission=submission, text=comment)
    return _transition(actor, submission, (SubmissionState.SUBMITTED,), SubmissionState.APPROVED)


def _review_target(actor: User, submission: Submission, code: str) -> tuple[Submission, Indicator]:
    """The submission and indicator a reviewer's change applies to. Allowed while the period is
    open, and after publication only for a province whose appeal was accepted."""
    submission = Submission.objects.select_related("period", "province").get(pk=submission.pk)
    appeal_accepted = submission.appeals.filter(state=AppealState.ACCEPTED).exists()
    states = (PeriodState.OPEN, PeriodState.PUBLISHED) if appeal_accepted else (PeriodState.OPEN,)
    _require_review(actor, submission, states=states)
    indicator = indicator_of(submission, code)
    if indicator.source == DataSource.COMPUTED:
        raise ValidationError(_("%s is computed by the platform and cannot be corrected.") % code)
    return submission, indicator


@transaction.atomic
def rubric_set(*, actor: User, submission: Submission, code: str, raw: Mapping[str, str]) -> Value:
    """The reviewers' level (1–5, or not applicable) for a rubric sub-indicator, judged from the
    province's evidence. It is the value itself, not a correction of something the province
    entered; every change is audited."""
    submission, indicator = _review_target(actor, submission, code)
    if indicator.kind != IndicatorKind.RUBRIC:
        raise ValidationError(_("%s is not judged by reviewers; correct it with a reason instead.") % code)
    parsed = parse_value(indicator, raw, reviewer=True)
    value = values_by_code(submission).get(code)
    note = (raw.get("note") or "").strip()[:2000]
    store(submission, indicator, value, parsed, actor=actor, note=note)
    return Value.objects.get(submission=submission, indicator__code=code)


@transaction.atomic
def value_correct(
    *, actor: User, submission: Submission, code: str, raw: Mapping[str, str], reason: str
) -> Correction:
    """HQ's correction of one value: a row of its own with what it replaced and why; the
    province's entry stays as it was."""
    submission, indicator = _review_target(actor, submission, code)
    if not (reason or "").strip():
        raise ValidationError(_("A correction needs its reason."))
    parsed = parse_value(indicator, raw, reviewer=True)
    value = values_by_code(submission).get(code)
    if value is None:
        # Nothing was entered: the correction replaces "not reported".
        value = Value.objects.create(
            submission=submission, indicator=indicator, status=ValueStatus.NOT_REPORTED, updated_by=actor
        )
    latest = value.corrections.order_by("-created_at", "-pk").first()
    previous = (
        {
            "status": latest.status,
            "numerator": decimal_text(latest.numerator),
            "denominator": decimal_text(latest.denominator),
            "value": decimal_text(latest.value_after),
            "correction": latest.pk,
        }
        if latest
        else snapshot(value)
    )
    correction = Correction.objects.create(
        value=value,
        status=parsed.status,
        numerator=parsed.numerator,
        denominator=parsed.denominator,
        value_after=parsed.value,
        previous=previous,
        reason=reason.strip()[:4000],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=correction,
        unit=submission.province,
        before=previous,
        after={
            "indicator": code,
            "status": parsed.status,
            "value": decimal_text(parsed.value),
            "reason": correction.reason,
        },
    )
    return correction
