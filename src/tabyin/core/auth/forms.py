"""The sign-in forms: password, the authenticator code, the forgotten-password request."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from tabyin.core.persian_text import digits_to_ascii


class LoginForm(AuthenticationForm):
    """Password step. The request is passed to ``authenticate`` so the lock-out counts it."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "dir": "ltr"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "dir": "ltr"}),
    )


class OtpForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "dir": "ltr",
                "pattern": "[0-9۰-۹٠-٩ ]{6,8}",
            }
        ),
    )

    def clean_code(self) -> str:
        # People type Persian or Arabic-Indic digits on a Persian keyboard; accept them.
        code = digits_to_ascii(self.cleaned_data["code"]).replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(_("Enter the six digits shown in your app."))
        return code


class PasswordForgotForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
    )
