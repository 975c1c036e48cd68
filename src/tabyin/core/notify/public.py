"""Notices to the public: one ledger for the inbox, SMS, Bale and browser push (ADR 0040).

An app calls ``tell_public(app=, ref=, key=, title=, …)`` when something happens that a person
without an account should hear of (a reply on their report). The notice is put in the mailbox of
(``app``, ``ref``) once per ``key``, which is the in-app inbox the page and the mobile app poll
(``/api/v1/inbox/``, with the token ``mailbox_token`` gives the app to hand to the person); each
outside channel the person chose and the server has configured gets a queued ``PublicDelivery``,
sent by the ``core.public_deliver`` task after the caller's transaction commits and retried by the
``core.public_retry`` sweep, at most ``MAX_ATTEMPTS`` times. With no channel configured the site
works with the inbox alone.

What an app passes as ``title`` and ``body`` leaves the server on SMS, Bale and push: it must say
no more than the app allows (a report's notice says only that there is a new message).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from nacl import exceptions as nacl_exceptions
from nacl import secret

from tabyin.core import sms, task_refs
from tabyin.core.models_public import (
    DeliveryState,
    PublicChannel,
    PublicDelivery,
    PublicMailbox,
    PublicNotice,
)
from tabyin.core.notify import channels

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A queued delivery is tried again by the sweep once this long has passed since its last attempt,
# doubled after each (5, 10, 20, 40 minutes).
RETRY_AFTER = timedelta(minutes=5)
_TOKEN = re.compile(r"tbi_([1-9][0-9]{0,11})_([A-Za-z0-9_-]{43})")
_CONTEXT = b"tabyin.public-mailbox"


# --- tokens -----------------------------------------------------------------------------------


def _mac(mailbox_id: int, salt: str) -> str:
    key = hmac.new(settings.TABYIN_RECEIPT_PEPPER.encode(), _CONTEXT, hashlib.sha256).digest()
    raw = hmac.new(key, f"{mailbox_id}:{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def mailbox_of(*, app: str, ref: str, now: datetime | None = None) -> PublicMailbox:
    found = PublicMailbox.objects.filter(app=app, ref=ref).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return PublicMailbox.objects.create(
                app=app, ref=ref, salt=secrets.token_hex(16), created_at=now or timezone.now()
            )
    except IntegrityError:  # made at the same moment by another request
        return PublicMailbox.objects.get(app=app, ref=ref)


def mailbox_token(*, app: str, ref: str) -> str:
    """The token that opens the mailbox of (app, ref): the app gives it to the person it already
    knows to be the one (after checking their receipt). The same token every time; not stored."""
    mailbox = mailbox_of(app=app, ref=ref)
    return f"tbi_{mailbox.pk}_{_mac(mailbox.pk, mailbox.salt)}"


@sensitive_variables("token")
def mailbox_for_token(token: str) -> PublicMailbox | None:
    found = _TOKEN.fullmatch(token.strip())
    if found is None:
        return None
    mailbox = PublicMailbox.objects.filter(pk=int(found.group(1))).first()
    if mailbox is None or not hmac.compare_digest(_mac(mailbox.pk, mailbox.salt), found.group(2)):
        return None
    return mailbox


# --- sealed addresses -------------------------------------------------------------------------


def _box() -> secret.Aead:
    key = hashlib.blake2b(
        settings.TABYIN_IDENTITY_KEY.encode(), digest_size=32, person=b"tabyin-contact"
    ).digest()
    return secret.Aead(key)


def _seal(mailbox_id: int, value: str) -> bytes:
    return bytes(_box().encrypt(value.encode(), aad=b"mailbox/%d" % mailbox_id))


def _open(mailbox_id: int, sealed: bytes | memoryview | None) -> str:
    if not sealed:
        return ""
    try:
        return _box().decrypt(bytes(sealed), aad=b"mailbox/%d" % mailbox_id).decode()
    except nacl_exceptions.CryptoError:
        log.warning("public notices: mailbox %s's address does not open (key changed?)", mailbox_id)
        return ""


def _hash(kind: str, value: str) -> str:
    if kind == "phone":
        return sms.identity_hash("phone", value, purpose="public-notice")
    key = hashlib.blake2b(settings.TABYIN_IDENTITY_KEY.encode(), digest_size=32).digest()
    return hashlib.blake2b(
        value.encode(), key=key, digest_size=32, person=f"public-{kind}".encode()
    ).hexdigest()


@sensitive_variables("phone")
def contact_set(*, mailbox: PublicMailbox, phone: str, by_sms: bool, by_bale: bool) -> PublicMailbox:
    """The person's number for SMS and Bale (sealed), or none (``phone`` empty forgets it).
    Raises ``sms.PhoneError`` for a number that is not an Iranian mobile."""
    if phone.strip():
        number = sms.normalize_ir(phone)
        mailbox.phone_sealed = _seal(mailbox.pk, number)
        mailbox.phone_hash = _hash("phone", number)
        mailbox.sms, mailbox.bale = by_sms, by_bale
    else:
        mailbox.phone_sealed, mailbox.phone_hash, mailbox.sms, mailbox.bale = None, "", False, False
    mailbox.save(update_fields=["phone_sealed", "phone_hash", "sms", "bale"])
    return mailbox


def push_set(*, mailbox: PublicMailbox, subscription: dict[str, Any] | None) -> PublicMailbox:
    """A browser's push subscription ({"endpoint", "keys": {"p256dh", "auth"}}), sealed; ``None``
    forgets it."""
    mailbox.push_sealed = _seal(mailbox.pk, json.dumps(subscription)) if subscription else None
    mailbox.save(update_fields=["push_sealed"])
    return mailbox


def channels_of(mailbox: PublicMailbox) -> list[str]:
    """The outside channels a notice to this mailbox goes on now: chosen and configured."""
    ready = channels.configured()
    chosen = []
    if mailbox.phone_hash and mailbox.sms:
        chosen.append(PublicChannel.SMS.value)
    if mailbox.phone_hash and mailbox.bale:
        chosen.append(PublicChannel.BALE.value)
    if mailbox.push_sealed:
        chosen.append(PublicChannel.PUSH.value)
    return [c for c in chosen if c in ready]


# --- telling and delivering -------------------------------------------------------------------


def tell_public(
    *, app: str, ref: str, key: str, title: str, body: str = "", url: str = "", now: datetime | None = None
) -> PublicNotice | None:
    """Put a notice in the mailbox of (app, ref) once per ``key`` and queue its outside channels;
    ``None`` when it was told already. Call inside the transaction of the event it tells of."""
    now = now or timezone.now()
    mailbox = mailbox_of(app=app, ref=ref, now=now)
    try:
        with transaction.atomic():
            notice = PublicNotice.objects.create(
                mailbox=mailbox,
                key=key[:100],
                title=title[:200],
                body=body[:500],
                url=url[:300],
                created_at=now,
            )
    except IntegrityError:
        return None
    rows = [
        PublicDelivery(
            notice=notice, channel=PublicChannel.INBOX, state=DeliveryState.SENT, attempts=1,
            created_at=now, tried_at=now, sent_at=now,
        )
    ]  # fmt: skip
    queued = channels_of(mailbox)
    rows += [
        PublicDelivery(notice=notice, channel=c, state=DeliveryState.QUEUED, created_at=now) for c in queued
    ]
    PublicDelivery.objects.bulk_create(rows)
    if queued:
        task_refs.public_deliver.enqueue(notice_id=notice.pk)
    return notice


@sensitive_variables("address")
def record_sent(
    *,
    app: str,
    ref: str,
    key: str,
    channel: str,
    address: str,
    ok: bool,
    result: str = "",
    now: datetime | None = None,
) -> PublicDelivery | None:
    """Record in the ledger a notice the app delivered itself (a meeting's SMS or e-mail, through
    its own code), after ``tell_public`` put it in the inbox: one row per notice and channel, its
    attempts counted, the address kept only as a keyed hash. ``None`` when there is no such
    notice."""
    now = now or timezone.now()
    notice = PublicNotice.objects.filter(mailbox__app=app, mailbox__ref=ref, key=key[:100]).first()
    if notice is None:
        return None
    delivery, _created = PublicDelivery.objects.get_or_create(
        notice=notice, channel=channel, defaults={"state": DeliveryState.QUEUED, "created_at": now}
    )
    delivery.attempts += 1
    delivery.state = DeliveryState.SENT if ok else DeliveryState.FAILED
    delivery.tried_at = now
    delivery.sent_at = now if ok else None
    delivery.result = result[:200]
    delivery.target_hash = _hash("phone" if channel == PublicChannel.SMS else "email", address)
    delivery.save()
    return delivery


def _text(notice: PublicNotice) -> str:
    link = f"{settings.TABYIN_SITE_URL}{notice.url}" if notice.url.startswith("/") else notice.url
    return "\n".join(part for part in (notice.title, notice.body, link) if part)


def _send(delivery: PublicDelivery) -> channels.Sent:
    notice = delivery.notice
    mailbox = notice.mailbox
    request_id = f"tabyin-public-{delivery.pk}"  # the same on every retry: sent once
    if delivery.channel == PublicChannel.PUSH:
        raw = _open(mailbox.pk, mailbox.push_sealed)
        if not raw:
            return channels.Sent(False, "no push subscription")
        subscription = json.loads(raw)
        sent = channels.send_push(subscription, notice.body, title=notice.title, url=notice.url)
        if sent.final:
            # The browser unsubscribed, or the endpoint now points at an address never connected
            # to: every later notice would fail on it at once, so forget it.
            push_set(mailbox=mailbox, subscription=None)
        return sent
    phone = _open(mailbox.pk, mailbox.phone_sealed)
    if not phone:
        return channels.Sent(False, "no phone number")
    if delivery.channel == PublicChannel.SMS:
        return channels.send_sms(phone, _text(notice), request_id=request_id)
    return channels.send_bale(phone, _text(notice), request_id=request_id)


def _target_hash(delivery: PublicDelivery) -> str:
    mailbox = delivery.notice.mailbox
    if delivery.channel == PublicChannel.PUSH:
        raw = _open(mailbox.pk, mailbox.push_sealed)
        return _hash("push", json.loads(raw)["endpoint"]) if raw else ""
    return mailbox.phone_hash


def attempt(delivery: PublicDelivery, *, now: datetime | None = None) -> bool:
    """One attempt at a queued delivery, claimed first (two workers never both send it). True when
    this attempt sent it. A failure stays queued until its last attempt, then is failed; a final
    failure (an endpoint the server must not reach) is failed at once."""
    now = now or timezone.now()
    claimed = PublicDelivery.objects.filter(
        pk=delivery.pk, state=DeliveryState.QUEUED, attempts=delivery.attempts
    ).update(attempts=F("attempts") + 1, tried_at=now)
    if not claimed:
        return False
    delivery.attempts += 1
    sent = _send(delivery)
    if sent.ok:
        state = DeliveryState.SENT
    else:
        last = sent.final or delivery.attempts >= MAX_ATTEMPTS
        state = DeliveryState.FAILED if last else DeliveryState.QUEUED
        log.warning("public notice %s by %s: %s", delivery.notice_id, delivery.channel, sent.result)
    PublicDelivery.objects.filter(pk=delivery.pk).update(
        state=state,
        result=sent.result[:200],
        target_hash=_target_hash(delivery),
        sent_at=now if sent.ok else None,
    )
    return sent.ok


def deliver(*, notice_id: int, now: datetime | None = None) -> int:
    """Try each queued outside channel of a notice once; how many were sent."""
    rows = PublicDelivery.objects.filter(notice_id=notice_id, state=DeliveryState.QUEUED).select_related(
        "notice__mailbox"
    )
    return sum(attempt(row, now=now) for row in rows)


def retry_due(*, now: datetime | None = None) -> int:
    """The sweep: every queued delivery whose back-off has passed (or that was never tried, its task
    lost) gets one more attempt. Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    rows = PublicDelivery.objects.filter(state=DeliveryState.QUEUED).select_related("notice__mailbox")
    for row in rows.order_by("id")[:500]:
        wait = RETRY_AFTER * (2 ** max(row.attempts - 1, 0))
        since = row.tried_at or row.created_at
        if now - since >= wait:
            sent += attempt(row, now=now)
    return sent


# --- the inbox --------------------------------------------------------------------------------


def inbox(mailbox: PublicMailbox, *, limit: int = 50) -> list[PublicNotice]:
    return list(PublicNotice.objects.filter(mailbox=mailbox).order_by("-created_at", "-id")[:limit])


def inbox_of(*, app: str, ref: str, limit: int = 50) -> list[PublicNotice]:
    """The notices of (app, ref), newest first, read without making its mailbox: what a page that
    has already checked the person's right to (app, ref) shows, without a token."""
    rows = PublicNotice.objects.filter(mailbox__app=app, mailbox__ref=ref)
    return list(rows.order_by("-created_at", "-id")[:limit])


def inbox_mark_read(mailbox: PublicMailbox, *, now: datetime | None = None) -> int:
    return PublicNotice.objects.filter(mailbox=mailbox, read_at=None).update(read_at=now or timezone.now())
