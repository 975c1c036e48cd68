"""Alerts: fire rules on stories, deliver through channels, escalate, acknowledge, configure rules.

``alerts_evaluate`` runs after every ingestion batch (task ``evaluate_alerts``). It reads the
stories of the batch, the first time each channel carried them and their query matches, asks the
pure rules (``alerts.rules``) what fires, and stores one ``Alert`` per (rule, story): the database
constraint ``monitor_alert_once`` settles the race between two workers evaluating the same story,
and the loser simply moves on. Each alert gets one ``Delivery`` per channel of its rule; delivery
runs in the background after commit, each channel on its own, so a failing webhook never holds back
the e-mail. Failed deliveries are retried every minute up to ``MAX_ATTEMPTS``.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core import background
from tabyin.core import services as core_services
from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.monitor import permissions
from tabyin.monitor.alerts import rules as alert_rules
from tabyin.monitor.alerts.channels.email.sender import addresses
from tabyin.monitor.enums import AlertKind, Channel, StoryKind
from tabyin.monitor.models import Alert, AlertRule, Delivery, Match, Post, Story
from tabyin.monitor.pipeline import spread
from tabyin.monitor.services_delivery import CHANNEL_ORDER, DELIVER_TASK

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


# --- evaluation ----------------------------------------------------------------------------------


def _facts(story_ids: list[int], now: datetime) -> list[alert_rules.StoryFacts]:
    stories = list(
        Story.objects.filter(pk__in=story_ids, kind=StoryKind.ITEM).values("id", "sentiment", "first_seen_at")
    )
    if not stories:
        return []
    ids = [s["id"] for s in stories]
    queries: dict[int, set[int]] = defaultdict(set)
    for story_id, query_id in (
        Match.objects.filter(post__story_id__in=ids).values_list("post__story_id", "query_id").distinct()
    ):
        queries[story_id].add(query_id)
    # A channel's time is when it published, but never later than when we saw it (a clock ahead
    # of ours) — and a backfill of old posts then does not look like spread happening now.
    seen: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    rows = (
        Post.objects.filter(story_id__in=ids)
        .values("story_id", "source_id")
        .annotate(first=Min(Least("published_at", "first_seen_at")))
        .order_by()
    )
    for row in rows:
        seen[row["story_id"]].append((row["source_id"], row["first"]))
    facts = []
    for story in stories:
        first_seen = spread.channel_first_seen(seen[story["id"]])
        facts.append(
            alert_rules.StoryFacts(
                story_id=story["id"],
                sentiment=story["sentiment"],
                query_ids=frozenset(queries[story["id"]]),
                channel_count=len(first_seen),
                velocity=spread.velocity(first_seen.values(), now),
                age=now - story["first_seen_at"],
            )
        )
    return facts


def _spec(rule: AlertRule) -> alert_rules.RuleSpec:
    return alert_rules.RuleSpec(
        rule_id=rule.pk,
        kind=rule.kind,
        query_id=rule.query_id,
        threshold=rule.threshold,
        min_channels=rule.min_channels,
    )


def _targets(rule: AlertRule) -> list[tuple[str, str]]:
    chosen = set(rule.channels or [])
    found = []
    for channel in CHANNEL_ORDER:
        if channel in chosen:
            target = {
                Channel.IN_APP: "",
                Channel.EMAIL: rule.emails,
                Channel.WEBHOOK: rule.webhook_url,
                Channel.BOT: rule.bot_chat_id,
            }[channel]
            found.append((channel.value, target))
    return found


def alerts_evaluate(*, story_ids: list[int], now: datetime | None = None) -> list[int]:
    """Fire the active rules on these stories; the ids of the alerts created (each exactly once)."""
    now = now or timezone.now()
    rules = {r.pk: r for r in AlertRule.objects.filter(is_active=True)}
    if not rules or not story_ids:
        return []
    ids = sorted(set(story_ids))
    fired = set(Alert.objects.filter(story_id__in=ids).values_list("rule_id", "story_id"))
    created: list[int] = []
    with transaction.atomic():
        facts = _facts(ids, now)
        for firing in alert_rules.evaluate(facts, [_spec(r) for r in rules.values()]):
            if (firing.rule_id, firing.story_id) in fired:
                continue
            rule = rules[firing.rule_id]
            try:
                with transaction.atomic():
                    alert = Alert.objects.create(
                        rule=rule,
                        story_id=firing.story_id,
                        created_at=now,
                        reason=firing.reason,
                        figures=firing.figures,
                    )
            except IntegrityError:
                continue  # another worker stored this (rule, story) first
            Delivery.objects.bulk_create(
                Delivery(alert=alert, channel=channel, target=target) for channel, target in _targets(rule)
            )
            background.enqueue(DELIVER_TASK, alert_id=alert.pk)
            created.append(alert.pk)
    return created


# --- escalation and acknowledgement --------------------------------------------------------------


def alerts_escalate(*, now: datetime | None = None) -> list[int]:
    """Alerts nobody acknowledged within their rule's delay: escalate each exactly once."""
    now = now or timezone.now()
    escalated: list[int] = []
    with transaction.atomic():
        for rule in AlertRule.objects.filter(is_active=True, escalate_after_minutes__gt=0):
            due = Alert.objects.filter(
                rule=rule,
                acknowledged_at__isnull=True,
                escalated_at__isnull=True,
                created_at__lte=now - timedelta(minutes=rule.escalate_after_minutes),
            ).values_list("pk", flat=True)
            for alert_id in list(due):
                # The conditional update is the claim: an acknowledgement or another worker in
                # between leaves nothing to update.
                if not Alert.objects.filter(
                    pk=alert_id, acknowledged_at__isnull=True, escalated_at__isnull=True
                ).update(escalated_at=now):
                    continue
                rows = []
                if addresses(rule.escalate_emails):
                    rows.append(
                        Delivery(alert_id=alert_id, channel=Channel.EMAIL, target=rule.escalate_emails)
                    )
                if rule.bot_chat_id:
                    rows.append(Delivery(alert_id=alert_id, channel=Channel.BOT, target=rule.bot_chat_id))
                for row in rows:
                    row.escalation = True
                Delivery.objects.bulk_create(rows)
                if rows:
                    background.enqueue(DELIVER_TASK, alert_id=alert_id)
                escalated.append(alert_id)
    return escalated


