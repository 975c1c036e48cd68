"""The public "is this true?" form. The service validates again; this form gives the page its fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.monitor.responses.services_tips import LINK_MAX, TEXT_MAX, clean_contact, clean_link


class TipForm(forms.Form):
    text = forms.CharField(
        label=_("What did you read or hear?"),
        help_text=_("Paste the message or describe it. Up to 4,000 characters."),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        error_messages={"required": _("Write or paste the item you want to ask about.")},
    )
    link = forms.CharField(
        label=_("Where did you see it? (optional)"),
        help_text=_("A web address, if you have one."),
        max_length=LINK_MAX,
        required=False,
        widget=forms.URLInput(attrs={"dir": "ltr", "inputmode": "url", "autocomplete": "url"}),
    )
    contact = forms.CharField(
        label=_("Your e-mail address (optional)"),
        help_text=_(
            "Only to tell you once when we publish an answer to this item. We erase the address as soon "
            "as that e-mail is sent, and never use it for anything else. Leave it empty to stay unknown."
        ),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
    )

    def clean_link(self) -> str:
        return clean_link(self.cleaned_data.get("link", ""))

    def clean_contact(self) -> str:
        return clean_contact(self.cleaned_data.get("contact", ""))
