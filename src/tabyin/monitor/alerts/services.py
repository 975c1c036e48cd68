"""Alerts: fire rules on stories, deliver through channels, escalate, acknowledge, configure rules.

``alerts_evaluate`` runs after every ingestion batch (task ``evaluate_alerts``). It reads the
stories of the batch, the first time each channel carried them and their query matches, asks the
pure rules (``alerts.rules``) what fires, and keeps one ``Alert`` per story within the cool-down
(``TABYIN_MONITOR_ALERT_COOLDOWN_HOURS``): a rumor that trips the negative-story, velocity and
reach rules is one alert with count 3, not three alerts. The constraint
``monitor_alert_once_per_round`` settles the race between two workers opening the same story's
alert; the loser folds its firing into the winner's. Each alert gets one ``Delivery`` per channel
and target of the rules that tripped it; delivery
runs in the background after commit, each channel on its own, so a failing webhook never holds back
the e-mail. Failed deliveries are retried every minute up to ``MAX_ATTEMPTS``.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core import services as core_services
from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.monitor import permissions, task_refs
from tabyin.monitor.alerts import rules as alert_rules
from tabyin.monitor.alerts.channels.email.sender import addresses
from tabyin.monitor.alerts.services_delivery import CHANNEL_ORDER
from tabyin.monitor.enums import AlertKind, Channel, StoryKind
from tabyin.monitor.models import Alert, AlertRule, Delivery, Post, Story
from tabyin.monitor.pipeline import spread
from tabyin.monitor.queries.selectors_relevance import story_matches, threshold_current

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
# An acknowledged alert whose story's headline figure (channels reached; new channels in the last
# hour for velocity) reaches this many times what it was when acknowledged is re-opened.
REOPEN_FACTOR = 2


# --- evaluation ----------------------------------------------------------------------------------


def _facts(story_ids: list[int], now: datetime) -> list[alert_rules.StoryFacts]:
    stories = list(
        Story.objects.filter(pk__in=story_ids, kind=StoryKind.ITEM).values(
            "id", "sentiment", "first_seen_at", "first_published_at"
        )
    )
    if not stories:
        return []
    ids = [s["id"] for s in stories]
    # Relevance is read from the matches now, not stored at ingestion, so a changed weight or
    # threshold applies to the next evaluation (one query more than "matched any query").
    matched = story_matches(ids)
    threshold = max(threshold_current(), 1)
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
        queries, score = matched.get(story["id"], (frozenset(), 0))
        facts.append(
            alert_rules.StoryFacts(
                story_id=story["id"],
                sentiment=story["sentiment"],
                query_ids=queries,
                channel_count=len(first_seen),
                velocity=spread.velocity(first_seen.values(), now),
                age=now - story["first_seen_at"],
                span=now - min(story["first_published_at"], story["first_seen_at"]),
                relevant=score >= threshold,
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


def cooldown() -> timedelta:
    return timedelta(hours=settings.TABYIN_MONITOR_ALERT_COOLDOWN_HOURS)


def _trip(rule: AlertRule, firing: alert_rules.Firing, now: datetime) -> dict[str, Any]:
    return {"rule": rule.pk, "kind": rule.kind, "at": now.isoformat(), "figures": firing.figures}


def _deliver(alert: Alert, rule: AlertRule, known: set[tuple[str, str]]) -> bool:
    """Deliveries for the targets of ``rule`` that this alert has not reached yet (a second rule
    may name other people); True when any was added."""
    rows = [
        Delivery(alert=alert, channel=channel, target=target)
        for channel, target in _targets(rule)
        if (channel, target) not in known
    ]
    Delivery.objects.bulk_create(rows)
    known.update((row.channel, row.target) for row in rows)
    return bool(rows)


def _seen(trip: dict[str, Any]) -> int:
    """The trip's headline figure when the alert was acknowledged (its latest one if older)."""
    seen = trip.get("seen")
    if isinstance(seen, int):
        return seen
    return alert_rules.headline(str(trip.get("kind", "")), trip.get("figures") or {})


def _fold(alert: Alert, rule: AlertRule, firing: alert_rules.Firing, now: datetime) -> bool:
    """A later firing on the story of an open alert: a rule not tripped before on it is a new trip
    (count + 1); the same rule again updates its latest figures when its headline figure grew.
    True when the alert changed.

    An acknowledged alert is re-opened (acknowledgement cleared, the trip marked ``reopened``) by
    a new trip, or when the same rule's headline figure reached REOPEN_FACTOR times what it was when
    the alert was acknowledged: the story kept growing after someone had seen it."""
    trips = list(alert.trips)
    mine = next((i for i, t in enumerate(trips) if t.get("rule") == rule.pk), None)
    acknowledged = alert.acknowledged_at is not None
    grown = alert_rules.headline(rule.kind, firing.figures)
    if mine is not None:
        before = trips[mine]
        if grown <= alert_rules.headline(str(before.get("kind", "")), before.get("figures") or {}):
            return False
        reopen = acknowledged and grown >= REOPEN_FACTOR * max(_seen(before), 1)
        trips[mine] = _trip(rule, firing, now)
        if acknowledged and not reopen:
            trips[mine]["seen"] = _seen(before)
        count = alert.count
    else:
        reopen = acknowledged
        trips.append(_trip(rule, firing, now))
        count = alert.count + 1
    fields: dict[str, Any] = {
        "count": count,
        "trips": trips,
        "figures": firing.figures,
        "reason": firing.reason,
        "updated_at": now,
    }
    if reopen:
        for trip in trips:
            trip.pop("seen", None)
        trips[-1 if mine is None else mine]["reopened"] = True
        fields.update(acknowledged_at=None, acknowledged_by=None)
    Alert.objects.filter(pk=alert.pk).update(**fields)
    for name, value in fields.items():
        setattr(alert, name, value)
    return True


