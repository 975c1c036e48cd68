"""Reads of the outbox: how a message reads on each channel, the ledger, and reach per channel.

Reach is what we can measure and nothing else: clicks on our own short links (per channel, no one
named), the view count of our own post on a messenger as last read from its public page
(``services_reach``, through the monitor's reader in core's registry), and "unknown" (``None``)
everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from tabyin.campaigns import permissions
from tabyin.campaigns.enums import Channel, DeliveryState, MessageState
from tabyin.campaigns.outbox.channels import formats
from tabyin.campaigns.outbox.models import Delivery, Message, ShortLink, Subscriber
from tabyin.campaigns.plan.models import Campaign
from tabyin.core.calendar.days import bounds
from tabyin.core.models import User
from tabyin.core.registry import CalendarEvent, EventKind
from tabyin.core.scoping import scope_for


def news_url(message: Message) -> str:
    return settings.TABYIN_SITE_URL + reverse("campaigns:news", args=[message.slug])


def link_url(code: str) -> str:
    return settings.TABYIN_SITE_URL + reverse("campaigns:short-link", args=[code])


def render(*, title: str, body: str, channel: str, link: str) -> formats.Rendered:
    if channel == Channel.TELEGRAM:
        return formats.telegram_html(title=title, body=body, link=link)
    if channel in (Channel.BALE, Channel.EITAA):
        return formats.plain(channel, title=title, body=body, link=link)
    if channel == Channel.SMS:
        return formats.sms(title=title, body=body, link=link)
    # Website and newsletter: the whole text; an e-mail carries its link below it.
    return formats.Rendered(channel, f"{title}\n\n{body}", limit=0)


def channel_link(message: Message, channel: str) -> str:
    """The link a channel carries: our short link once released, a same-length stand-in before."""
    if channel == Channel.WEBSITE:
        return news_url(message) if message.pk else link_url("x" * 7)
    if not message.pk:  # a preview of a message not saved yet
        return link_url("x" * 7)
    link = ShortLink.objects.filter(message=message, channel=channel).values_list("code", flat=True).first()
    return link_url(link or "x" * 7)


def previews(message: Message, channels: list[str] | None = None) -> list[formats.Rendered]:
    return [
        render(title=message.title, body=message.body, channel=c, link=channel_link(message, c))
        for c in (channels or message.channels)
    ]


def messages_of(*, campaign: Campaign) -> QuerySet[Message]:
    return campaign.messages.select_related("author", "approved_by")


def public_message(*, slug: str) -> Message | None:
    return Message.objects.filter(slug=slug, published_at__isnull=False).select_related("campaign").first()


def public_messages() -> QuerySet[Message]:
    """Every published news page, newest first (the public API's list)."""
    return Message.objects.filter(published_at__isnull=False).order_by("-published_at", "-pk")


@dataclass(frozen=True)
class ChannelLedger:
    channel: str
    sent: int
    pending: int
    failed: int
    last_error: str
    first_sent: object
    external_id: str


def ledger(*, message: Message) -> list[ChannelLedger]:
    """Per channel: how many deliveries were sent, wait (for a retry) or failed for good."""
    rows = (
        Delivery.objects.filter(message=message)
        .values("channel")
        .annotate(
            sent=Count("pk", filter=Q(state=DeliveryState.SENT)),
            pending=Count("pk", filter=Q(state=DeliveryState.PENDING)),
            failed=Count("pk", filter=Q(state=DeliveryState.FAILED)),
        )
    )
    found = {row["channel"]: row for row in rows}
    result = []
    for channel in message.channels:
        row = found.get(channel, {"sent": 0, "pending": 0, "failed": 0})
        last = (
            Delivery.objects.filter(message=message, channel=channel)
            .exclude(last_error="")
            .values_list("last_error", flat=True)
            .first()
        )
        first = (
            Delivery.objects.filter(message=message, channel=channel, state=DeliveryState.SENT)
            .order_by("sent_at")
            .values_list("sent_at", "external_id")
            .first()
        )
        result.append(
            ChannelLedger(
                channel=channel,
                sent=row["sent"],
                pending=row["pending"],
                failed=row["failed"],
                last_error=last or "",
                first_sent=first[0] if first else None,
                external_id=first[1] if first else "",
            )
        )
    return result


def post_address(channel: str, chat: str, message_id: str) -> str | None:
    """The public address of our own post on a messenger (only a public ``@name`` channel has one)."""
    if not chat.startswith("@") or not message_id:
        return None
    hosts = {
        Channel.TELEGRAM: "https://t.me",
        Channel.BALE: "https://ble.ir",
        Channel.EITAA: "https://eitaa.com",
    }
    host = hosts.get(Channel(channel))
    return f"{host}/{chat[1:]}/{message_id}" if host else None


@dataclass(frozen=True)
class Reach:
    channel: str
    clicks: int | None  # None: this channel carries no short link of ours
    views: int | None  # None: unknown (nothing measures it)
    delivered: int


def reach(*, campaign: Campaign) -> list[Reach]:
    """Per channel over every message of the campaign. Views are the counts last read from the
    posts' public pages (``services_reach``), summed only when every post of that channel has one:
    one unknown post makes the sum unknown, not smaller. Channels without posts have no views."""
    clicks: dict[str, int] = dict(
        ShortLink.objects.filter(message__campaign=campaign)
        .values("channel")
        .annotate(n=Sum("clicks"))
        .values_list("channel", "n")
    )
    sent = Delivery.objects.filter(message__campaign=campaign, state=DeliveryState.SENT)
    delivered = dict(sent.values("channel").annotate(n=Count("pk")).values_list("channel", "n"))
    result = []
    for channel in Channel.values:
        if channel not in delivered and channel not in clicks:
            continue
        views: int | None = None
        if channel in (Channel.TELEGRAM, Channel.BALE, Channel.EITAA):
            counts = list(sent.filter(channel=channel).values_list("views", flat=True))
            views = sum(c for c in counts if c is not None) if counts and None not in counts else None
        result.append(
            Reach(
                channel=channel, clicks=clicks.get(channel), views=views, delivered=delivered.get(channel, 0)
            )
        )
    return result


@dataclass(frozen=True)
class Post:
    """One post of ours on a messenger channel, with the views its public page last showed."""

    message: str
    channel: str
    sent_at: datetime
    address: str | None  # None: the channel has no public address (a numeric chat id)
    views: int | None  # None: unknown
    read_at: datetime | None


def posts(*, campaign: Campaign) -> list[Post]:
    rows = (
        Delivery.objects.filter(
            message__campaign=campaign,
            state=DeliveryState.SENT,
            channel__in=(Channel.TELEGRAM, Channel.BALE, Channel.EITAA),
        )
        .select_related("message")
        .order_by("sent_at", "channel", "pk")
    )
    return [
        Post(
            message=row.message.title,
            channel=row.channel,
            sent_at=row.sent_at or row.message.released_at or row.message.created_at,
            address=post_address(row.channel, row.target, row.external_id),
            views=row.views,
            read_at=row.views_read_at,
        )
        for row in rows
    ]


def subscribers_count(channel: str) -> int:
    return Subscriber.objects.filter(
        channel=channel, confirmed_at__isnull=False, unsubscribed_at=None
    ).count()


def calendar_events(user: User, first: date, last: date) -> list[CalendarEvent]:
    """The staff calendar's campaign sends: each message with a planned time in the range, for those
    who may see campaigns (all national: campaigns are planned at HQ). A draft says so."""
    if not permissions.can_see(scope_for(user)):
        return []
    start, end = bounds(first, last)
    found = Message.objects.filter(send_at__gte=start, send_at__lt=end).order_by("send_at", "pk")
    return [
        CalendarEvent(
            title=(
                _("Campaign message (awaiting approval): %(title)s")
                if m.state == MessageState.DRAFT
                else _("Campaign message: %(title)s")
            )
            % {"title": m.title},
            start=m.send_at,
            kind=EventKind.SEND,
            url=reverse("campaigns:message", args=[m.pk]),
            key=f"message-{m.pk}",
        )
        for m in found
        if m.send_at is not None
    ]
