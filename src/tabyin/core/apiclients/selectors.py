"""Finding the client of a key, and what administrators see of their use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tabyin.core.apiclients import keys
from tabyin.core.models_api import ApiClient, ApiKey, ApiUsage


def client_for_key(key: str) -> ApiClient | None:
    """The client a key belongs to, if the key is valid now (not revoked, not past its grace)."""
    prefix = keys.prefix_of(key)
    if prefix is None:
        return None
    now = timezone.now()
    found = (
        ApiKey.objects.select_related("client")
        .filter(prefix=prefix, revoked_at=None, client__revoked_at=None)
        .filter(Q(expires_at=None) | Q(expires_at__gt=now))
        .first()
    )
    if found is None or not keys.matches(key, found.digest, settings.TABYIN_RECEIPT_PEPPER):
        return None
    return found.client


@dataclass(frozen=True)
class ClientUse:
    client: ApiClient
    today: int
    last_used_at: datetime | None
    days: list[tuple[date, int]]


def usage(client: ApiClient, days: int = 30) -> ClientUse:
    """Requests per day over the last ``days`` days, newest first (days without requests left out)."""
    today = timezone.localdate()
    rows = list(
        ApiUsage.objects.filter(client=client, day__gt=today - timedelta(days=days))
        .order_by("-day")
        .values_list("day", "requests")
    )
    return ClientUse(client, dict(rows).get(today, 0), client.last_used_at, rows)
