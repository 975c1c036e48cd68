"""The two steps of proving a contact: where to send the code, then the code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.ideas.identity.models import ContactKind


class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Send the code to my"), choices=ContactKind.choices, widget=forms.RadioSelect, initial="phone"
    )
    value = forms.CharField(
        label=_("Mobile number or e-mail address"),
        max_length=254,
        help_text=_("Used only to send you the code and news of your entry; never shown to anybody."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "tel"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The six-digit code we sent"),
        max_length=12,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
