"""Forms of public meetings. Dates are typed in the Jalali calendar and times in Tehran time; the
services check every rule again."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tabyin.core import selectors as core_selectors
from tabyin.core.jalali import parse_typed_date
from tabyin.core.models import OrgUnit
from tabyin.core.persian_text import digits_to_ascii
from tabyin.reception.meetings.enums import Audience, CommitmentStatus, ContactKind
from tabyin.reception.meetings.services import MeetingSpec

_TIME = re.compile(r"(\d{1,2})[:٫.](\d{2})")
LTR_NUMERIC = {"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}
JALALI_HELP = _("Jalali date, for example ۱۴۰۵/۱۰/۲۰.")
TIME_HELP = _("Tehran time, for example ۱۷:۳۰.")


def _date(value: str) -> date:
    try:
        return parse_typed_date(value)
    except ValueError:
        raise forms.ValidationError(_("Type a Jalali date such as ۱۴۰۵/۱۰/۲۰.")) from None


def _time(value: str) -> time:
    match = _TIME.fullmatch(digits_to_ascii(value.strip()))
    if match is None or int(match[1]) > 23:
        raise forms.ValidationError(_("Type a time such as ۱۷:۳۰."))
    return time(int(match[1]), int(match[2]))


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    province = forms.ModelChoiceField(label=_("Province"), queryset=OrgUnit.objects.none())
    audience = forms.ChoiceField(label=_("Who it is for"), choices=Audience.choices)
    host = forms.CharField(
        label=_("Host"), max_length=200, help_text=_("Who meets people, e.g. the province's director.")
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300)
    day = forms.CharField(
        label=_("Day"), max_length=20, help_text=JALALI_HELP, widget=forms.TextInput(attrs=LTR_NUMERIC)
    )
    starts = forms.CharField(
        label=_("Starts at"), max_length=5, help_text=TIME_HELP, widget=forms.TextInput(attrs=LTR_NUMERIC)
    )
    ends = forms.CharField(
        label=_("Ends at"), max_length=5, help_text=TIME_HELP, widget=forms.TextInput(attrs=LTR_NUMERIC)
    )
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=10_000)
    topics = forms.CharField(label=_("Topics"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, provinces: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["province"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = provinces if provinces is not None else core_selectors.provinces()

    def clean_day(self) -> date:
        return _date(self.cleaned_data["day"])

    def clean_starts(self) -> time:
        return _time(self.cleaned_data["starts"])

    def clean_ends(self) -> time:
        return _time(self.cleaned_data["ends"])

    def spec(self) -> MeetingSpec:
        data = self.cleaned_data
        day: date = data["day"]

        def at(moment: time) -> datetime:
            return timezone.make_aware(datetime.combine(day, moment))

        return MeetingSpec(
            title=data["title"],
            audience=Audience(data["audience"]),
            host=data["host"],
            place=data["place"],
            address=data["address"],
            starts_at=at(data["starts"]),
            ends_at=at(data["ends"]),
            capacity=data["capacity"],
            topics=data["topics"],
        )


class RegisterForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    kind = forms.ChoiceField(
        label=_("Send the code by"),
        choices=ContactKind.choices,
        initial=ContactKind.PHONE,
        widget=forms.RadioSelect,
    )
    contact = forms.CharField(
        label=_("Mobile number or e-mail address"),
        max_length=254,
        help_text=_("We send a code there and a reminder the day before; it is erased a month after."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "tel"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Confirmation code"),
        max_length=12,
        widget=forms.TextInput(attrs={**LTR_NUMERIC, "autocomplete": "one-time-code"}),
    )


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question for the meeting"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Others can vote it up; the most-voted are answered first. Write no name or number."),
    )


class HeldForm(forms.Form):
    attendance = forms.IntegerField(label=_("People who came"), min_value=0, max_value=100_000)


class CommitmentForm(forms.Form):
    text = forms.CharField(
        label=_("What was promised"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=OrgUnit.objects.filter(is_active=True)
    )
    due = forms.CharField(
        label=_("Due by"), max_length=20, help_text=JALALI_HELP, widget=forms.TextInput(attrs=LTR_NUMERIC)
    )

    def clean_due(self) -> date:
        return _date(self.cleaned_data["due"])


class CommitmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    note = forms.CharField(label=_("Latest news (public)"), max_length=500, required=False)


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason shown in its place"), max_length=200)
