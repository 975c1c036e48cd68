"""The notification choices form (``notify.services``). Times are Tehran wall-clock."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.core.display.numbers import localize_digits
from tabyin.core.http import page_language
from tabyin.core.models import NotifyPreference


class NotifyPreferenceForm(forms.ModelForm):  # type: ignore[type-arg]
    """How a person hears about new work (``notify.services``). Times are Tehran wall-clock."""

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
