from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tabyin.core.display.numbers import localize_digits
from tabyin.core.http import page_language
from tabyin.core.models import NotifyPreference
from tabyin.core.persian_text import digits_to_ascii

# Django 6.1's label for an empty select choice; its Persian catalogue does not have it yet, so ours
# carries the translation (a msgid our catalogue holds overrides Django's).
BLANK_CHOICE = gettext_noop("- Select an option -")


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


class NotifyPreferenceForm(forms.ModelForm):  # type: ignore[type-arg]
    """How a person hears about new work (``services_notify``). Times are Tehran wall-clock."""

    class Meta:
        model = NotifyPreference
        fields = ("email", "bot", "bot_chat_id", "quiet_from", "quiet_until", "digest", "digest_hour")
        widgets = {  # noqa: RUF012 (Django's declaration)
            "quiet_from": forms.TimeInput(attrs={"type": "time"}),
            "quiet_until": forms.TimeInput(attrs={"type": "time"}),
            "bot_chat_id": forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
        }
        help_texts = {  # noqa: RUF012
            "bot_chat_id": _(
                "Your chat id with the organization's bot: the bot tells you when you start a chat with it."
            ),
            "quiet_from": _("Nothing goes out by e-mail or bot between these two times (Tehran time)."),
            "digest_hour": _("The hour of the day (0 to 23, Tehran time) the digest is sent."),
        }

    def __init__(self, *args: object, bot_available: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        hour = self.fields["digest_hour"]
        # A choice of hours in the page's digits rather than a typed number.
        self.fields["digest_hour"] = forms.TypedChoiceField(
            label=hour.label,
            help_text=hour.help_text,
            coerce=int,
            choices=[(h, localize_digits(f"{h:02d}:00", page_language())) for h in range(24)],
        )
        if not bot_available:
            del self.fields["bot"]
            del self.fields["bot_chat_id"]

    def clean_digest_hour(self) -> int:
        hour = int(self.cleaned_data["digest_hour"])
        if not 0 <= hour <= 23:
            raise forms.ValidationError(_("Enter an hour from 0 to 23."))
        return hour

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (data.get("quiet_from") is None) != (data.get("quiet_until") is None):
            self.add_error("quiet_until", _("Give both ends of the quiet hours, or neither."))
        if data.get("bot") and not str(data.get("bot_chat_id") or "").strip():
            self.add_error("bot_chat_id", _("Give your chat id to receive messages from the bot."))
        return data
