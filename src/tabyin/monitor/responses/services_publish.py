"""Sending a published answer to the organization's own messenger channels.

When a campaigns app is installed, the answer is handed to its outbox through core's registry
(``registry.publish_approved``, once per answer: ``origin_key`` "monitor-response-<id>"), carrying
the monitor's approval over; the outbox's ledger sends it to its own owned channels, retries with
backoff and reports a failure, and the response page reads that state back
(``registry.outbox_state``). Everything below ``hand_to_outbox`` is the fallback for a monitor
installed alone:

One ``Publication`` row per owned, active messenger source (Telegram, Eitaa) is created when the
answer is published; a background task then sends each pending row through the bot API (the one
configured by ``TABYIN_MONITOR_BOT_API_BASE`` / ``TABYIN_MONITOR_BOT_TOKEN``; the bot must be an
administrator of the channel) and records the message id or the error. A failed channel never
undoes the publication: the answer stays public and the row can be retried from the staff page.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from tabyin.core.models import User
from tabyin.core.registry import ApprovedMessage, OutboxState, registry
from tabyin.core.scoping import scope_for
from tabyin.monitor import permissions, task_refs
from tabyin.monitor.alerts.channels.base import DeliveryError
from tabyin.monitor.alerts.channels.bot import sender as bot_sender
from tabyin.monitor.enums import DeliveryStatus, ResponseStatus, SourceKind
from tabyin.monitor.models import Publication, Response, Source

log = logging.getLogger(__name__)

MESSENGER_KINDS = (SourceKind.TELEGRAM, SourceKind.EITAA)
# Telegram's limit for one message; Eitaa's is larger.
MESSAGE_MAX = 4096


# The messenger channels an answer is meant for; the outbox sends to those it has configured.
ANSWER_CHANNELS = ("telegram", "bale", "eitaa")


def origin_key(response: Response) -> str:
    return f"monitor-response-{response.pk}"


def outbox_available() -> bool:
    return registry.approved_publisher is not None


def hand_to_outbox(*, response: Response) -> str | None:
    """Give a published answer to the outbox (approved already: the monitor's senior manager
    approved it); the outbox message's staff address, or ``None`` when there is no outbox."""
    if not outbox_available():
        return None
    assert response.approved_by is not None and response.approved_at is not None
    with translation.override("fa"):
        return registry.publish_approved(
            ApprovedMessage(
                origin_key=origin_key(response),
                title=response.title,
                text=response.body,
                link=public_url(response),
                approved_by=response.approved_by,
                approved_at=response.approved_at,
                channels=ANSWER_CHANNELS,
                approved_in="پایش: بازبینی پاسخ به شایعه",
            )
        )


def outbox_state(response: Response | None) -> OutboxState | None:
    """The outbox's deliveries of this answer per channel (``None``: not handed to an outbox)."""
    if response is None or response.published_at is None:
        return None
    return registry.outbox_state(origin_key(response))


def public_url(response: Response) -> str:
    """The clarification's address on the public site, in Persian (the site's first language)."""
    with translation.override("fa"):
        path = reverse("monitor:clarification", args=[response.pk])
    return f"{settings.TABYIN_SITE_URL}{path}"


def owned_channels() -> list[Source]:
    return list(
        Source.objects.filter(is_owned=True, is_active=True, kind__in=MESSENGER_KINDS).order_by(
            "kind", "handle"
        )
    )


def publications_create(*, response: Response) -> list[Publication]:
    """One pending row per owned channel (idempotent: a channel already listed is skipped)."""
    done = set(response.publications.values_list("source_id", flat=True))
    rows = [Publication(response=response, source=s) for s in owned_channels() if s.pk not in done]
    Publication.objects.bulk_create(rows)
    return list(response.publications.select_related("source").order_by("id"))


def message_text(response: Response) -> str:
    """Title, answer and link; the answer is shortened (never the link) to fit one message."""
    url = public_url(response)
    head = f"{response.title}\n\n"
    tail = f"\n\n{url}"
    room = MESSAGE_MAX - len(head) - len(tail)
    body = response.body if len(response.body) <= room else response.body[: room - 1].rstrip() + "…"
    return head + body + tail


def publications_send(*, response_id: int) -> int:
    """Send every pending publication of a published answer; returns how many were sent."""
    response = Response.objects.filter(pk=response_id, status=ResponseStatus.PUBLISHED).first()
    if response is None:
        return 0
    text = message_text(response)
    sent = 0
    pending = response.publications.select_related("source").filter(status=DeliveryStatus.PENDING)
    for publication in pending.order_by("id"):
        sent += _send(publication, text)
    return sent


def _send(publication: Publication, text: str) -> int:
    token = settings.TABYIN_MONITOR_BOT_TOKEN
    if not token:
        publication.status = DeliveryStatus.FAILED
        publication.last_error = "no bot token configured (TABYIN_MONITOR_BOT_TOKEN)"
        publication.save(update_fields=["status", "last_error"])
        return 0
    try:
        external_id = bot_sender.send_message(
            base_url=settings.TABYIN_MONITOR_BOT_API_BASE,
            token=token,
            chat_id=f"@{publication.source.handle}",
            text=text,
        )
    except DeliveryError as error:
        publication.status = DeliveryStatus.FAILED
        publication.last_error = str(error)[:1000]
    except Exception as error:  # noqa: BLE001  (one channel's failure must not stop the others)
        log.warning("monitor: publication %s failed (%s)", publication.pk, type(error).__name__)
        publication.status = DeliveryStatus.FAILED
        publication.last_error = type(error).__name__
    else:
        publication.status = DeliveryStatus.SENT
        publication.external_id = str(external_id)[:64]
        publication.last_error = ""
        publication.sent_at = timezone.now()
    publication.save(update_fields=["status", "external_id", "last_error", "sent_at"])
    return 1 if publication.status == DeliveryStatus.SENT else 0


@transaction.atomic
def publications_retry(*, actor: User, response: Response) -> int:
    """Put the failed publications of an answer back in the queue (and channels added since)."""
    permissions.require(permissions.can_approve(scope_for(actor)), "only senior managers publish answers")
    if response.status != ResponseStatus.PUBLISHED:
        return 0
    publications_create(response=response)
    retried = response.publications.filter(status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, last_error=""
    )
    task_refs.publish_to_channels.enqueue(response_id=response.pk)
    return retried
