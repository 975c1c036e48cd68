"""A juror's score form: one field per criterion of the challenge's rubric."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.core.display.numbers import format_number
from tabyin.core.http import page_language
from tabyin.ideas.challenges.models import Challenge


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


class ConflictForm(forms.Form):
    note = forms.CharField(label=_("Why (kept for the organizer)"), max_length=300, required=False)
