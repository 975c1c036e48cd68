"""Forms of key messages: a new announcement with its key messages, a key message's edit, and a
misreading cluster's answer. The services check everything again; the forms only read."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tabyin.core import selectors as core_selectors
from tabyin.core.jalali import TEHRAN, parse_typed_date
from tabyin.core.persian_text import digits_to_ascii
from tabyin.reception.messages.enums import MAX_MESSAGES, AnnouncementKind
from tabyin.reception.messages.services import AnnouncementSpec
from tabyin.reception.polls.models import Poll

LTR_NUMERIC = {"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=AnnouncementKind.choices)
    url = forms.CharField(
        label=_("Address"), max_length=300, required=False, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    published = forms.CharField(
        label=_("Published on"),
        help_text=_("Jalali date, for example ۱۴۰۵/۱۰/۲۰."),
        widget=forms.TextInput(attrs=LTR_NUMERIC),
    )
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=core_selectors.provinces(), required=False, empty_label=_("National")
    )
    messages = forms.CharField(
        label=_("Key messages"),
        help_text=_(
            "One to five, one per line: short sentences with their numbers, dates and who is eligible."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    story_key = forms.CharField(
        label=_("Monitor story number"), required=False, widget=forms.TextInput(attrs=LTR_NUMERIC)
    )
    terms = forms.CharField(
        label=_("Terms that name it"),
        required=False,
        help_text=_("One per line; posts naming any of them in the window are its coverage."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    window_days = forms.IntegerField(label=_("Days of coverage"), min_value=1, max_value=90, initial=14)
    poll = forms.ModelChoiceField(label=_("Poll"), queryset=Poll.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["poll"].queryset = Poll.objects.order_by("-created_at")  # type: ignore[attr-defined]

    def clean_published(self) -> datetime:
        try:
            day = parse_typed_date(self.cleaned_data["published"])
        except ValueError:
            raise forms.ValidationError(_("Type a Jalali date such as ۱۴۰۵/۱۰/۲۰.")) from None
        return timezone.make_aware(datetime.combine(day, time(9, 0)), TEHRAN)

    def clean_story_key(self) -> int | None:
        value = digits_to_ascii(self.cleaned_data["story_key"].strip())
        if not value:
            return None
        if not value.isdigit():
            raise forms.ValidationError(_("Type the story's number in digits."))
        return int(value)

    def clean_messages(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["messages"].splitlines() if line.strip()]
        if not 1 <= len(lines) <= MAX_MESSAGES:
            raise forms.ValidationError(_("Give one to five key messages."))
        return lines

    def spec(self) -> AnnouncementSpec:
        data = self.cleaned_data
        return AnnouncementSpec(
            title=data["title"],
            kind=data["kind"],
            published_at=data["published"],
            messages=data["messages"],
            url=data["url"],
            province=data["province"],
            story_key=data["story_key"],
            terms=data["terms"],
            window_days=data["window_days"],
            poll=data["poll"],
        )


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Key message"), max_length=300)
    facts = forms.CharField(
        label=_("Facts it is checked on"),
        required=False,
        help_text=_("One per line, as written; leave empty to take them from the sentence."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    message = forms.IntegerField(widget=forms.HiddenInput)
    signature = forms.CharField(max_length=300, widget=forms.HiddenInput)
    story = forms.IntegerField(widget=forms.HiddenInput)
