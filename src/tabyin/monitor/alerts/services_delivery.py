"""Alert delivery: one ``Delivery`` per channel of a rule, each tried on its own.

A failing webhook never holds back the e-mail; failed deliveries are retried every minute (by the
``escalate_alerts`` job) up to ``MAX_ATTEMPTS``, and a delivery whose task was lost in a restart,
or whose worker died mid-send, is tried again after ``TABYIN_TASK_LOST_AFTER_SECONDS``. Messages
are built in the site's language with a link to the story page.

Delivery is at least once with an idempotency key (ADR 0017): each attempt is claimed first, so two
workers never send one delivery at the same time, and the webhook (``X-Tabyin-Delivery``) and the
e-mail (its Message-ID) carry the delivery's own key, the same on every attempt, so a receiver can
drop the copy a worker that died between sending and recording sent again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tabyin.core.persian_text import digits_to_persian
from tabyin.monitor import task_refs
from tabyin.monitor.alerts.channels.base import DeliveryError, Message, Sender
from tabyin.monitor.alerts.channels.bot.sender import BotSender
from tabyin.monitor.alerts.channels.email.sender import EmailSender
from tabyin.monitor.alerts.channels.in_app.sender import InAppSender
from tabyin.monitor.alerts.channels.webhook.sender import WebhookSender
from tabyin.monitor.enums import AlertKind, Channel, DeliveryStatus
from tabyin.monitor.models import Alert, AlertRule, Delivery

MAX_ATTEMPTS = 5


def lost_after() -> timedelta:
    """A delivery never tried, or claimed and never finished, this long ago lost its task."""
    return timedelta(seconds=settings.TABYIN_TASK_LOST_AFTER_SECONDS)


def idempotency_key(delivery: Delivery) -> str:
    return f"tabyin-delivery-{delivery.pk}"


# Order of delivery within one alert: the fast machine channels first.
CHANNEL_ORDER = [Channel.IN_APP, Channel.WEBHOOK, Channel.BOT, Channel.EMAIL]
SENDERS: dict[str, Sender] = {
    Channel.IN_APP: InAppSender(),
    Channel.EMAIL: EmailSender(),
    Channel.WEBHOOK: WebhookSender(),
    Channel.BOT: BotSender(),
}


# --- delivery ------------------------------------------------------------------------------------


def _story_url(story_id: int) -> str:
    try:
        path = reverse("monitor:story", args=[story_id])
    except NoReverseMatch:  # the dashboard's story page not mounted: the alerts page still is
        path = reverse("monitor:alerts")
    return settings.TABYIN_SITE_URL + path


def alert_message(alert: Alert, *, escalation: bool = False) -> Message:
    """What every channel says about an alert, in the site's language (Persian by default): the
    story's link, and what crossed which threshold for each rule that tripped. People read Persian
    digits (e-mail, bot); the webhook's JSON keeps ASCII digits and the machine fields."""
    story, rule = alert.story, alert.rule
    with translation.override(settings.LANGUAGE_CODE):
        persian = settings.LANGUAGE_CODE.startswith("fa")
        url = _story_url(story.pk)
        kind = str(AlertKind(rule.kind).label)
        if escalation:
            subject = _("[Tabyin] Not acknowledged for %(minutes)d minutes: %(title)s") % {
                "minutes": rule.escalate_after_minutes,
                "title": story.title,
            }
        else:
            subject = _("[Tabyin] Alert: %(title)s") % {"title": story.title}
        reasons = alert.descriptions
        lines = [
            subject,
            "",
            _("Rule: %(name)s (%(kind)s)") % {"name": rule.name, "kind": kind},
            *(_("Why: %(reason)s") % {"reason": reason} for reason in reasons),
            _("Channels so far: %(count)d") % {"count": int(alert.figures.get("channels", 0))},
        ]
        if alert.count > 1:
            lines.append(_("Rules tripped on this story: %(count)d times") % {"count": alert.count})
        if persian:
            subject = digits_to_persian(subject)
            lines = [digits_to_persian(line) for line in lines]
        lines += ["", _("Open the story: %(url)s") % {"url": url}]
        reason = alert.description
    payload = {
        "event": "escalation" if escalation else "alert",
        "alert_id": alert.pk,
        "created_at": alert.created_at.isoformat(),
        "updated_at": (alert.updated_at or alert.created_at).isoformat(),
        "count": alert.count,
        "rule": {"id": rule.pk, "name": rule.name, "kind": rule.kind},
        "story": {
            "id": story.pk,
            "title": story.title,
            "url": url,
            "first_published_at": story.first_published_at.isoformat(),
        },
        "reason": reason,
        "reasons": reasons,
        "figures": alert.figures,
        "trips": [
            {"rule_id": t.get("rule"), "kind": t.get("kind"), "at": t.get("at"), "figures": t.get("figures")}
            for t in alert.trips
        ],
    }
    return Message(subject=subject, text="\n".join(lines), url=url, payload=payload)


