"""What waits for a person in the reports app, for their "my work" list (core's registry).

Metadata only, as the inbox shows it: the case number, its category and its deadline; never what
the reporter wrote. Only handlers of a unit that received the case see it, and only cases nobody
else has taken (unassigned, or assigned to them).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from tabyin.core.http import page_language
from tabyin.core.models import User
from tabyin.core.registry import Priority, WorkItem
from tabyin.core.scoping import Scope, scope_for
from tabyin.core.work import ref
from tabyin.reports import permissions
from tabyin.reports.enums import CLOSED_STATUSES, Author, DisclosureState
from tabyin.reports.models import IdentityRequest, Report, ReportRecipient


def work_items(user: User) -> list[WorkItem]:
    scope = scope_for(user)
    return [*_cases(user, permissions.handler_units(scope)), *_identity_requests(scope)]


def _cases(user: User, units: frozenset[int]) -> list[WorkItem]:
    if not units:
        return []
    language = page_language()
    cases = (
        Report.objects.filter(id__in=ReportRecipient.objects.filter(unit_id__in=units).values("report_id"))
        .exclude(status__in=CLOSED_STATUSES)
        .filter(Q(assignee__isnull=True) | Q(assignee=user))
        .select_related("category")
        .only("id", "due_at", "category__name_fa", "category__name_en")
        .annotate(
            unread=Count(
                "messages", filter=Q(messages__author=Author.REPORTER, messages__read_at__isnull=True)
            )
        )
    )
    return [
        WorkItem(
            title=_("Case %(number)s: %(category)s")
            % {"number": ref(case.pk), "category": case.category.name(language)},
            url=reverse("reports:case", args=[case.pk]),
            key=f"case-{case.pk}",
            due=case.due_at,
            # A reporter's unread message is someone waiting for an answer.
            priority=Priority.HIGH if getattr(case, "unread", 0) else Priority.NORMAL,
        )
        for case in cases
    ]


def _identity_requests(scope: Scope) -> list[WorkItem]:
    if not permissions.is_custodian(scope):
        return []
    pending = IdentityRequest.objects.filter(state=DisclosureState.PENDING).only("id", "report_id")
    return [
        WorkItem(
            title=_("Decide a request to reveal a reporter's identity (case %(number)s)")
            % {"number": ref(found.report_id)},
            url=reverse("reports:identity-queue"),
            key=f"identity-{found.pk}",
            priority=Priority.HIGH,
        )
        for found in pending
    ]
