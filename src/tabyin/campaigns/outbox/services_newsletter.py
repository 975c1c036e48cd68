"""The newsletter's subscribers: double opt-in and one-click unsubscribe.

Subscribing answers the same whether the address is new or known (nobody learns who subscribed);
a confirmation e-mail goes to the address, and only a confirmed address receives messages. The
unsubscribe link of every e-mail works with one POST (RFC 8058) and with the page's button.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tabyin.campaigns import task_refs
from tabyin.campaigns.enums import Channel
from tabyin.campaigns.outbox.models import Subscriber
from tabyin.core import sms


def subscribe(*, address: str) -> None:
    address = address.strip().lower()
    known = Subscriber.objects.filter(channel=Channel.NEWSLETTER, address=address).first()
    if known is not None and known.confirmed_at is not None and known.unsubscribed_at is None:
        return
    with transaction.atomic():
        if known is None:
            try:
                with transaction.atomic():
                    known = Subscriber.objects.create(
                        channel=Channel.NEWSLETTER, address=address, token=secrets.token_urlsafe(32)
                    )
            except IntegrityError:  # the same address at the same moment: one row is enough
                return
        else:
            # Coming back after unsubscribing: confirm again.
            Subscriber.objects.filter(pk=known.pk).update(confirmed_at=None, unsubscribed_at=None)
        task_refs.send_confirmation.enqueue(subscriber_id=known.pk)


def send_confirmation(*, subscriber_id: int) -> bool:
    subscriber = Subscriber.objects.filter(pk=subscriber_id, confirmed_at=None).first()
    if subscriber is None:
        return False
    url = settings.TABYIN_SITE_URL + reverse("campaigns:confirm", args=[subscriber.token])
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Confirm your subscription to the newsletter")
        body = _(
            "Someone asked to receive our newsletter at this address. To confirm, open:\n%(url)s\n\n"
            "If it was not you, ignore this e-mail: nothing will be sent."
        ) % {"url": url}
    EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[subscriber.address]
    ).send()
    return True


def confirm(*, token: str) -> bool:
    """Confirm (by POST: mail scanners that open links must not confirm); false for an unknown or
    unsubscribed token."""
    found = Subscriber.objects.filter(token=token, unsubscribed_at=None).first()
    if found is None:
        return False
    Subscriber.objects.filter(pk=found.pk, confirmed_at=None).update(confirmed_at=timezone.now())
    return True


def unsubscribe(*, token: str) -> bool:
    """True when the token names a subscriber (already unsubscribed included: the same answer)."""
    found = Subscriber.objects.filter(token=token).first()
    if found is None:
        return False
    Subscriber.objects.filter(pk=found.pk, unsubscribed_at=None).update(unsubscribed_at=timezone.now())
    return True


def sms_subscriber_add(*, number: str) -> Subscriber:
    """A phone number that gave its consent elsewhere (a branch's form, a reply to a short code):
    stored normalised (E.164), confirmed. There is no public SMS sign-up page yet."""
    normalised = sms.normalize_ir(number)
    found, _created = Subscriber.objects.get_or_create(
        channel=Channel.SMS,
        address=normalised,
        defaults={"token": secrets.token_urlsafe(32), "confirmed_at": timezone.now()},
    )
    return found
