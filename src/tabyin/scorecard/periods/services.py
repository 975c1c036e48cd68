"""The evaluation cycle of a period: prepared → open for entry → frozen and scored → published
(appeal window) → final; and appeals.

Opening a period freezes its framework version, so the rules cannot change under the provinces'
feet; a framework change after publication is a new version and, if HQ decides, a new scoring run
— the published one stays reproducible from the version it names.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core import selectors as core_selectors
from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.persian_text import digits_to_ascii
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.scorecard import permissions
from tabyin.scorecard.enums import AppealState, PeerGroup, PeriodKind, PeriodState
from tabyin.scorecard.framework.services import framework_freeze
from tabyin.scorecard.models import Appeal, Framework, Period, ScoreRun, Submission
from tabyin.scorecard.periods.services_scoring import period_score

_CODE = re.compile(r"^(?P<year>1[34][0-9][0-9])(?:-(?P<kind>[HQ])(?P<part>[1-4]))?$")


def normal_code(code: str) -> str:
    """The stored form of a period code: ASCII digits, upper case, no spaces («۱۴۰۴-h1» → 1404-H1)."""
    return digits_to_ascii(code or "").strip().upper()


def parse_period_code(code: str) -> tuple[str, int, int]:
    """``1404`` → year; ``1404-H1`` → first half; ``1404-Q3`` → third quarter (Jalali)."""
    match = _CODE.match(normal_code(code))
    if not match or (match["kind"] == "H" and match["part"] not in ("1", "2")):
        raise ValidationError(
            _("A period code is a Jalali year (1404), a half (1404-H1) or a quarter (1404-Q3).")
        )
    year = int(match["year"])
    if match["kind"] is None:
        return PeriodKind.YEAR, year, 0
    return (PeriodKind.HALF if match["kind"] == "H" else PeriodKind.QUARTER), year, int(match["part"])


def _require_manager(actor: User | None) -> None:
    if actor is not None:
        permissions.require(permissions.can_review(scope_for(actor)))


def _move(actor: User | None, period: Period, allowed: tuple[str, ...], to: str) -> None:
    if period.state not in allowed:
        raise ValidationError(
            _("The period is “%(state)s”; this step needs it to be “%(need)s”.")
            % {"state": period.get_state_display(), "need": PeriodState(allowed[0]).label}
        )
    before = period.state
    period.state = to
    period.save()
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=period, before={"state": before}, after={"state": to}
    )


@transaction.atomic
def period_create(
    *,
    actor: User | None,
    code: str,
    framework: Framework,
    entry_deadline: date | None = None,
    appeal_days: int = 14,
) -> Period:
    _require_manager(actor)
    kind, year, part = parse_period_code(code)
    code = normal_code(code)
    if Period.objects.filter(code=code).exists():
        raise ValidationError(_("Period %s already exists.") % code)
    period = Period.objects.create(
        code=code,
        kind=kind,
        year=year,
        part=part,
        framework=framework,
        entry_deadline=entry_deadline,
        appeal_days=appeal_days,
    )
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=period, after={"code": code, "framework": framework.pk}
    )
    return period


def peer_groups() -> dict[int, str]:
    """Provinces in three groups of similar size by census population: the ten largest, the next
    ten, the eleven smallest (with 31 provinces). Census population is fixed and public, so a
    province cannot move itself into an easier group."""
    provinces = sorted(core_selectors.provinces(), key=lambda u: (-(u.population_2016 or 0), u.code))
    third = len(provinces) // 3
    groups: dict[int, str] = {}
    for i, unit in enumerate(provinces):
        groups[unit.pk] = (
            PeerGroup.LARGE if i < third else PeerGroup.MEDIUM if i < 2 * third else PeerGroup.SMALL
        )
    return groups


@transaction.atomic
def period_open(*, actor: User | None, period: Period) -> Period:
    """Open data entry: freeze the framework version and give every province its submission."""
    _require_manager(actor)
    period = Period.objects.select_for_update().get(pk=period.pk)
    _move(actor, period, (PeriodState.DRAFT,), PeriodState.OPEN)
    framework_freeze(framework=period.framework, actor=actor)
    groups = peer_groups()
    for unit in core_selectors.provinces():
        Submission.objects.get_or_create(
            period=period, province=unit, defaults={"peer_group": groups[unit.pk]}
        )
    period.opened_at = timezone.now()
    period.save(update_fields=["opened_at"])
    return period


@transaction.atomic
def period_freeze(*, actor: User | None, period: Period, draws: int | None = None) -> ScoreRun:
    """Close entry and score. What a province never entered counts as not reported (zero, flagged)."""
    _require_manager(actor)
    period = Period.objects.select_for_update().get(pk=period.pk)
    _move(actor, period, (PeriodState.OPEN,), PeriodState.FROZEN)
    period.frozen_at = timezone.now()
    period.save(update_fields=["frozen_at"])
    return period_score(actor=actor, period=period, draws=draws)


@transaction.atomic
def period_rescore(*, actor: User | None, period: Period, framework: Framework | None = None) -> ScoreRun:
    """Score again: after an accepted appeal's correction, or with a newer framework version
    (which is then frozen). Earlier runs are kept."""
    _require_manager(actor)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.state not in (PeriodState.FROZEN, PeriodState.PUBLISHED):
        raise ValidationError(_("Only a frozen or published period that is not final can be scored again."))
    if framework is not None and framework.pk != period.framework_id:
        if framework.code != period.framework.code or framework.version < period.framework.version:
            raise ValidationError(_("Choose a newer version of the same framework."))
        before = period.framework_id
        framework_freeze(framework=framework, actor=actor)
        period.framework = framework
        period.save(update_fields=["framework"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=period,
            before={"framework": before},
            after={"framework": framework.pk},
        )
    return period_score(actor=actor, period=period)


@transaction.atomic
def period_publish(*, actor: User | None, period: Period) -> Period:
    _require_manager(actor)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if not period.runs.filter(is_current=True).exists():
        raise ValidationError(_("Score the period before publishing it."))
    _move(actor, period, (PeriodState.FROZEN,), PeriodState.PUBLISHED)
    now = timezone.now()
    period.published_at = now
    period.appeal_until = now + timedelta(days=period.appeal_days)
    period.save(update_fields=["published_at", "appeal_until"])
    return period


@transaction.atomic
def period_finalize(*, actor: User | None, period: Period) -> Period:
    _require_manager(actor)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.appeal_until and timezone.now() < period.appeal_until:
        raise ValidationError(_("The appeal window is still open."))
    if Appeal.objects.filter(submission__period=period, state=AppealState.OPEN).exists():
        raise ValidationError(_("Decide every open appeal first."))
    _move(actor, period, (PeriodState.PUBLISHED,), PeriodState.FINAL)
    period.finalized_at = timezone.now()
    period.save(update_fields=["finalized_at"])
    return period


@transaction.atomic
def appeal_file(*, actor: User, submission: Submission, text: str) -> Appeal:
    """A province's officer contests its published result, within the appeal window."""
    submission = Submission.objects.select_related("period", "province").get(pk=submission.pk)
    permissions.require(permissions.can_enter_for(scope_for(actor), submission.province_id))
    period = submission.period
    if period.state != PeriodState.PUBLISHED or (
        period.appeal_until and timezone.now() > period.appeal_until
    ):
        raise ValidationError(_("Appeals are accepted only while the appeal window is open."))
    if submission.appeals.filter(state=AppealState.OPEN).exists():
        raise ValidationError(_("This province already has an open appeal."))
    text = (text or "").strip()
    if len(text) < 10:
        raise ValidationError(_("Explain the grounds of the appeal."))
    appeal = Appeal.objects.create(submission=submission, text=text[:8000], created_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=appeal, unit=submission.province)
    return appeal


@transaction.atomic
def appeal_decide(*, actor: User, appeal: Appeal, accept: bool, decision: str) -> Appeal:
    """HQ decides. Accepting lets evaluators correct that province's values and score again."""
    permissions.require(permissions.can_review(scope_for(actor)))
    appeal = Appeal.objects.select_for_update().select_related("submission__province").get(pk=appeal.pk)
    if appeal.state != AppealState.OPEN:
        raise ValidationError(_("This appeal has already been decided."))
    if not (decision or "").strip():
        raise ValidationError(_("Give the reasons for the decision."))
    appeal.state = AppealState.ACCEPTED if accept else AppealState.REJECTED
    appeal.decision = decision.strip()[:8000]
    appeal.decided_by = actor
    appeal.decided_at = timezone.now()
    appeal.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=appeal,
        unit=appeal.submission.province,
        before={"state": AppealState.OPEN},
        after={"state": appeal.state},
    )
    return appeal
