"""Forms of the watch-query pages and the sentiment correction. The query's syntax is checked by
``queries.services.query_save`` (its ``ValidationError`` comes back as a field error)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.core.enums import UnitKind
from tabyin.core.form_renderer import help_with_code
from tabyin.core.models import OrgUnit
from tabyin.monitor.enums import QueryKind, Sentiment


class QueryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=QueryKind.choices)
    expression = forms.CharField(
        label=_("Query"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_with_code(
            _(
                'Words side by side must all occur; "quoted words" are a phrase; {either} or «یا» for '
                "either; {not_} or a leading {minus} to exclude; parentheses group; a trailing {star} "
                "matches the start of a word."
            ),
            either=("OR", "|"),
            not_="NOT",
            minus="-",
            star="*",
        ),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        required=False,
        queryset=OrgUnit.objects.filter(kind=UnitKind.PROVINCE).order_by("code"),
        help_text=_("For a province query: its mentions are shown to that province's officers."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    weight = forms.IntegerField(
        label=_("Relevance points"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_(
            "Points a match adds to a post's relevance to the organization. Empty: the kind's default (the "
            "organization, an official or a service 10; a topic 4; a province or another organization 0)."
        ),
    )


class ThresholdForm(forms.Form):
    threshold = forms.IntegerField(
        label=_("Points a post needs to be a mention of the organization"),
        min_value=1,
        max_value=100,
        help_text=_("A post's points are the sum of the points of the watch queries it matches."),
    )


class TryForm(forms.Form):
    text = forms.CharField(
        label=_("Text"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 5}), strip=True
    )
    expression = forms.CharField(
        label=_("A query to test (optional)"), max_length=2000, required=False, widget=forms.TextInput()
    )


class CorrectionForm(forms.Form):
    sentiment = forms.ChoiceField(label=_("Sentiment"), choices=Sentiment.choices)
    next = forms.CharField(required=False, max_length=2000)