def alert_acknowledge(*, actor: User, alert: Alert) -> Alert:
    """Someone has seen it: escalation stops. Acknowledging twice keeps the first person and time."""
    permissions.require(permissions.can_acknowledge(scope_for(actor)), "may not acknowledge alerts")
    now = timezone.now()
    with transaction.atomic():
        if Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=actor
        ):
            core_services.audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=alert,
                before={"acknowledged_at": None},
                after={"acknowledged_at": now.isoformat()},
            )
    alert.refresh_from_db()
    return alert


# --- rules ---------------------------------------------------------------------------------------

RULE_FIELDS = (
    "name",
    "kind",
    "query",
    "threshold",
    "min_channels",
    "channels",
    "emails",
    "webhook_url",
    "webhook_secret",
    "bot_chat_id",
    "escalate_after_minutes",
    "escalate_emails",
    "is_active",
)


def _webhook_allowed(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "https":
        return bool(parts.hostname)
    return parts.scheme == "http" and (parts.hostname or "") in LOCAL_HOSTS


def _check_rule(rule: AlertRule) -> None:
    errors: dict[str, str] = {}
    channels = list(rule.channels or [])
    if rule.kind == AlertKind.NEGATIVE_STORY and rule.query_id is None:
        errors["query"] = _("A negative-story rule needs a watch query.")
    if rule.threshold <= 0:
        errors["threshold"] = _("The threshold must be above zero.")
    for name in ("emails", "escalate_emails"):
        for address in addresses(getattr(rule, name)):
            try:
                validate_email(address)
            except ValidationError:
                errors[name] = _("%(address)s is not an e-mail address.") % {"address": address}
    if Channel.EMAIL in channels and not addresses(rule.emails):
        errors["emails"] = _("E-mail delivery needs at least one address.")
    if Channel.WEBHOOK in channels and not rule.webhook_url:
        errors["webhook_url"] = _("Webhook delivery needs an address.")
    if rule.webhook_url and not _webhook_allowed(rule.webhook_url):
        errors["webhook_url"] = _("The webhook address must use https (plain http only for localhost).")
    if Channel.BOT in channels and not rule.bot_chat_id:
        errors["bot_chat_id"] = _("Bot delivery needs a chat id.")
    if errors:
        raise ValidationError(errors)


def alert_rule_save(*, actor: User, rule: AlertRule | None = None, **fields: Any) -> AlertRule:
    """Create (``rule`` None) or update a rule; a webhook secret is generated when left empty."""
    permissions.require(permissions.can_configure(scope_for(actor)), "may not configure alert rules")
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    creating = rule is None
    target = AlertRule() if rule is None else rule
    before = {} if creating else _audit_view(target)
    for name, value in fields.items():
        setattr(target, name, value)
    chosen = set(target.channels or [])
    if chosen - set(Channel.values):
        raise ValidationError({"channels": _("Unknown delivery channel.")})
    # Stored in delivery order; the app itself always shows the alert, so "in the app" is the floor.
    target.channels = [c.value for c in CHANNEL_ORDER if c.value in chosen] or [Channel.IN_APP.value]
    if target.webhook_url and not target.webhook_secret:
        target.webhook_secret = secrets.token_hex(32)
    _check_rule(target)
    with transaction.atomic():
        target.save()
        core_services.audit_record(
            actor=actor,
            action=AuditAction.CREATE if creating else AuditAction.UPDATE,
            obj=target,
            before=before,
            after=_audit_view(target),
        )
    return target


def _audit_view(rule: AlertRule) -> dict[str, Any]:
    """The rule as the audit log keeps it: the webhook secret only as "set" or not."""
    view = {name: getattr(rule, name) for name in RULE_FIELDS if name not in ("query", "webhook_secret")}
    view["query"] = rule.query_id
    view["webhook_secret"] = "set" if rule.webhook_secret else ""
    return view
