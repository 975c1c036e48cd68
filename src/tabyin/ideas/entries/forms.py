"""The public form of an idea or a contest entry; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tabyin.core import selectors as core_selectors
from tabyin.core.http import page_language
from tabyin.ideas.challenges.enums import ChallengeKind, MediaKind
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries.enums import AUTHOR_NAME_MAX, BODY_MAX, TITLE_MAX
from tabyin.ideas.entries.services import Draft


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's recipe for several files in one field; the service checks each one's bytes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class EntryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Your idea"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )
    author_name = forms.CharField(
        label=_("Name to show with it (optional)"), max_length=AUTHOR_NAME_MAX, required=False
    )
    attachments = MultipleFileField(
        label=_("Files (optional, up to three)"),
        required=False,
        help_text=_(
            "Photo, poster, PDF, MP3/OGG audio or MP4 video. Kept private: only screeners and jurors "
            "see them."
        ),
    )

    def __init__(self, *args: Any, challenge: Challenge, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        english = page_language() == "en"
        if challenge.categories:
            self.fields["category"] = forms.ChoiceField(
                label=pgettext_lazy("ideas", "Category"), choices=[(c, c) for c in challenge.categories]
            )
        if challenge.kind == ChallengeKind.CONTEST:
            self.fields["body"].label = _("About your work")
            self.fields["media_kind"] = forms.ChoiceField(
                label=_("Kind of entry"),
                choices=[(k, MediaKind(k).label) for k in challenge.media_kinds],
            )
            self.fields["link"] = forms.URLField(
                label=_("Link to the work (optional)"),
                required=False,
                widget=forms.URLInput(attrs={"dir": "ltr"}),
            )
        provinces = [(p.iso_code, p.name_en if english else p.name_fa) for p in core_selectors.provinces()]
        self.fields["province"] = forms.ChoiceField(
            label=_("Your province (optional)"),
            choices=[("", _("I'd rather not say")), *provinces],
            required=False,
        )
        self.order_fields(
            ["category", "media_kind", "title", "body", "link", "attachments", "author_name", "province"]
        )

    def draft(self) -> Draft:
        data = self.cleaned_data
        return Draft(
            title=data["title"],
            body=data["body"],
            category=data.get("category", ""),
            author_name=data.get("author_name", ""),
            province_iso=data.get("province", ""),
            media_kind=data.get("media_kind", ""),
            link=data.get("link", ""),
        )