def _options(delivery: Delivery, rule: AlertRule) -> dict[str, Any]:
    key = {"idempotency_key": idempotency_key(delivery)}
    if delivery.channel == Channel.WEBHOOK:
        return {"secret": rule.webhook_secret, **key}
    if delivery.channel == Channel.BOT:
        return {"base_url": settings.TABYIN_MONITOR_BOT_API_BASE, "token": settings.TABYIN_MONITOR_BOT_TOKEN}
    return key


def _attempt(delivery: Delivery, message: Message, rule: AlertRule) -> bool:
    # Claim this attempt: of two workers on the same delivery, only one moves ``attempts`` on, and
    # a delivery another worker is sending right now (a claim younger than the lease) is left to it.
    now = timezone.now()
    claimed = (
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING, attempts=delivery.attempts)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=now - lost_after()))
        .update(attempts=delivery.attempts + 1, last_error="", claimed_at=now)
    )
    if not claimed:
        return False
    attempts = delivery.attempts + 1
    try:
        SENDERS[delivery.channel].send(message, delivery.target, **_options(delivery, rule))
    except DeliveryError as error:
        failed = attempts >= MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED if failed else DeliveryStatus.PENDING,
            last_error=str(error)[:1000] or "error",
            claimed_at=None,
        )
        return False
    except Exception as error:  # noqa: BLE001 (a bug in one channel must not stop the others)
        Delivery.objects.filter(pk=delivery.pk).update(
            last_error=f"{type(error).__name__}"[:1000], claimed_at=None
        )
        return False
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, sent_at=timezone.now())
    return True


def alert_deliver(*, alert_id: int) -> dict[str, int]:
    """Try every pending delivery of an alert once; returns {"sent": n, "failed": m}."""
    alert = Alert.objects.select_related("rule", "story").filter(pk=alert_id).first()
    if alert is None:
        return {"sent": 0, "failed": 0}
    pending = list(alert.deliveries.filter(status=DeliveryStatus.PENDING))
    pending.sort(key=lambda d: CHANNEL_ORDER.index(Channel(d.channel)))
    messages: dict[bool, Message] = {}
    sent = failed = 0
    for delivery in pending:
        if delivery.escalation not in messages:
            messages[delivery.escalation] = alert_message(alert, escalation=delivery.escalation)
        if _attempt(delivery, messages[delivery.escalation], alert.rule):
            sent += 1
        else:
            failed += 1
    return {"sent": sent, "failed": failed}


def deliveries_retry(*, now: datetime) -> list[int]:
    """Queue again the alerts with a failed attempt or a delivery whose task was lost."""
    lost = now - lost_after()
    alert_ids = sorted(
        set(
            Delivery.objects.filter(status=DeliveryStatus.PENDING)
            .filter(
                Q(attempts__gte=1) & ~Q(last_error="")
                | Q(attempts__gte=1, claimed_at__lt=lost)
                | Q(attempts=0, escalation=False, alert__created_at__lt=lost)
                | Q(attempts=0, escalation=True, alert__escalated_at__lt=lost)
            )
            .values_list("alert_id", flat=True)
        )
    )
    for alert_id in alert_ids:
        task_refs.deliver_alert.enqueue(alert_id=alert_id)
    return alert_ids