def _fold_open(
    alert: Alert, rule: AlertRule, firing: alert_rules.Firing, now: datetime, known: set[tuple[str, str]]
) -> bool:
    """``_fold``; a re-opened alert is delivered to the rule's people again (``known`` emptied)."""
    acknowledged = alert.acknowledged_at is not None
    changed = _fold(alert, rule, firing, now)
    if acknowledged and alert.acknowledged_at is None:
        known.clear()
    return changed


def _latest_alerts(story_ids: list[int]) -> dict[int, Alert]:
    found: dict[int, Alert] = {}
    for alert in Alert.objects.filter(story_id__in=story_ids).order_by("story_id", "round"):
        found[alert.story_id] = alert
    return found


def _is_open(alert: Alert, now: datetime) -> bool:
    return (alert.updated_at or alert.created_at) >= now - cooldown()


def _stale(closed: Alert | None, rule: AlertRule, firing: alert_rules.Firing) -> bool:
    """After the cool-down, a rule that already tripped on the story opens a new alert only when its
    headline figure grew past that trip: a story re-evaluated with nothing new stays quiet."""
    if closed is None:
        return False
    before = next((t for t in closed.trips if t.get("rule") == rule.pk), None)
    if before is None:
        return False
    return alert_rules.headline(rule.kind, firing.figures) <= alert_rules.headline(
        str(before.get("kind", "")), before.get("figures") or {}
    )


def alerts_evaluate(*, story_ids: list[int], now: datetime | None = None) -> list[int]:
    """Fire the active rules on these stories: one alert per story within the cool-down.

    A story without an open alert gets a new one (its first rule's channels deliver it); a later
    firing within the cool-down of the alert's last trip updates that alert instead (``_fold``):
    its count, its latest figures and reason, and deliveries only for targets it has not reached
    (a second rule that names other people). Returns the ids of the alerts created or updated.
    """
    now = now or timezone.now()
    rules = {r.pk: r for r in AlertRule.objects.filter(is_active=True)}
    if not rules or not story_ids:
        return []
    ids = sorted(set(story_ids))
    touched: list[int] = []
    with transaction.atomic():
        facts = _facts(ids, now)
        firings = alert_rules.evaluate(facts, [_spec(r) for r in rules.values()])
        if not firings:
            return []
        latest = _latest_alerts(ids)
        open_alerts = {sid: a for sid, a in latest.items() if _is_open(a, now)}
        known: dict[int, set[tuple[str, str]]] = defaultdict(set)
        for channel, target, alert_id in Delivery.objects.filter(
            alert_id__in=[a.pk for a in open_alerts.values()], escalation=False
        ).values_list("channel", "target", "alert_id"):
            known[alert_id].add((channel, target))
        for firing in firings:
            rule = rules[firing.rule_id]
            alert = open_alerts.get(firing.story_id)
            if alert is None:
                closed = latest.get(firing.story_id)
                if _stale(closed, rule, firing):
                    continue
                try:
                    with transaction.atomic():
                        alert = Alert.objects.create(
                            rule=rule,
                            story_id=firing.story_id,
                            created_at=now,
                            updated_at=now,
                            reason=firing.reason,
                            figures=firing.figures,
                            trips=[_trip(rule, firing, now)],
                            round=0 if closed is None else closed.round + 1,
                        )
                except IntegrityError:
                    # Another worker opened this story's alert first: fold into theirs.
                    alert = Alert.objects.filter(story_id=firing.story_id).order_by("-round").first()
                    if alert is None:
                        continue
                    open_alerts[firing.story_id] = alert
                    reached = Delivery.objects.filter(alert=alert, escalation=False)
                    known[alert.pk] = set(reached.values_list("channel", "target"))
                    changed = _fold(alert, rule, firing, now)
                else:
                    open_alerts[firing.story_id] = alert
                    changed = True
            else:
                changed = _fold_open(alert, rule, firing, now, known[alert.pk])
            if _deliver(alert, rule, known[alert.pk]):
                task_refs.deliver_alert.enqueue(alert_id=alert.pk)
            if changed and alert.pk not in touched:
                touched.append(alert.pk)
    return touched


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
                    task_refs.deliver_alert.enqueue(alert_id=alert_id)
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
            # What was seen: a later growth to REOPEN_FACTOR times this re-opens the alert.
            trips = Alert.objects.values_list("trips", flat=True).get(pk=alert.pk)
            Alert.objects.filter(pk=alert.pk).update(trips=[{**t, "seen": _seen(t)} for t in trips])
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
