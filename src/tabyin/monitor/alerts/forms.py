"""Forms of the alert pages. They parse; what a rule must satisfy is checked in alerts.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.monitor.alerts import selectors as selectors_alerts
from tabyin.monitor.enums import AlertKind, Channel
from tabyin.monitor.models import AlertRule, WatchQuery


class AlertFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (selectors_alerts.OPEN, _("Not acknowledged")),
            (selectors_alerts.ACKNOWLEDGED, _("Acknowledged")),
            (selectors_alerts.ALL, _("All")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *AlertKind.choices]
    )

    def filters(self) -> selectors_alerts.AlertFilter:
        if not self.is_valid():
            return selectors_alerts.AlertFilter()
        return selectors_alerts.AlertFilter(
            status=self.cleaned_data["status"] or selectors_alerts.OPEN, kind=self.cleaned_data["kind"]
        )


class AlertRuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=AlertKind.choices)
    query = forms.ModelChoiceField(
        label=_("Watch query"),
        queryset=WatchQuery.objects.filter(is_active=True).order_by("kind", "name"),
        required=False,
        empty_label=_("Any watch query"),
        help_text=_(
            "Required for a negative-story rule; the other kinds watch every matching story without one."
        ),
    )
    threshold = forms.FloatField(
        label=_("Threshold"),
        min_value=0,
        help_text=_(
            "Reach: number of channels. Velocity: how many times the hourly mean of the 12 hours before."
        ),
    )
    min_channels = forms.IntegerField(
        label=_("Minimum new channels in the last hour (velocity)"), min_value=1, max_value=10_000
    )
    channels = forms.MultipleChoiceField(
        label=_("Deliver by"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    emails = forms.CharField(
        label=_("E-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "ltr"}),
        help_text=_("One per line or separated by commas."),
    )
    webhook_url = forms.URLField(
        label=_("Webhook address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"dir": "ltr"}),
    )
    webhook_secret = forms.CharField(
        label=_("Webhook signing secret"),
        required=False,
        max_length=128,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
        help_text=_("Leave empty to keep the current secret (a new rule gets a random one)."),
    )
    bot_chat_id = forms.CharField(
        label=_("Bot chat id"), required=False, max_length=64, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    escalate_after_minutes = forms.IntegerField(
        label=_("Escalate after (minutes)"),
        min_value=0,
        max_value=7 * 24 * 60,
        help_text=_("If nobody acknowledges the alert by then; 0 turns escalation off."),
    )
    escalate_emails = forms.CharField(
        label=_("Escalate to (e-mail addresses)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "ltr"}),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)

    @classmethod
    def initial_for(cls, rule: AlertRule | None) -> dict[str, Any]:
        source = rule or AlertRule(channels=[Channel.IN_APP.value])
        initial = {name: getattr(source, name) for name in cls.base_fields if name != "webhook_secret"}
        initial["query"] = source.query_id
        return initial

    def values(self) -> dict[str, Any]:
        """Keyword arguments for ``alert_rule_save``: an empty secret field leaves the secret alone."""
        data = dict(self.cleaned_data)
        if not data.get("webhook_secret"):
            data.pop("webhook_secret", None)
        return data
