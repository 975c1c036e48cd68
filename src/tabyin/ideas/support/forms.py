"""The insured-only challenges' extra fields on the support form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class InsuredForm(forms.Form):
    insurance_number = forms.CharField(
        label=_("Insurance number"),
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    national_code = forms.CharField(
        label=_("National code"),
        max_length=12,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
