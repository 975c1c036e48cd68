"""Writing, approving and releasing a message: one text, every owned channel.

The author writes; a senior manager who is not the author approves; the message is released at
once or at its time (the sweep in ``services_delivery``). Releasing is one conditional update
(APPROVED -> RELEASED): of two workers or two clicks, one wins, and each delivery's key is unique,
so a message is never put in the ledger twice.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.campaigns import permissions, task_refs
from tabyin.campaigns.enums import Channel, DeliveryState, MessageState
from tabyin.campaigns.outbox.models import Delivery, Message, ShortLink, Subscriber
from tabyin.campaigns.outbox.selectors import link_url, news_url, render
from tabyin.campaigns.outbox.services_delivery import lease
from tabyin.campaigns.plan.models import Campaign
from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record

# Subscribers written per INSERT when a newsletter message is released.
CHUNK = 2000
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def channels_available() -> list[str]:
    return list(Channel.values)


def _check(*, title: str, body: str, channels: list[str]) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Write a title.")
    if not body.strip():
        errors["body"] = _("Write the text of the message.")
    if not channels or any(c not in channels_available() for c in channels):
        errors["channels"] = _("Choose at least one channel.")
    if not errors:
        for channel in channels:
            shown = render(title=title, body=body, channel=channel, link=link_url("x" * 7))
            if not shown.fits:
                errors["body"] = _(
                    "The text is too long for %(channel)s: %(length)d of %(limit)d characters."
                ) % {
                    "channel": Channel(channel).label,
                    "length": shown.length,
                    "limit": shown.limit,
                }
    if errors:
        raise ValidationError(errors)


def message_create(
    *,
    actor: User,
    campaign: Campaign,
    title: str,
    body: str,
    channels: list[str],
    image_url: str = "",
    send_at: datetime | None = None,
) -> Message:
    permissions.require(permissions.can_manage(scope_for(actor)))
    _check(title=title, body=body, channels=channels)
    with transaction.atomic():
        message = Message.objects.create(
            campaign=campaign,
            title=title.strip(),
            body=body.strip(),
            slug=f"c{campaign.pk}-{secrets.token_hex(4)}",
            image_url=image_url,
            channels=[c for c in Channel.values if c in channels],
            send_at=send_at,
            author=actor,
        )
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=message, after={"channels": message.channels}
        )
    return message


def message_approve(*, actor: User, message: Message, now: datetime | None = None) -> Message:
    """A senior manager approves; a message with no time (or a past one) is released at once."""
    permissions.require(permissions.can_approve(scope_for(actor)))
    if message.author_id == actor.pk:
        raise PermissionDenied(_("The author of a message cannot approve it; another senior manager must."))
    now = now or timezone.now()
    with transaction.atomic():
        changed = Message.objects.filter(pk=message.pk, state=MessageState.DRAFT).update(
            state=MessageState.APPROVED, approved_by=actor, approved_at=now
        )
        if not changed:
            raise ValidationError(_("This message was already approved."))
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=message,
            before={"state": MessageState.DRAFT},
            after={"state": MessageState.APPROVED},
        )
        message.refresh_from_db()
        if message.send_at is None or message.send_at <= now:
            message_release(message_id=message.pk, now=now)
            message.refresh_from_db()
    return message


def _short_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(7))


def _targets(channel: str) -> list[str]:
    if channel == Channel.WEBSITE:
        return ["site"]
    if channel in (Channel.TELEGRAM, Channel.BALE, Channel.EITAA):
        # An unconfigured channel still gets its row: it fails with that reason and is reported.
        return [getattr(settings, f"TABYIN_CAMPAIGNS_{channel.upper()}_CHAT") or "-"]
    return []


def message_release(*, message_id: int, now: datetime) -> bool:
    """Put every delivery of an approved message in the ledger and queue them; false when another
    caller released it first (or it is not approved)."""
    with transaction.atomic():
        won = Message.objects.filter(pk=message_id, state=MessageState.APPROVED).update(
            state=MessageState.RELEASED, released_at=now
        )
        if not won:
            return False
        message = Message.objects.get(pk=message_id)
        for channel in message.channels:
            if channel != Channel.WEBSITE:
                ShortLink.objects.get_or_create(
                    message=message,
                    channel=channel,
                    defaults={"code": _short_code(), "target": f"{news_url(message)}?ref={channel}"},
                )
            rows = [
                Delivery(
                    message=message, channel=channel, target=t, key=f"campaign-{message.pk}-{channel}-{t}"
                )
                for t in _targets(channel)
            ]
            Delivery.objects.bulk_create(rows, ignore_conflicts=True)
            if channel in (Channel.NEWSLETTER, Channel.SMS):
                _fan_out(message, channel)
            task_refs.deliver.enqueue(message_id=message.pk, channel=channel)
    return True


def _fan_out(message: Message, channel: str) -> None:
    """One delivery per confirmed subscriber, written in chunks (100,000 rows stay out of memory)."""
    subscribers = (
        Subscriber.objects.filter(channel=channel, confirmed_at__isnull=False, unsubscribed_at=None)
        .order_by("pk")
        .values_list("address", flat=True)
    )
    batch: list[Delivery] = []
    for address in subscribers.iterator(chunk_size=CHUNK):
        batch.append(
            Delivery(
                message=message,
                channel=channel,
                target=address,
                key=f"campaign-{message.pk}-{channel}-{address}",
            )
        )
        if len(batch) >= CHUNK:
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        Delivery.objects.bulk_create(batch, ignore_conflicts=True)


def short_link_follow(*, code: str, head: bool = False) -> str | None:
    """Count one click (nothing about who) and give the target; ``None`` for an unknown code.

    A HEAD request (a checker asking whether the link works) is redirected, not counted. A
    messenger's preview fetcher (Telegram draws a card from the link once it is posted) cannot be
    told apart: core's middleware drops every request's user agent before any view, by design,
    so a channel's count may include such a fetch (the campaign page says so)."""
    from django.db.models import F

    link = ShortLink.objects.filter(code=code).only("target").first()
    if link is None:
        return None
    if not head:
        ShortLink.objects.filter(pk=link.pk).update(clicks=F("clicks") + 1)
    return link.target


def outbox_sweep(*, now: datetime) -> dict[str, int]:
    """Every minute: release the approved messages whose time came, and queue again the channels
    with a delivery due for a retry or whose task was lost (a claim past its lease, or a release
    whose task never ran)."""
    released = sum(
        message_release(message_id=pk, now=now)
        for pk in Message.objects.filter(state=MessageState.APPROVED, send_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    stale = now - lease()
    pairs = (
        Delivery.objects.filter(state=DeliveryState.PENDING)
        .filter(
            Q(next_attempt_at__lte=now, claimed_at=None)
            | Q(claimed_at__lt=stale)
            | Q(next_attempt_at=None, claimed_at=None, message__released_at__lt=stale)
        )
        .values_list("message_id", "channel")
        .distinct()
    )
    queued = 0
    for message_id, channel in pairs:
        task_refs.deliver.enqueue(message_id=message_id, channel=channel)
        queued += 1
    return {"released": released, "queued": queued}
