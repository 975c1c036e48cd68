"""The forms of a rumor's page: assign, draft, return with a note."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import User
from tabyin.monitor.responses.services import BODY_MAX, NOTE_MAX, TITLE_MAX


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)

    def __init__(self, *args: Any, analysts: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.analysts = {str(u.pk): u for u in analysts}
        choices = [("", _("Nobody"))] + [
            (k, u.get_full_name() or u.username) for k, u in self.analysts.items()
        ]
        field = self.fields["assignee"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def chosen(self) -> User | None:
        return self.analysts.get(self.cleaned_data.get("assignee") or "")


class DraftForm(forms.Form):
    title = forms.CharField(label=_("Title of the answer"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("The answer"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
        help_text=_("State the facts plainly, with the figures and where they come from."),
    )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What should change"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
