"""What the source health pages read. National viewers (analysts, senior managers, administrators)
see every source; only those who configure sources download raw payloads (they may hold anything
a server sent)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.monitor import permissions
from tabyin.monitor.enums import POLLED_KINDS
from tabyin.monitor.models import FetchLog, Source

RECENT_FETCHES = 30


def require_view(actor: User) -> None:
    permissions.require(permissions.sees_everything(scope_for(actor)), "national viewers only")


def sources_health(*, actor: User) -> QuerySet[Source]:
    """Every polled source, failing ones first, then by the next poll. One query."""
    require_view(actor)
    return (
        Source.objects.filter(kind__in=POLLED_KINDS)
        .select_related("province")
        .order_by("-consecutive_failures", "kind", "handle")
    )


@dataclass(frozen=True)
class HealthCounts:
    total: int
    failing: int
    active: int


def health_counts(sources: list[Source]) -> HealthCounts:
    return HealthCounts(
        total=len(sources),
        failing=sum(1 for s in sources if s.consecutive_failures),
        active=sum(1 for s in sources if s.is_active),
    )


def source_detail(*, actor: User, pk: int) -> tuple[Source, list[FetchLog]]:
    require_view(actor)
    source = Source.objects.select_related("province").filter(pk=pk).first()
    if source is None:
        raise Http404
    fetches = list(
        FetchLog.objects.filter(source=source).defer("raw").order_by("-started_at", "-pk")[:RECENT_FETCHES]
    )
    return source, fetches


def fetch_raw(*, actor: User, pk: int) -> tuple[bytes, str]:
    """The kept raw payload of one fetch and its file name; 404 when none was kept."""
    permissions.require(permissions.can_configure(scope_for(actor)), "only analysts and administrators")
    fetch = FetchLog.objects.filter(pk=pk).only("raw", "source_id", "started_at").first()
    if fetch is None or not fetch.raw:
        raise Http404
    return bytes(fetch.raw), f"source-{fetch.source_id}-fetch-{pk}.txt"
