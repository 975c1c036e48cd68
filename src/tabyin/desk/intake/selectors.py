"""Reads of the desk, always scoped: a person sees their own units' requests, and PR the requests
it triages (HQ PR every one, a provincial PR officer their province's)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q, QuerySet

from tabyin.core.enums import Role
from tabyin.core.models import Membership, OrgUnit, User
from tabyin.core.scoping import Scope, scope_for
from tabyin.desk import permissions
from tabyin.desk.enums import SERVICE_LEVELS, Kind
from tabyin.desk.intake.models import DeskRequest, ServiceLevel


def visible(scope: Scope) -> Q:
    """The requests a scope may read."""
    if scope.has_national_role(*permissions.PR_NATIONAL):
        return Q()
    provinces = {p for role, p in scope.province_grants if role == Role.PROVINCIAL_OFFICER}
    return Q(unit_id__in=scope.unit_ids) | Q(province_id__in=provinces)


def requests_for(user: User) -> QuerySet[DeskRequest]:
    scope = scope_for(user)
    if not scope.unit_ids:
        return DeskRequest.objects.none()
    return DeskRequest.objects.filter(visible(scope)).select_related("unit", "owner", "requester")


def triage_queue(user: User) -> QuerySet[DeskRequest]:
    """The requests this person triages as PR (none for a person who is not PR)."""
    scope = scope_for(user)
    if scope.has_national_role(*permissions.PR_NATIONAL):
        return DeskRequest.objects.all()
    provinces = {p for role, p in scope.province_grants if role == Role.PROVINCIAL_OFFICER}
    return DeskRequest.objects.filter(province_id__in=provinces)


def service_level(kind: str) -> tuple[int, int]:
    """(first response, delivery) in working hours for ``kind``."""
    row = ServiceLevel.objects.filter(kind=kind).first()
    return (row.response_hours, row.delivery_hours) if row else SERVICE_LEVELS[Kind(kind)]


def pr_people(province_id: int | None) -> list[User]:
    """Who triages a request from this province: HQ PR analysts, and the province's PR officers."""
    rows = Membership.objects.filter(role=Role.ANALYST, unit__province__isnull=True, unit__is_active=True)
    if province_id is not None:
        rows = rows | Membership.objects.filter(
            role=Role.PROVINCIAL_OFFICER, unit__province_id=province_id, unit__is_active=True
        )
    ids = set(rows.values_list("user_id", flat=True))
    return list(User.objects.filter(id__in=ids, is_active=True).order_by("id"))


def similar_recent(unit_id: int, kind: str, since: datetime) -> Iterable[DeskRequest]:
    return DeskRequest.objects.filter(unit_id=unit_id, kind=kind, created_at__gte=since).order_by(
        "-created_at"
    )


def units_of(user: User) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(id__in=scope_for(user).unit_ids, is_active=True).order_by("kind", "code")


def due_of(request: DeskRequest) -> datetime | None:
    """The time PR owes the next step by: the first response while it waits, the delivery once
    accepted; nothing while the requester holds it or once it is done."""
    if request.state == "submitted":
        return request.response_due
    if request.state in ("accepted", "in_progress"):
        return request.due_at
    return None


def is_overdue(request: DeskRequest, now: datetime) -> bool:
    due = due_of(request)
    return due is not None and due < now
