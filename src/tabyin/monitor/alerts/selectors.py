"""Reading alerts and alert rules for the staff pages and the staff menu.

Alerts concern stories anywhere in the country, so only national viewers (analysts, senior
managers, administrators) read them; a provincial officer follows their province's mentions on the
dashboard instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When

from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.monitor import permissions
from tabyin.monitor.models import Alert, AlertRule

OPEN = "open"
ACKNOWLEDGED = "acknowledged"
ALL = "all"
PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class AlertFilter:
    status: str = OPEN
    kind: str = ""
    rule_id: int | None = None


def alerts_list(*, actor: User, filters: AlertFilter | None = None, limit: int = PAGE_SIZE) -> list[Alert]:
    """Unacknowledged first, newest first within each group; rule, story and deliveries loaded."""
    permissions.require(permissions.sees_everything(scope_for(actor)), "may not read alerts")
    filters = filters or AlertFilter()
    found: QuerySet[Alert] = Alert.objects.select_related("rule", "story", "acknowledged_by")
    if filters.status == OPEN:
        found = found.filter(acknowledged_at__isnull=True)
    elif filters.status == ACKNOWLEDGED:
        found = found.filter(acknowledged_at__isnull=False)
    if filters.kind:
        found = found.filter(rule__kind=filters.kind)
    if filters.rule_id:
        found = found.filter(rule_id=filters.rule_id)
    found = found.annotate(
        done=Case(
            When(acknowledged_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("done", "-created_at", "-id")
    return list(found.prefetch_related("deliveries")[:limit])


def unacknowledged_count(*, actor: User) -> int:
    """For the staff menu's badge; 0 for anyone who may not read alerts."""
    if not permissions.sees_everything(scope_for(actor)):
        return 0
    return Alert.objects.filter(acknowledged_at__isnull=True).count()


def alert_get(*, actor: User, pk: int) -> Alert:
    permissions.require(permissions.sees_everything(scope_for(actor)), "may not read alerts")
    return Alert.objects.select_related("rule", "story").get(pk=pk)


def require_configure(*, actor: User) -> None:
    permissions.require(permissions.can_configure(scope_for(actor)), "may not configure alert rules")


def rules_list(*, actor: User) -> list[AlertRule]:
    require_configure(actor=actor)
    return list(AlertRule.objects.select_related("query").order_by("kind", "name", "id"))


def rule_get(*, actor: User, pk: int) -> AlertRule:
    require_configure(actor=actor)
    return AlertRule.objects.select_related("query").get(pk=pk)
