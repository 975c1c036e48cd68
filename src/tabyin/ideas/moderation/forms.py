"""The screening form: a decision and the reason the author will read; nothing of their text."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.moderation.services import DECISIONS, REASON_MAX


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[(d.value, d.label) for d in DECISIONS], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason (the author reads it)"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    duplicate_of = forms.IntegerField(
        label=_("Same as entry number"), required=False, min_value=1, help_text=_("Only for a duplicate.")
    )


__all__ = ["EntryStatus", "ModerationForm"]
