"""The organizer's forms for results: confirming the winners from the ranking, and editing an
implemented idea's tracker. They only read what was typed; the rules are in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.core.display.numbers import format_number
from tabyin.core.enums import UnitKind
from tabyin.core.http import page_language
from tabyin.core.models import OrgUnit
from tabyin.ideas.challenges.forms import DATE_HELP, LTR, JalaliDayField
from tabyin.ideas.jury.ranking import RankedEntry
from tabyin.ideas.results.enums import TrackStatus


class WinnersForm(forms.Form):
    winners = forms.TypedMultipleChoiceField(
        label=_("Winners"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Why the winners differ from the top of the ranking (published)"),
        required=False,
        help_text=_("Needed only when the chosen entries are not the first ones of the ranking."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    message = forms.CharField(
        label=_("Announcement"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, rows: list[tuple[RankedEntry, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = page_language()
        field = self.fields["winners"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [
            (
                int(r.entry_id),
                _("Rank %(rank)s: %(title)s (score %(score)s)")
                % {
                    "rank": format_number(r.position, language),
                    "title": title,
                    "score": format_number(r.score, language, 2),
                },
            )
            for r, title in rows
        ]


class _UnitChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name(page_language()))


def _units() -> Any:
    return OrgUnit.objects.filter(is_active=True).exclude(kind=UnitKind.BRANCH).order_by("kind", "code")


class TrackStartForm(forms.Form):
    owner_unit = _UnitChoice(label=_("Responsible unit"), queryset=OrgUnit.objects.none())
    summary = forms.CharField(label=_("What will be done"), widget=forms.Textarea(attrs={"rows": 3}))
    started = JalaliDayField(label=_("Started on"), help_text=DATE_HELP, widget=forms.TextInput(attrs=LTR))
    first_milestone = forms.CharField(label=_("First milestone"), max_length=200)
    first_due = JalaliDayField(
        label=_("First milestone due on"), help_text=DATE_HELP, widget=forms.TextInput(attrs=LTR)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner_unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _units()


class TrackForm(forms.Form):
    owner_unit = _UnitChoice(label=_("Responsible unit"), queryset=OrgUnit.objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=TrackStatus.choices)
    summary = forms.CharField(label=_("What will be done"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner_unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _units()


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due = JalaliDayField(
        label=_("Due on"), required=False, help_text=DATE_HELP, widget=forms.TextInput(attrs=LTR)
    )


class MilestoneDoneForm(forms.Form):
    done_on = JalaliDayField(label=_("Done on"), help_text=DATE_HELP, widget=forms.TextInput(attrs=LTR))
    evidence = forms.CharField(
        label=_("Evidence: a public address or a short description"), max_length=300, required=False
    )
    evidence_file = forms.FileField(
        label=_("Evidence file (a photo or a PDF, public)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.webp"}),
    )
