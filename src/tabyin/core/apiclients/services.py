"""Registering, rotating and revoking client apps, and counting their requests. Every change is
audited; a new key is returned once and only its digest is stored."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tabyin.core.apiclients import keys
from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.models_api import ApiClient, ApiKey, ApiUsage
from tabyin.core.services import audit_record

# last_used_at is written at most this often per client: one UPDATE a minute, not one a request.
LAST_USED_STEP = timedelta(minutes=1)


def _new_key(client: ApiClient) -> str:
    made = keys.make()
    ApiKey.objects.create(
        client=client, prefix=made.prefix, digest=keys.digest(made.key, settings.TABYIN_RECEIPT_PEPPER)
    )
    return made.key


@transaction.atomic
def client_create(*, actor: User | None, name: str, rate: str, contact: str = "") -> tuple[ApiClient, str]:
    """The client and its first key (shown to the administrator once)."""
    client = ApiClient.objects.create(name=name, rate=rate, contact=contact)
    key = _new_key(client)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=client, after={"name": name, "rate": rate})
    return client, key


@transaction.atomic
def client_rotate(*, actor: User | None, client: ApiClient, grace: timedelta | None = None) -> str:
    """A new key; the keys in use stay valid for ``grace`` (``TABYIN_API_KEY_GRACE_HOURS`` by
    default) so the app can be updated without an outage, then stop."""
    now = timezone.now()
    ends = now + (grace if grace is not None else timedelta(hours=settings.TABYIN_API_KEY_GRACE_HOURS))
    old = list(
        ApiKey.objects.filter(client=client, revoked_at=None, expires_at=None).values_list(
            "prefix", flat=True
        )
    )
    ApiKey.objects.filter(client=client, revoked_at=None, expires_at=None).update(expires_at=ends)
    key = _new_key(client)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=client,
        before={"keys": old},
        after={"keys": [keys.prefix_of(key)], "old_keys_expire": ends.isoformat()},
    )
    return key


@transaction.atomic
def client_revoke(*, actor: User | None, client: ApiClient) -> None:
    """Every key of the client stops at once."""
    now = timezone.now()
    client.revoked_at = now
    client.save(update_fields=["revoked_at"])
    ApiKey.objects.filter(client=client, revoked_at=None).update(revoked_at=now)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=client,
        before={"revoked": False},
        after={"revoked": True},
    )


def record_use(client: ApiClient) -> None:
    """One more request today; ``last_used_at`` moves at most once a minute."""
    now = timezone.now()
    today = timezone.localdate(now)
    if not ApiUsage.objects.filter(client=client, day=today).update(requests=F("requests") + 1):
        try:
            with transaction.atomic():
                ApiUsage.objects.create(client=client, day=today, requests=1)
        except IntegrityError:  # another request made today's row first
            ApiUsage.objects.filter(client=client, day=today).update(requests=F("requests") + 1)
    if client.last_used_at is None or now - client.last_used_at >= LAST_USED_STEP:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now
