"""A juror's score form (one field per criterion of the rubric) and the organizer's jury forms:
seat a juror, name a conflict, move one review to another juror."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.core.display.numbers import format_number
from tabyin.core.http import page_language
from tabyin.core.models import User
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.judging import selectors


class ScoreForm(forms.Form):
    def __init__(self, *args: Any, challenge: Challenge, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = page_language()
        for criterion in challenge.rubric:
            self.fields[criterion["key"]] = forms.CharField(
                label=_("%(criterion)s (0 to %(max)s, weight %(weight)s)")
                % {
                    "criterion": criterion["label"],
                    "max": format_number(criterion["max"], language),
                    "weight": format_number(criterion["weight"], language, 2),
                },
                max_length=6,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}),
            )


class FeedbackForm(forms.Form):
    # Checked by ``feedback.check_text`` (length, no name, no contact details), not here, so every
    # refusal reads the same wherever the text comes from.
    text = forms.CharField(
        label=_("Your feedback to the author"),
        help_text=_(
            "What was strong and what could be better. The author reads it after the organizer "
            "releases it, without your name; leave out names, addresses and phone numbers."
        ),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ConflictForm(forms.Form):
    note = forms.CharField(label=_("Why (kept for the organizer)"), max_length=300, required=False)


class _SeatChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        name = obj.user.display_name or obj.user.username
        return str(
            _("Juror %(n)s · %(name)s") % {"n": format_number(obj.number, page_language()), "name": name}
        )


class _UserChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name or obj.username)


class SeatForm(forms.Form):
    user = _UserChoice(label=_("Staff member with the jury member role"), queryset=User.objects.none())

    def __init__(self, *args: Any, challenge: Challenge, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.juror_candidates(challenge)


def _seat_field(challenge: Challenge, label: Any) -> _SeatChoice:
    return _SeatChoice(
        label=label, queryset=challenge.jurors.select_related("user").order_by("number"), empty_label=None
    )


ENTRY_HELP = _("The number the screening queue shows.")


class NamedConflictForm(forms.Form):
    entry = forms.IntegerField(
        label=_("Entry number"),
        help_text=ENTRY_HELP,
        min_value=1,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    note = forms.CharField(label=_("Why (kept for the record)"), max_length=300)

    def __init__(self, *args: Any, challenge: Challenge, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"seat": _seat_field(challenge, _("Juror")), **self.fields}


class ReassignForm(forms.Form):
    entry = forms.IntegerField(
        label=_("Entry number"),
        help_text=ENTRY_HELP,
        min_value=1,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, challenge: Challenge, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from_seat"] = _seat_field(challenge, _("From juror"))
        self.fields["to_seat"] = _seat_field(challenge, _("To juror"))


class CompareForm(forms.Form):
    """One of the two buttons of the pairwise page: which entry was preferred to which."""

    winner = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    loser = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
