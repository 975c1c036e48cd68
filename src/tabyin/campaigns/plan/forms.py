"""Forms of campaign planning. The services check everything again; the forms only read."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.campaigns.enums import Segment
from tabyin.core.enums import UnitKind
from tabyin.core.form_renderer import help_with_code
from tabyin.core.http import page_language
from tabyin.core.jalali import period_bounds
from tabyin.core.models import OrgUnit


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
