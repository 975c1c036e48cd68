"""A person's calendar feed address: made (the token shown once, only its digest kept), made anew
(the old address stops working) and revoked; each change audited. Nobody manages another's."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from tabyin.core.calendar.models import FeedToken
from tabyin.core.calendar.selectors import digest
from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.services import audit_record


@transaction.atomic
def feed_token_issue(*, actor: User, now: datetime | None = None) -> str:
    """A new secret address for the actor's feed, replacing any earlier one. Returns the token: it
    is shown once and cannot be read back."""
    token = secrets.token_urlsafe(32)
    old = FeedToken.objects.filter(user=actor).first()
    row, _created = FeedToken.objects.update_or_create(
        user=actor,
        defaults={"digest": digest(token), "created_at": now or timezone.now(), "last_used_at": None},
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE if old else AuditAction.CREATE,
        obj=row,
        before={"token": "replaced"} if old else {},
        after={"token": "issued"},
    )
    return token


@transaction.atomic
def feed_token_revoke(*, actor: User) -> bool:
    row = FeedToken.objects.filter(user=actor).first()
    if row is None:
        return False
    audit_record(actor=actor, action=AuditAction.DELETE, obj=row, before={"token": "issued"})
    row.delete()
    return True


def feed_used(user: User, now: datetime | None = None) -> None:
    FeedToken.objects.filter(user=user).update(last_used_at=now or timezone.now())
