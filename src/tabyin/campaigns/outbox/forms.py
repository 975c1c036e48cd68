"""Forms of the outbox: the one message (written once), and the newsletter's subscribe form.
The services check everything again; the forms only read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import jdatetime
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tabyin.campaigns.enums import Channel
from tabyin.core.form_renderer import help_with_code
from tabyin.core.persian_text import digits_to_ascii


class MessageForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Written once, in Persian; the preview shows how each channel will carry it."),
    )
    channels = forms.MultipleChoiceField(label=_("Channels"), widget=forms.CheckboxSelectMultiple)
    image_url = forms.URLField(
        label=_("Image address (optional)"), required=False, widget=forms.URLInput(attrs={"dir": "ltr"})
    )
    send_at = forms.CharField(
        label=_("Send at (optional)"),
        required=False,
        max_length=20,
        help_text=help_with_code(
            _("A Jalali date and Tehran time such as {example}; empty sends as soon as it is approved."),
            example="1405/09/20 10:30",
        ),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )

    def __init__(self, *args: Any, available: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["channels"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(c, Channel(c).label) for c in available]
        field.initial = available

    def clean_send_at(self) -> datetime | None:
        text = digits_to_ascii(self.cleaned_data.get("send_at") or "").strip()
        if not text:
            return None
        try:
            moment = jdatetime.datetime.strptime(text, "%Y/%m/%d %H:%M").togregorian()
        except ValueError:
            raise forms.ValidationError(_("Write the date and time as in the example.")) from None
        return timezone.make_aware(moment, timezone.get_default_timezone())


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), widget=forms.EmailInput(attrs={"dir": "ltr"}))
