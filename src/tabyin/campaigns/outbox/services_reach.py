"""Reach collected back: the view counts of our own messenger posts, read every hour.

Neither the Telegram and Bale Bot APIs nor Eitaayar tell a sender how many people saw a post.
What a channel's public preview page shows is read by whichever app offers
``registry.views_of_post`` (the monitor, which reads those pages anyway); campaigns never imports
it. Each count is kept on its delivery with the time it was read, so the campaign page shows
what was read and when, without a request to another site while a manager waits. A post with no
public address (a channel named by a numeric id), a page that cannot be read this time, or a
channel no reader knows (Bale) keeps its last count and time, or ``None`` (unknown) if it never
had one: nothing is estimated.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q

from tabyin.campaigns.enums import Channel, DeliveryState
from tabyin.campaigns.outbox.models import Delivery
from tabyin.campaigns.outbox.selectors import post_address
from tabyin.core.registry import registry

MESSENGERS = (Channel.TELEGRAM, Channel.BALE, Channel.EITAA)
# A post is read again at most once an hour, and for a month after it was sent (its views have
# mostly stopped growing by then; the last count stays).
EVERY = timedelta(hours=1)
FOLLOW_FOR = timedelta(days=30)


def views_read(*, now: datetime) -> dict[str, int]:
    """Read the views of every post due a reading; returns {"read": n, "unknown": m}."""
    due = (
        Delivery.objects.filter(
            channel__in=MESSENGERS, state=DeliveryState.SENT, sent_at__gte=now - FOLLOW_FOR
        )
        .filter(Q(views_read_at=None) | Q(views_read_at__lte=now - EVERY))
        .exclude(external_id="")
        .order_by("sent_at", "pk")
    )
    totals = {"read": 0, "unknown": 0}
    for delivery in due.only("pk", "channel", "target", "external_id"):
        address = post_address(delivery.channel, delivery.target, delivery.external_id)
        count = registry.views_of_post(address) if address else None
        if count is None:
            totals["unknown"] += 1
            continue
        Delivery.objects.filter(pk=delivery.pk).update(views=count, views_read_at=now)
        totals["read"] += 1
    return totals
