"""Forms of the framework pages. They collect what was typed; every rule (numbers with Persian
digits, targets, weights, the engine's checks) is applied by ``services_framework``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.scorecard.enums import DataSource, Denominator, Direction, IndicatorKind, Normalization
from tabyin.scorecard.framework.selectors import plain
from tabyin.scorecard.models import Indicator

_NUMBER = {"dir": "ltr", "inputmode": "decimal", "autocomplete": "off"}
_SUB_ONLY = (
    "kind", "direction", "normalization", "denominator", "target", "unit_fa", "unit_en",
    "evidence_fa", "evidence_en", "evidence_required", "source", "metric",
)  # fmt: skip


def _text(
    label: Any, lang: str, *, rows: int = 0, required: bool = False, max_length: int | None = None
) -> forms.CharField:
    # Each text is in one language whatever the page's, so the box says which (direction, fonts,
    # screen readers).
    attrs = {"lang": lang, "dir": "rtl" if lang == "fa" else "ltr"}
    widget = forms.Textarea(attrs={"rows": rows, **attrs}) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget, strip=False)


class IndicatorForm(forms.Form):
    """One indicator of a draft version. A main indicator has only names, a definition and a weight."""

    name_fa = _text(_("Persian name"), "fa", required=True, max_length=300)
    name_en = _text(_("English name"), "en", required=True, max_length=300)
    definition_fa = _text(_("Definition (Persian)"), "fa", rows=4)
    definition_en = _text(_("Definition (English)"), "en", rows=4)
    kind = forms.ChoiceField(label=_("Type"), choices=IndicatorKind.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    normalization = forms.ChoiceField(
        label=_("Normalization"),
        choices=Normalization.choices,
        help_text=_("A rate, yes/no or rubric level may use the fixed scale; a count or a duration may not."),
    )
    denominator = forms.ChoiceField(
        label=_("Divided by"), choices=Denominator.choices, help_text=_("Only a count is divided.")
    )
    target = forms.CharField(
        label=_("Target"),
        required=False,
        widget=forms.TextInput(attrs=_NUMBER),
        help_text=_(
            "In the indicator's unit: hours for a duration, percent for a rate. Needed for distance "
            "to target."
        ),
    )
    unit_fa = _text(_("Unit (Persian)"), "fa", max_length=60)
    unit_en = _text(_("Unit (English)"), "en", max_length=60)
    weight = forms.CharField(
        label=_("Weight"),
        widget=forms.TextInput(attrs=_NUMBER),
        help_text=_(
            "Relative to the other indicators at the same level. Persian digits are fine, e.g. ۱۲٫۵."
        ),
    )
    evidence_fa = _text(_("Required evidence (Persian)"), "fa", rows=2)
    evidence_en = _text(_("Required evidence (English)"), "en", rows=2)
    evidence_required = forms.BooleanField(label=_("Evidence must be attached"), required=False)
    source = forms.ChoiceField(label=_("Data source"), choices=DataSource.choices)
    metric = forms.CharField(
        label=_("Platform metric"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
        help_text=_("Only for a computed indicator, e.g. portal.explanations_published."),
    )

    def __init__(self, *args: Any, main: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if main:
            for name in _SUB_ONLY:
                del self.fields[name]
        self.order_fields(["name_fa", "name_en", "definition_fa", "definition_en", "weight"])

    @staticmethod
    def initial_for(indicator: Indicator) -> dict[str, Any]:
        fields = ("name_fa", "name_en", "definition_fa", "definition_en", *_SUB_ONLY)
        initial = {name: getattr(indicator, name) for name in fields}
        weight, target = plain(indicator.weight), plain(indicator.target)
        initial["weight"] = "" if weight is None else str(weight)
        initial["target"] = "" if target is None else str(target)
        return initial

    def changes(self) -> dict[str, Any]:
        """What to hand to ``indicator_update``: numbers as typed, the service reads them."""
        return {name: self.cleaned_data[name] for name in self.fields}


class ReviseForm(forms.Form):
    change_note = forms.CharField(
        label=_("What the new version changes, and why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown beside the version. The current version stays as it is."),
    )
