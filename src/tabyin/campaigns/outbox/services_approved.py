"""Messages another app already approved (``registry.publish_approved``), e.g. the monitor's answer
to a rumor: released through the outbox's ledger at once, never asked for approval a second time.

The approval is carried over: the message records the other app's approver and time, and the audit
log says where it was given. ``Message.origin_key`` is unique, so handing the same answer twice
(two clicks, a retried task) finds the first message and sends nothing new. The channels are the
outbox's own owned channels (``TABYIN_CAMPAIGNS_<CHANNEL>_CHAT`` and their bot settings); a channel
that is not configured there is left out rather than failed every time. Each channel's short link
leads to the other app's own page (``link``), so clicks are counted per channel as for any message.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.campaigns.enums import Channel, MessageState
from tabyin.campaigns.outbox.models import Message, ShortLink
from tabyin.campaigns.outbox.selectors import ledger, link_url, render
from tabyin.campaigns.outbox.services import _short_code, message_release
from tabyin.campaigns.outbox.services_announce import standing_campaign
from tabyin.core.enums import AuditAction
from tabyin.core.registry import ApprovedMessage, ChannelDelivery, OutboxState
from tabyin.core.services import audit_record

MESSENGERS = (Channel.TELEGRAM, Channel.BALE, Channel.EITAA)


def _configured(channel: str) -> bool:
    return bool(getattr(settings, f"TABYIN_CAMPAIGNS_{channel.upper()}_CHAT", ""))


def _fitted(title: str, text: str, channels: list[str]) -> str:
    """The text shortened (never the link) until every channel takes it."""
    stand_in = link_url("x" * 7)
    while text and not all(render(title=title, body=text, channel=c, link=stand_in).fits for c in channels):
        text = text[: max(0, len(text) - 64)].rstrip()
        text = text + "…" if text else ""
    return text


def message_approved_release(handed: ApprovedMessage) -> Message:
    """The outbox message of ``handed.origin_key``: created approved and released the first time,
    found (and left as it is) every later time."""
    found = Message.objects.filter(origin_key=handed.origin_key).first()
    if found is not None:
        return found
    title = handed.title.strip()[:120]
    channels = [c for c in Channel.values if c in handed.channels and c in MESSENGERS and _configured(c)]
    body = _fitted(title, handed.text.strip(), channels)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                campaign=standing_campaign(),
                title=title,
                body=body,
                slug=f"a-{secrets.token_hex(6)}",
                channels=channels,
                state=MessageState.APPROVED,
                author=None,
                approved_by=handed.approved_by,
                approved_at=handed.approved_at,
                origin_key=handed.origin_key,
            )
            for channel in channels:
                # Before release, so the release keeps them: each leads to the other app's page.
                ShortLink.objects.create(
                    message=message,
                    channel=channel,
                    code=_short_code(),
                    target=f"{handed.link}?ref={channel}",
                )
            audit_record(
                actor=handed.approved_by,
                action=AuditAction.CREATE,
                obj=message,
                after={
                    "state": MessageState.APPROVED,
                    "channels": channels,
                    "origin": handed.origin_key,
                    "approval": _("approved by %(name)s in %(where)s")
                    % {"name": str(handed.approved_by), "where": handed.approved_in},
                    "approved_at": handed.approved_at.isoformat(),
                },
            )
            message_release(message_id=message.pk, now=timezone.now())
    except IntegrityError:
        # Another caller handed the same answer at the same moment and won: that one is sent.
        return Message.objects.get(origin_key=handed.origin_key)
    message.refresh_from_db()
    return message


def publish_approved(handed: ApprovedMessage) -> str:
    """``registry.publish_approved``'s provider: the staff address of the outbox message."""
    return reverse("campaigns:message", args=[message_approved_release(handed).pk])


def outbox_state(origin_key: str) -> OutboxState | None:
    """``registry.outbox_state``'s provider: the ledger per channel of a handed message."""
    message = Message.objects.filter(origin_key=origin_key).first()
    if message is None:
        return None
    return OutboxState(
        url=reverse("campaigns:message", args=[message.pk]),
        channels=tuple(
            ChannelDelivery(
                channel=row.channel,
                label=str(Channel(row.channel).label),
                sent=row.sent,
                pending=row.pending,
                failed=row.failed,
                last_error=row.last_error,
                sent_at=row.first_sent,  # type: ignore[arg-type]
            )
            for row in ledger(message=message)
        ),
    )
