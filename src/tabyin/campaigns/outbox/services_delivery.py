"""Sending the ledger's deliveries: claimed in batches, each result recorded, failures retried.

At least once with idempotency keys (ADR 0017, ADR 0024): a batch is claimed first (a claim
younger than the lease is left to the worker that holds it), sent, and every row's result written.
A failed row waits ``backoff(attempts)`` and is tried again by the sweep, up to ``MAX_ATTEMPTS``;
then it is marked failed and stays on the campaign page with its last error. Nothing is dropped.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from tabyin.campaigns.enums import Channel, DeliveryState
from tabyin.campaigns.outbox import api_cache
from tabyin.campaigns.outbox.channels import bot, eitaa, email
from tabyin.campaigns.outbox.channels.base import DeliveryError
from tabyin.campaigns.outbox.models import Delivery, Message, Subscriber
from tabyin.campaigns.outbox.selectors import channel_link, news_url, render
from tabyin.core import sms
from tabyin.core.registry import registry

MAX_ATTEMPTS = 8
BATCH = {Channel.NEWSLETTER: 200, Channel.SMS: 100}


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after the n-th failed attempt, at most an hour."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


def lease() -> timedelta:
    return timedelta(seconds=settings.TABYIN_TASK_LOST_AFTER_SECONDS)


def _claim(message_id: int, channel: str, now: datetime, size: int) -> list[Delivery]:
    """Up to ``size`` due rows, marked with this claim's own stamp so that two workers never take
    the same row (the stamp, not the row lock, decides: SQLite has no SELECT … FOR UPDATE)."""
    stamp = now + timedelta(microseconds=uuid.uuid4().int % 1000)
    due = (
        Delivery.objects.filter(message_id=message_id, channel=channel, state=DeliveryState.PENDING)
        .filter(Q(next_attempt_at=None) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=now - lease()))
    )
    with transaction.atomic():
        ids = list(due.order_by("pk").values_list("pk", flat=True)[:size])
        due.filter(pk__in=ids).update(claimed_at=stamp)
    return list(Delivery.objects.filter(pk__in=ids, claimed_at=stamp).order_by("pk"))


Outcome = tuple[str | None, str]  # (external id when sent, error text when not)


def _send_bot(message: Message, rows: list[Delivery]) -> list[Outcome]:
    results: list[Outcome] = []
    for row in rows:
        channel = row.channel
        shown = render(
            title=message.title, body=message.body, channel=channel, link=channel_link(message, channel)
        )
        prefix = f"TABYIN_CAMPAIGNS_{channel.upper()}"
        base, token = getattr(settings, f"{prefix}_API_BASE"), getattr(settings, f"{prefix}_TOKEN")
        try:
            if channel == Channel.EITAA:
                found = eitaa.send_message(
                    base_url=base, token=token, chat_id=row.target, title=message.title, text=shown.text
                )
            else:
                found = bot.send_message(
                    base_url=base, token=token, chat_id=row.target, text=shown.text, html=shown.html
                )
        except DeliveryError as error:
            results.append((None, str(error)))
        else:
            results.append((found, ""))
    return results


def _send_website(message: Message, rows: list[Delivery]) -> list[Outcome]:
    if Message.objects.filter(pk=message.pk, published_at=None).update(published_at=timezone.now()):
        api_cache.bump()  # an UPDATE sends no signal: /api/v1/news/ must show the page at once
    return [(news_url(message), "") for _ in rows]


def _send_newsletter(message: Message, rows: list[Delivery]) -> list[Outcome]:
    tokens = dict(
        Subscriber.objects.filter(
            channel=Channel.NEWSLETTER, address__in=[r.target for r in rows], unsubscribed_at=None
        ).values_list("address", "token")
    )
    link = channel_link(message, Channel.NEWSLETTER)
    site = settings.TABYIN_SITE_URL
    mails, places = [], []
    results: list[Outcome] = [(None, "unsubscribed before it was sent")] * len(rows)
    for i, row in enumerate(rows):
        token = tokens.get(row.target)
        if token is None:
            continue
        letter = email.Letter(
            to=row.target,
            key=f"campaign-delivery-{row.pk}",
            unsubscribe_url=site + reverse("campaigns:unsubscribe", args=[token]),
        )
        mails.append(
            email.build(
                letter=letter,
                subject=message.title,
                text=message.body,
                link=link,
                sender=settings.DEFAULT_FROM_EMAIL,
                domain=str(DNS_NAME),
            )
        )
        places.append(i)
    for place, error in zip(places, email.send_all(mails), strict=True):
        results[place] = (None, error) if error else ("", "")
    return results


def _send_sms(message: Message, rows: list[Delivery]) -> list[Outcome]:
    """Through core's SMS interface, with the delivery's key: a provider that honours keys sends a
    retried message once (the console backend does)."""
    shown = render(
        title=message.title, body=message.body, channel=Channel.SMS, link=channel_link(message, Channel.SMS)
    )
    results: list[Outcome] = []
    for row in rows:
        answer = sms.send(row.target, shown.text, idempotency_key=row.key)
        results.append((answer.message_id, "") if answer.ok else (None, answer.error or "refused"))
    return results


SENDERS: dict[str, Callable[[Message, list[Delivery]], list[Outcome]]] = {
    Channel.WEBSITE: _send_website,
    Channel.TELEGRAM: _send_bot,
    Channel.BALE: _send_bot,
    Channel.EITAA: _send_bot,
    Channel.NEWSLETTER: _send_newsletter,
    Channel.SMS: _send_sms,
}


def _record(rows: list[Delivery], results: list[Outcome], now: datetime) -> tuple[int, int]:
    sent = failed = 0
    for row, (external, error) in zip(rows, results, strict=True):
        row.claimed_at = None
        if external is not None:
            row.state, row.sent_at, row.external_id, row.last_error = (
                DeliveryState.SENT,
                now,
                external[:300],
                "",
            )
            row.attempts += 1
            sent += 1
            continue
        row.attempts += 1
        row.last_error = (error or "error")[:500]
        row.next_attempt_at = now + backoff(row.attempts)
        if row.attempts >= MAX_ATTEMPTS:
            row.state = DeliveryState.FAILED
        failed += 1
    Delivery.objects.bulk_update(
        rows, ["state", "sent_at", "external_id", "last_error", "attempts", "next_attempt_at", "claimed_at"]
    )
    return sent, failed


def deliver(*, message_id: int, channel: str, now: datetime | None = None) -> dict[str, int]:
    """Try every due delivery of a message on a channel once; returns {"sent": n, "failed": m}."""
    message = Message.objects.filter(pk=message_id).first()
    send = SENDERS.get(channel)
    totals = {"sent": 0, "failed": 0}
    if message is None or send is None:
        return totals
    size = BATCH.get(Channel(channel), 1)
    while True:
        moment = now or timezone.now()
        rows = _claim(message_id, channel, moment, size)
        if not rows:
            return totals
        try:
            results = send(message, rows)
        except Exception as error:  # noqa: BLE001 (a bug in one channel is recorded, not lost)
            results = [(None, type(error).__name__)] * len(rows)
        sent, failed = _record(rows, results, moment)
        if sent:
            # Another app's announcement (``registry.publish_draft``) learns that it went out.
            registry.draft_published(draft_address(message.pk), moment)
        totals["sent"] += sent
        totals["failed"] += failed


def draft_address(message_id: int) -> str:
    """The staff address another app keeps for a draft written for it: in the site's default
    language, so the address given when it was written and the one given when it goes out match."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("campaigns:message", args=[message_id])
