from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.reception.plainlang.checker import problem_with
from tabyin.reception.plainlang.presentation import problem_message


class CheckForm(forms.Form):
    # No maxlength on the box: a browser would cut a long paste without saying so. The limit is
    # checked here and named in the error, with the whole text kept in the box.
    text = forms.CharField(
        label=_("Text to check"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "dir": "auto", "spellcheck": "false"}),
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        problem = problem_with(text)
        if problem is not None:
            raise forms.ValidationError(problem_message(problem, length=len(text)), code=problem.value)
        return text
