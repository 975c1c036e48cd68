"""What people do with stories: alert rules and alerts, responses to rumors, public tips, briefs.

Imported by ``models`` (refer to its models by "monitor.Name" strings, never import them here).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.monitor.alerts.rules import describe
from tabyin.monitor.enums import AlertKind, Channel, DeliveryStatus, ResponseStatus, TipStatus


class AlertRule(models.Model):
    """When to alert and whom. One alert per story per rule; escalation if nobody acknowledges."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=AlertKind.choices)
    # Negative-story rules need a query; the others watch every story that matches any query.
    query = models.ForeignKey(
        "monitor.WatchQuery", verbose_name=_("watch query"), null=True, blank=True, on_delete=models.CASCADE
    )
    # REACH: number of distinct channels. VELOCITY: new channels in the last hour divided by the
    # hourly mean of the previous 12 hours (``min_channels`` guards against 1-against-0 noise).
    threshold = models.FloatField(_("threshold"), default=10)
    min_channels = models.PositiveIntegerField(_("minimum channels"), default=3)
    channels = models.JSONField(_("delivery channels"), default=list)
    emails = models.TextField(_("e-mail addresses"), blank=True, default="")
    webhook_url = models.URLField(_("webhook address"), max_length=500, blank=True, default="")
    webhook_secret = models.CharField(_("webhook signing secret"), max_length=128, blank=True, default="")
    bot_chat_id = models.CharField(_("bot chat id"), max_length=64, blank=True, default="")
    escalate_after_minutes = models.PositiveIntegerField(_("escalate after (minutes)"), default=30)
    escalate_emails = models.TextField(_("escalate to (e-mail addresses)"), blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering: ClassVar = ["kind", "name"]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def __str__(self) -> str:
        return self.name


class Alert(models.Model):
    """One alert per story within the cool-down (``TABYIN_MONITOR_ALERT_COOLDOWN_HOURS``): a later
    trip of any rule on the same story updates this row (``count``, the latest figures) instead of
    firing a new alert. ``rule`` is the rule that fired it first (whose channels delivered it)."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="alerts")
    story = models.ForeignKey("monitor.Story", on_delete=models.CASCADE, related_name="alerts")
    created_at = models.DateTimeField(db_index=True)
    # The latest trip: why, with the figures at that moment (shown to people and sent to channels).
    reason = models.TextField()
    figures = models.JSONField(default=dict)
    # How many times a rule tripped on this story within the cool-down, when last, and each rule's
    # latest trip ({"rule", "kind", "at", "figures"}, in the order the rules first tripped).
    count = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(null=True, blank=True)
    trips = models.JSONField(default=list)
    # 0 for a story's first alert, 1 for the one after a quiet cool-down, ...: with the story, unique,
    # which settles the race between two workers firing the same story's alert.
    round = models.PositiveIntegerField(default=0)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering: ClassVar = ["-created_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["story", "round"], name="monitor_alert_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} / {self.story_id}"

    @property
    def kind(self) -> str:
        """The kind of the latest trip (the first rule's kind for an alert never updated)."""
        if not self.trips:
            return self.rule.kind
        latest = max(enumerate(self.trips), key=lambda pair: (str(pair[1].get("at", "")), pair[0]))[1]
        return str(latest.get("kind", ""))

    @property
    def description(self) -> str:
        """Why it fired, in the reader's language (rendered from ``figures``; ``reason`` as kept)."""
        return describe(self.kind, self.figures) or self.reason

    @property
    def descriptions(self) -> list[str]:
        """Each tripped rule's latest reason, in the order they first tripped."""
        found = [describe(str(t.get("kind", "")), t.get("figures") or {}) for t in self.trips]
        return [text for text in found if text] or [self.description]


class Delivery(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    target = models.CharField(max_length=500, blank=True, default="")
    escalation = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set while a worker sends it; a claim older than TABYIN_TASK_LOST_AFTER_SECONDS belongs to a
    # worker that died mid-send, and the retry sweep hands the delivery to another (ADR 0017).
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")
        ordering: ClassVar = ["alert", "id"]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.channel} {self.status}"


class Response(models.Model):
    """The organization's answer to a story flagged as a rumor: drafted, approved, published."""

    story = models.OneToOneField("monitor.Story", on_delete=models.CASCADE, related_name="response")
    status = models.CharField(max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    title = models.CharField(_("title"), max_length=300, blank=True, default="")
    body = models.TextField(_("answer"), blank=True, default="")
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, default="")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The answer's own spread, tracked like any story once published.
    answer_story = models.ForeignKey(
        "monitor.Story", null=True, blank=True, on_delete=models.SET_NULL, related_name="answer_to"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.story_id}: {self.status}"


class Publication(models.Model):
    """A published answer sent to one of the organization's own channels."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="publications")
    source = models.ForeignKey("monitor.Source", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    external_id = models.CharField(max_length=64, blank=True, default="")
    last_error = models.TextField(blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("publication of an answer")
        verbose_name_plural = _("publications of answers")

    def __str__(self) -> str:
        return f"{self.response_id} → {self.source_id}"


class Tip(models.Model):
    """An item a member of the public sent in to ask "is this true?".

    ``contact`` is kept only until the sender has been told of the answer, then erased.
    """

    text = models.TextField()
    link = models.URLField(max_length=1000, blank=True, default="")
    contact = models.CharField(max_length=254, blank=True, default="")
    status = models.CharField(max_length=16, choices=TipStatus.choices, default=TipStatus.NEW)
    post = models.OneToOneField(
        "monitor.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tipline item")
        verbose_name_plural = _("tipline items")
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return f"tip {self.pk} ({self.status})"


class Brief(models.Model):
    """The daily brief for managers, kept as sent (HTML and PDF)."""

    day = models.DateField(unique=True)
    html = models.TextField()
    pdf = models.BinaryField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)
    # The stories the brief names (top stories, then rumors): [{"id", "title"}], for the links on
    # a senior manager's /staff/ page without re-reading the day.
    stories = models.JSONField(default=list)

    class Meta:
        verbose_name = _("daily brief")
        verbose_name_plural = _("daily briefs")
        ordering: ClassVar = ["-day"]

    def __str__(self) -> str:
        return self.day.isoformat()
