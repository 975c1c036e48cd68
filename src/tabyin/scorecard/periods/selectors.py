"""Reads the staff pages need beyond ``selectors``: what the viewer may do (to show only the
buttons that will work; the services still decide), one evidence file, and appeals — each scoped
here, never in a view or template."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.scorecard import permissions
from tabyin.scorecard.enums import AppealState, PeriodState
from tabyin.scorecard.models import Appeal, Evidence, Framework, Period, Submission


@dataclass(frozen=True)
class Abilities:
    """What the viewer may do on a period (and, with a province, on that province's card)."""

    review: bool  # HQ evaluator: run the cycle, review, correct, decide appeals
    see_results: bool  # the national table before publication
    enter: bool  # the province's own officer (only meaningful with a province)
    manage_framework: bool

    @property
    def any(self) -> bool:
        return self.review or self.see_results or self.enter


def abilities(actor: User, province_id: int | None = None) -> Abilities:
    scope = scope_for(actor)
    return Abilities(
        review=permissions.can_review(scope),
        see_results=permissions.can_see_results(scope),
        enter=province_id is not None and permissions.can_enter_for(scope, province_id),
        manage_framework=permissions.can_manage_framework(scope),
    )


def own_provinces(actor: User) -> frozenset[int]:
    """The provinces whose data the viewer enters (empty for HQ)."""
    scope = scope_for(actor)
    return frozenset(p for p in scope.province_ids if permissions.can_enter_for(scope, p))


def evidence_for(actor: User, pk: int) -> Evidence:
    """One evidence file, for someone who may see its province's card; ``DoesNotExist`` else
    ``PermissionDenied``."""
    evidence = Evidence.objects.select_related("submission__period", "submission__province", "indicator").get(
        pk=pk
    )
    permissions.require(permissions.can_see_province(scope_for(actor), evidence.submission.province_id))
    return evidence


def appeals(actor: User, period: Period, *, submission: Submission | None = None) -> QuerySet[Appeal]:
    """Appeals of a period, newest first: every province's for HQ viewers, the officer's own
    province's otherwise."""
    scope = scope_for(actor)
    qs = (
        Appeal.objects.filter(submission__period=period)
        .select_related("submission__province", "created_by", "decided_by")
        .order_by("-created_at", "-pk")
    )
    if submission is not None:
        qs = qs.filter(submission=submission)
    if not permissions.can_see_results(scope):
        qs = qs.filter(submission__province_id__in=own_provinces(actor))
    return qs


def open_appeals(actor: User, period: Period) -> list[Appeal]:
    return list(appeals(actor, period).filter(state=AppealState.OPEN))


def appeal_window_open(period: Period) -> bool:
    return period.state == PeriodState.PUBLISHED and (
        period.appeal_until is None or timezone.now() <= period.appeal_until
    )


def appeal_for_decision(actor: User, pk: int) -> Appeal:
    """An appeal, for an HQ evaluator only."""
    permissions.require(permissions.can_review(scope_for(actor)))
    return Appeal.objects.select_related("submission__period", "submission__province").get(pk=pk)


def frameworks() -> QuerySet[Framework]:
    """Every framework version, for the new-period form (a draft version is frozen on opening)."""
    return Framework.objects.order_by("code", "-version")


def rescore_frameworks(period: Period) -> QuerySet[Framework]:
    """Versions a period may be scored again with: its own, or a newer one of the same framework."""
    return Framework.objects.filter(
        code=period.framework.code, version__gte=period.framework.version
    ).order_by("-version")
