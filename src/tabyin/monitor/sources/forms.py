"""Forms of the source pages: add a source, paste a text or a link. Checks beyond field shapes are
in ``sources.services`` (a form error comes back from its ``ValidationError``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.core.enums import UnitKind
from tabyin.core.form_renderer import help_with_code
from tabyin.core.models import OrgUnit
from tabyin.monitor.enums import SourceKind

KINDS = [(k.value, k.label) for k in (SourceKind.RSS, SourceKind.TELEGRAM, SourceKind.EITAA)]


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=KINDS)
    handle = forms.CharField(
        label=_("Channel username or feed id"),
        max_length=128,
        required=False,
        help_text=help_with_code(
            _("For a channel: its username, e.g. {example}. For a news site it may stay empty."),
            example="akhbarefori",
        ),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    url = forms.URLField(
        label=_("Feed address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Needed for a news site: the address of its RSS or Atom feed."),
        widget=forms.URLInput(attrs={"dir": "ltr"}),
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    province = forms.ModelChoiceField(
        label=_("Province"),
        required=False,
        queryset=OrgUnit.objects.filter(kind=UnitKind.PROVINCE).order_by("code"),
        help_text=_("A provincial outlet: its posts count as that province's mentions."),
    )
    is_owned = forms.BooleanField(label=_("Owned by the organization"), required=False)
    via_account = forms.BooleanField(
        label=_("Read through the logged-in Telegram account"),
        required=False,
        help_text=help_with_code(
            _(
                "For the few Telegram channels that need minute-level freshness; needs the {extra} "
                "extra and the settings {settings}."
            ),
            extra="telegram-account",
            settings=("TABYIN_TELETHON_API_ID", "TABYIN_TELETHON_API_HASH"),
        ),
    )


class PasteForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A post or message as you received it."),
    )
    link = forms.URLField(
        label=_("Or a link"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=_("The address of a news article: its main text is read and stored."),
        widget=forms.URLInput(attrs={"dir": "ltr"}),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if bool(data.get("text")) == bool(data.get("link")):
            raise forms.ValidationError(_("Paste either a text or a link, not both."))
        return data
