"""Forms of campaign planning. The services check everything again; the forms only read."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.campaigns.enums import MaterialKind, ProvinceRole, Segment
from tabyin.core.enums import UnitKind
from tabyin.core.form_renderer import help_with_code
from tabyin.core.http import page_language
from tabyin.core.jalali import period_bounds
from tabyin.core.models import OrgUnit
from tabyin.core.registry import registry


def _month(value: str) -> date:
    try:
        return period_bounds(value)[0]
    except ValueError:
        raise forms.ValidationError(_("Write a Jalali month such as 1405-07.")) from None


if TYPE_CHECKING:
    _Choice = forms.ModelMultipleChoiceField[OrgUnit]
else:  # the stubs' generic is not subscriptable at run time
    _Choice = forms.ModelMultipleChoiceField


class ProvinceChoice(_Choice):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return (obj.name_en or obj.name_fa) if page_language() == "en" else obj.name_fa


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    aim = forms.CharField(label=_("Aim"), widget=forms.Textarea(attrs={"rows": 3}))
    segments = forms.MultipleChoiceField(
        label=_("Audience segments"), choices=Segment.choices, widget=forms.CheckboxSelectMultiple
    )
    start_month = forms.CharField(
        label=_("First month"),
        max_length=7,
        help_text=help_with_code(_("Jalali year and month, e.g. {example}."), example="1405-07"),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    end_month = forms.CharField(
        label=_("Last month"), max_length=7, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    outcome_name = forms.CharField(label=_("Outcome measure"), max_length=200)
    provinces = ProvinceChoice(
        label=_("Campaign provinces"), queryset=OrgUnit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    held_out = ProvinceChoice(
        label=_("Provinces held out for comparison"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    key_messages = forms.CharField(
        label=_("Key messages, one per line"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, is_active=True).order_by("code")
        for name in ("provinces", "held_out"):
            field = self.fields[name]
            assert isinstance(field, ProvinceChoice)
            field.queryset = provinces

    def clean_start_month(self) -> date:
        return _month(self.cleaned_data["start_month"])

    def clean_end_month(self) -> date:
        return _month(self.cleaned_data["end_month"])


class OutcomeForm(forms.Form):
    rows = forms.CharField(
        label=_("Outcome values"),
        widget=forms.Textarea(attrs={"rows": 6, "dir": "ltr"}),
        help_text=help_with_code(
            _(
                "One line per province and month: the province's code, the Jalali month and "
                "the value, e.g. {example}."
            ),
            example="IR-23,1405-07,1250",
        ),
    )


ROLE_NONE = ""


class PlanForm(forms.Form):
    """Every active province: its role in the campaign and, if it runs the campaign, the Jalali
    month it starts there. ``count`` and ``seed`` feed the balanced hold-out suggestion."""

    # Text inputs on the numeric keyboard: a number input refuses Persian digits.
    count = forms.IntegerField(
        label=_("How many provinces to hold out"),
        min_value=1,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric", "size": 3}),
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        help_text=_("The same seed gives the same split."),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric", "size": 6}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = list(OrgUnit.objects.filter(kind=UnitKind.PROVINCE, is_active=True).order_by("code"))
        english = page_language() == "en"
        roles = [(ROLE_NONE, _("Not in this campaign")), *ProvinceRole.choices]
        for unit in self.units:
            name = (unit.name_en or unit.name_fa) if english else unit.name_fa
            self.fields[f"role_{unit.iso_code}"] = forms.ChoiceField(
                label=name, choices=roles, required=False
            )
            self.fields[f"month_{unit.iso_code}"] = forms.CharField(
                label=_("Launch month in %(province)s") % {"province": name},
                max_length=7,
                required=False,
                widget=forms.TextInput(attrs={"dir": "ltr", "size": 7}),
            )

    def rows(self) -> list[tuple[OrgUnit, forms.BoundField, forms.BoundField]]:
        return [(u, self[f"role_{u.iso_code}"], self[f"month_{u.iso_code}"]) for u in self.units]

    def chosen(self) -> list[OrgUnit]:
        """The provinces with a role (the candidates of a suggested split)."""
        return [u for u in self.units if self.cleaned_data.get(f"role_{u.iso_code}")]

    def roles(self) -> tuple[dict[OrgUnit, date], list[OrgUnit]]:
        """(campaign provinces with their launch month, held-out provinces); errors on the form."""
        treated: dict[OrgUnit, date] = {}
        held_out: list[OrgUnit] = []
        for unit in self.units:
            role = self.cleaned_data.get(f"role_{unit.iso_code}")
            if role == ProvinceRole.HELD_OUT:
                held_out.append(unit)
            elif role == ProvinceRole.TREATED:
                try:
                    treated[unit] = _month(self.cleaned_data.get(f"month_{unit.iso_code}") or "")
                except forms.ValidationError as error:
                    self.add_error(f"month_{unit.iso_code}", error)
        return treated, held_out


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text (for a text material)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    image = forms.FileField(label=_("Image (JPEG, PNG or WebP)"), required=False)
    url = forms.URLField(
        label=_("Video address"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"dir": "ltr"}),
    )


class MaterialEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    url = forms.URLField(
        label=_("Video address"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"dir": "ltr"}),
    )


class SeriesForm(forms.Form):
    """A published series (the portal's indicators by province and month) as the outcome."""

    series = forms.ChoiceField(label=_("Published indicator"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["series"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(ref.key, str(ref.label)) for ref in registry.series_catalog()]
