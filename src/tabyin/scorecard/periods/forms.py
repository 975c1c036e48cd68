"""Forms of the periods' pages: open a period, score it again with another framework version, and
the appeals against its results (lodged and decided). They parse what was typed; every rule is in
the services, whose ``ValidationError`` the views show as is."""

from __future__ import annotations

from typing import Any

import jdatetime
from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.core.http import page_language
from tabyin.core.persian_text import digits_to_ascii
from tabyin.scorecard.models import Framework
from tabyin.scorecard.periods.selectors import frameworks

_TEXT = forms.Textarea(attrs={"rows": 3})


class _FrameworkChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        name = obj.name_fa if page_language() == "fa" or not obj.name_en else obj.name_en
        state = obj.get_state_display()
        return f"{name} · v{obj.version} ({state})"


class JalaliDateField(forms.CharField):
    """A Jalali date typed as 1404/12/20 (Persian or Latin digits, / or -); a Gregorian date out."""

    def to_python(self, value: Any) -> Any:
        text = digits_to_ascii(str(value or "")).strip().replace("-", "/")
        if not text:
            return None
        try:
            year, month, day = (int(p) for p in text.split("/"))
            gregorian = jdatetime.date(year, month, day).togregorian()
        except (ValueError, TypeError):
            raise forms.ValidationError(
                _("Type a Jalali date as year/month/day, for example 1404/12/20.")
            ) from None
        return gregorian


class PeriodCreateForm(forms.Form):
    code = forms.CharField(
        label=_("Period code"),
        max_length=16,
        help_text=_("A Jalali year (1404), a half (1404-H1) or a quarter (1404-Q3)."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    framework = _FrameworkChoice(queryset=Framework.objects.none(), label=_("Framework version"))
    entry_deadline = JalaliDateField(
        label=_("Data-entry deadline (Jalali, optional)"),
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "placeholder": "۱۴۰۴/۱۲/۲۰", "autocomplete": "off"}),
    )
    appeal_days = forms.IntegerField(label=_("Appeal window (days)"), min_value=1, max_value=90, initial=14)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["framework"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = frameworks()

    def clean_code(self) -> str:
        return digits_to_ascii(self.cleaned_data["code"]).strip().upper()


class RescoreForm(forms.Form):
    framework = _FrameworkChoice(queryset=Framework.objects.none(), label=_("Score with"), required=False)

    def __init__(self, *args: Any, choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["framework"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = choices if choices is not None else Framework.objects.none()
        field.empty_label = _("the period's current version")


# --- Appeals --------------------------------------------------------------------------------------


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Grounds of the appeal"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
        help_text=_("Say which result you contest and why, with the evidence the reviewers should look at."),
    )


class AppealDecideForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "accept",
        choices=[("accept", _("Accept (evaluators may correct and score again)")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    decision = forms.CharField(label=_("Reasons"), widget=_TEXT, max_length=8000)
