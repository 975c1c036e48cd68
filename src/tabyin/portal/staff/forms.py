"""Forms of the portal's staff pages. They parse input only; every rule is in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import OrgUnit
from tabyin.portal.enums import NATIONAL, ExplanationKind, ExplanationState, FigureStatus
from tabyin.portal.models import Dataset, Explanation, Indicator

UPLOAD_SUFFIXES = (".csv", ".xlsx")


def _english() -> bool:
    return not (get_language() or settings.LANGUAGE_CODE).lower().startswith("fa")


class _DatasetChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title_en if _english() and obj.title_en else obj.title_fa)


class _IndicatorChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name_en if _english() and obj.name_en else obj.name_fa)


class ReleaseUploadForm(forms.Form):
    dataset = _DatasetChoice(queryset=Dataset.objects.order_by("theme__order", "slug"), label=_("Dataset"))
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    status = forms.ChoiceField(label=_("The figures are"), choices=FigureStatus.choices)
    is_correction = forms.BooleanField(
        label=_("This release corrects figures already published"), required=False
    )
    reason = forms.CharField(
        label=_("Reason for the correction (shown to the public)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(UPLOAD_SUFFIXES):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        if upload.size > settings.TABYIN_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": settings.TABYIN_UPLOAD_MAX_BYTES // 1048576}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("is_correction") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the figures are corrected."))
        return data


def evidence_lines(evidence: list[dict[str, str]]) -> str:
    return "\n".join(f"{item['title']} | {item['url']}" for item in evidence)


def parse_evidence(text: str) -> list[dict[str, str]]:
    """One link a line: ``title | https://…`` (the address is the last word of the line)."""
    items = []
    for line in text.splitlines():
        if not line.strip():
            continue
        title, _sep, url = line.strip().rpartition(" ")
        items.append({"title": title.strip().rstrip("|").strip(), "url": url.strip()})
    return items


class ExplanationForm(forms.Form):
    indicator = _IndicatorChoice(
        queryset=Indicator.objects.order_by("theme__order", "code"), label=_("Indicator")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ExplanationKind.choices)
    area = forms.ChoiceField(label=_("Area"), required=False)
    period = forms.CharField(
        label=_("Month (empty: every month)"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"dir": "ltr", "placeholder": "1403-11", "inputmode": "numeric"}),
    )
    title_fa = forms.CharField(label=_("Title (Persian)"), max_length=300)
    body_fa = forms.CharField(label=_("Text (Persian)"), widget=forms.Textarea(attrs={"rows": 8}))
    action_fa = forms.CharField(
        label=_("What we are doing about it (Persian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    title_en = forms.CharField(
        label=_("Title (English)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
    )
    body_en = forms.CharField(
        label=_("Text (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "ltr", "lang": "en"}),
    )
    action_en = forms.CharField(
        label=_("What we are doing about it (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr", "lang": "en"}),
    )
    evidence = forms.CharField(
        label=_("Evidence links"),
        help_text=_("One a line: a title, then the address, e.g. “Budget law | https://example.org/law”."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        areas: list[tuple[str, OrgUnit | None]],
        attachment_fixed: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        english = _english()
        labels = {"": _("Every area"), NATIONAL: _("The whole country (national figure)")}
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ChoiceField)
        area_field.choices = [
            (code, labels[code] if unit is None else unit.name("en" if english else "fa"))
            for code, unit in areas
        ]
        if attachment_fixed:
            for name in ("indicator", "area", "period"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed once the explanation has been published.")

    @classmethod
    def initial_for(cls, explanation: Explanation) -> dict[str, Any]:
        names = (
            "indicator",
            "kind",
            "area",
            "period",
            "title_fa",
            "body_fa",
            "action_fa",
            "title_en",
            "body_en",
            "action_en",
        )
        initial = {name: getattr(explanation, name) for name in names}
        initial["evidence"] = evidence_lines(explanation.evidence)
        return initial

    def clean_evidence(self) -> list[dict[str, str]]:
        return parse_evidence(self.cleaned_data.get("evidence") or "")

    def changes(self) -> dict[str, Any]:
        """The values for the service (disabled fields are left out: they cannot change)."""
        return {name: value for name, value in self.cleaned_data.items() if not self.fields[name].disabled}


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the author"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExplanationFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Every state")), *ExplanationState.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Every kind")), *ExplanationKind.choices]
    )
    indicator = _IndicatorChoice(
        queryset=Indicator.objects.order_by("theme__order", "code"),
        label=_("Indicator"),
        required=False,
        empty_label=_("Every indicator"),
        to_field_name="code",
    )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        found: dict[str, Any] = {}
        if data.get("state"):
            found["state"] = data["state"]
        if data.get("kind"):
            found["kind"] = data["kind"]
        if data.get("indicator"):
            found["indicator"] = data["indicator"]
        return found
