"""Forms of the review page: approve, send back, comment, correct a value, score a rubric. They
parse what was typed; every rule is in the services, whose ``ValidationError`` the views show."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.core.http import page_language
from tabyin.core.templatetags.persian import persian_digits
from tabyin.scorecard.enums import ValueStatus
from tabyin.scorecard.models import Indicator

_TEXT = forms.Textarea(attrs={"rows": 3})


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What must change"), widget=_TEXT, max_length=4000)


class ApproveForm(forms.Form):
    comment = forms.CharField(label=_("Comment (optional)"), widget=_TEXT, required=False, max_length=4000)


def _code_choices(indicators: Iterable[Indicator], *, blank: str | None = None) -> list[tuple[str, str]]:
    choices = [("", blank)] if blank is not None else []
    fa = page_language() == "fa"
    return choices + [(i.code, f"{i.code} {i.name_fa if fa else i.name_en or i.name_fa}") for i in indicators]


class CommentForm(forms.Form):
    code = forms.ChoiceField(label=_("On"), required=False)
    text = forms.CharField(label=_("Comment"), widget=_TEXT, max_length=4000)

    def __init__(self, *args: Any, indicators: Iterable[Indicator] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = _code_choices(indicators, blank=str(_("The whole submission")))  # type: ignore[attr-defined]


class CorrectionForm(forms.Form):
    code = forms.ChoiceField(label=_("Sub-indicator"))
    status = forms.ChoiceField(label=_("Status"), choices=ValueStatus.choices, initial=ValueStatus.REPORTED)
    value = forms.CharField(label=_("Value (or rate in percent, or 1 for yes and 0 for no)"), required=False)
    numerator = forms.CharField(label=_("Numerator"), required=False)
    denominator = forms.CharField(label=_("Denominator"), required=False)
    reason = forms.CharField(label=_("Reason for the correction"), widget=_TEXT, max_length=4000)

    def __init__(self, *args: Any, indicators: Iterable[Indicator] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = _code_choices(indicators)  # type: ignore[attr-defined]
        for name in ("value", "numerator", "denominator"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def raw(self) -> dict[str, str]:
        data = self.cleaned_data
        return {k: data.get(k) or "" for k in ("status", "value", "numerator", "denominator")}


class RubricForm(forms.Form):
    code = forms.ChoiceField(label=_("Sub-indicator"))
    level = forms.TypedChoiceField(
        label=_("Level"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("What the evidence shows"), widget=_TEXT, max_length=4000)

    def __init__(self, *args: Any, indicators: Iterable[Indicator] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = _code_choices(indicators)  # type: ignore[attr-defined]
        # The levels' labels in the page's digits (the values stay 1…5).
        self.fields["level"].choices = [(n, persian_digits(n)) for n in range(1, 6)]  # type: ignore[attr-defined]
