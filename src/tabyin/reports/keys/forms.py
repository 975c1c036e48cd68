"""Forms of the key pages: set a passphrase, change it, unlock the key for the session.

Forms only parse what was typed; the services decide.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class KeysSetupForm(forms.Form):
    passphrase = forms.CharField(
        label=_("New passphrase"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; a few unrelated words are easy to remember and hard to guess."),
    )
    again = forms.CharField(
        label=_("The passphrase again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("passphrase") and data.get("passphrase") != data.get("again"):
            self.add_error("again", _("The two passphrases differ."))
        return data


class KeysChangeForm(KeysSetupForm):
    current = forms.CharField(
        label=_("Current passphrase"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    field_order = ("current", "passphrase", "again")


class KeysUnlockForm(forms.Form):
    passphrase = forms.CharField(
        label=_("Passphrase"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
