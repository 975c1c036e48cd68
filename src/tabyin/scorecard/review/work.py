"""What waits for a person in the scorecard, for their "my work" list (core's registry).

A provincial officer: their province's data for an open period, not yet sent or returned to them,
due at the end of the period's entry deadline (Tehran). An HQ evaluator: data sent for review,
and appeals to decide.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tabyin.core.enums import Role
from tabyin.core.http import page_language
from tabyin.core.models import User
from tabyin.core.registry import Priority, WorkItem
from tabyin.core.scoping import scope_for
from tabyin.core.work import end_of_day, ref
from tabyin.scorecard import permissions
from tabyin.scorecard.enums import AppealState, PeriodState, SubmissionState
from tabyin.scorecard.models import Appeal, Submission

TO_ENTER = (SubmissionState.NOT_STARTED, SubmissionState.DRAFT, SubmissionState.RETURNED)


def work_items(user: User) -> list[WorkItem]:
    scope = scope_for(user)
    provinces = {p for role, p in scope.province_grants if role == Role.PROVINCIAL_OFFICER}
    items = _to_enter(provinces) if provinces else []
    if permissions.can_review(scope):
        items += [*_to_review(), *_appeals()]
    return items


def _to_enter(provinces: set[int]) -> list[WorkItem]:
    found = Submission.objects.filter(
        period__state=PeriodState.OPEN, province_id__in=provinces, state__in=TO_ENTER
    ).select_related("period", "province")
    items = []
    for submission in found:
        period = submission.period
        returned = submission.state == SubmissionState.RETURNED
        title = (
            _("Revise the scorecard data returned for period %(period)s")
            if returned
            else _("Enter the scorecard data for period %(period)s")
        )
        items.append(
            WorkItem(
                title=title % {"period": ref(period.code)},
                url=reverse("scorecard:entry", args=[period.code, submission.province.iso_code]),
                key=f"entry-{submission.pk}",
                due=end_of_day(period.entry_deadline) if period.entry_deadline else None,
                priority=Priority.HIGH if returned else Priority.NORMAL,
            )
        )
    return items


def _to_review() -> list[WorkItem]:
    language = page_language()
    found = Submission.objects.filter(
        period__state=PeriodState.OPEN, state=SubmissionState.SUBMITTED
    ).select_related("period", "province")
    return [
        WorkItem(
            title=_("Review the scorecard data of %(province)s for period %(period)s")
            % {"province": s.province.name(language), "period": ref(s.period.code)},
            url=reverse("scorecard:review", args=[s.period.code, s.province.iso_code]),
            key=f"review-{s.pk}",
        )
        for s in found
    ]


def _appeals() -> list[WorkItem]:
    language = page_language()
    found = Appeal.objects.filter(state=AppealState.OPEN).select_related(
        "submission__period", "submission__province"
    )
    return [
        WorkItem(
            title=_("Decide the appeal of %(province)s for period %(period)s")
            % {"province": a.submission.province.name(language), "period": ref(a.submission.period.code)},
            url=reverse(
                "scorecard:province", args=[a.submission.period.code, a.submission.province.iso_code]
            ),
            key=f"appeal-{a.pk}",
            due=a.submission.period.appeal_until,
            priority=Priority.HIGH,
        )
        for a in found
    ]
