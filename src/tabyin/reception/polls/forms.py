"""Forms of comprehension polls: the staff's new poll (three question slots) and the public answer
form built from a poll's questions. The services check everything again; the forms only read."""

from __future__ import annotations

from typing import Any, Final

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from tabyin.core.display.numbers import format_number
from tabyin.core.form_renderer import help_with_code
from tabyin.core.http import page_language
from tabyin.core.persian_text import digits_to_ascii, digits_to_persian
from tabyin.reception.polls import cache
from tabyin.reception.polls.enums import (
    CLARITY_MAX,
    CLARITY_MIN,
    MAX_QUESTIONS,
    OPEN_ANSWER_LIMIT,
    QuestionKind,
)
from tabyin.reception.polls.models import Poll
from tabyin.reception.polls.services import QuestionSpec, question_field

CLARITY_LABELS = {
    1: _("1 — not clear at all"),
    2: _("2 — hardly clear"),
    3: _("3 — partly clear"),
    4: _("4 — clear"),
    5: _("5 — entirely clear"),
}
assert sorted(CLARITY_LABELS) == list(range(CLARITY_MIN, CLARITY_MAX + 1))
UNKNOWN_CHOICE = _("That answer is not one of this question's options; choose one of them.")


class PollForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    target_path = forms.CharField(
        label=_("Page address on this site"),
        max_length=300,
        required=False,
        help_text=help_with_code(
            _("For example {example} — or leave it empty and name the announcement."),
            example="/explanations/3/",
        ),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    target_title = forms.CharField(label=_("Announcement"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        persian = page_language() == "fa"
        # A suggestion only: one question of each kind, in the order a reader meets them.
        kinds = (QuestionKind.CHOICE, QuestionKind.CLARITY, QuestionKind.OPEN)
        for n in range(1, MAX_QUESTIONS + 1):
            shown = digits_to_persian(str(n)) if persian else str(n)
            self.fields[f"q{n}_text"] = forms.CharField(
                label=_("Question %(n)s") % {"n": shown}, max_length=300, required=n == 1
            )
            self.fields[f"q{n}_kind"] = forms.ChoiceField(
                label=_("Kind of question %(n)s") % {"n": shown},
                choices=QuestionKind.choices,
                initial=kinds[n - 1],
            )
            self.fields[f"q{n}_choices"] = forms.CharField(
                label=_("Options of question %(n)s, one per line") % {"n": shown},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"q{n}_correct"] = forms.CharField(
                label=_("Number of the correct option of question %(n)s") % {"n": shown},
                required=False,
                max_length=2,
            )

    def questions(self) -> list[QuestionSpec]:
        specs = []
        for n in range(1, MAX_QUESTIONS + 1):
            text = self.cleaned_data.get(f"q{n}_text", "")
            if not text:
                continue
            correct = digits_to_ascii(self.cleaned_data.get(f"q{n}_correct", "")).strip()
            specs.append(
                QuestionSpec(
                    kind=self.cleaned_data[f"q{n}_kind"],
                    text=text,
                    choices=[c for c in self.cleaned_data.get(f"q{n}_choices", "").splitlines() if c.strip()],
                    correct=int(correct) - 1 if correct.isdigit() and int(correct) > 0 else None,
                )
            )
        return specs


class AnswerForm(forms.Form):
    """One field per question (``q1``…) and the optional, self-declared province."""

    def __init__(self, *args: Any, poll: Poll, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in poll.questions.all():
            name = question_field(question)
            errors = {"invalid_choice": UNKNOWN_CHOICE, "required": _("Choose an answer to this question.")}
            if question.kind == QuestionKind.CHOICE:
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    choices=[(str(i), text) for i, text in enumerate(question.choices)],
                    widget=forms.RadioSelect,
                    error_messages=errors,
                )
            elif question.kind == QuestionKind.CLARITY:
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    choices=[(str(i), CLARITY_LABELS[i]) for i in range(CLARITY_MIN, CLARITY_MAX + 1)],
                    widget=forms.RadioSelect,
                    error_messages=errors,
                )
            else:
                # No maxlength attribute: a browser would silently cut a pasted text; the service
                # refuses an over-long answer and the form shows it again, whole.
                self.fields[name] = forms.CharField(
                    label=question.text,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    # Built per request (the form is), so the active language applies.
                    help_text=_("Optional; up to %(limit)s characters.")
                    % {"limit": format_number(OPEN_ANSWER_LIMIT, page_language())},
                )
        english = page_language() == "en"
        provinces = [(p.iso_code, p.name_en if english else p.name_fa) for p in cache.provinces().values()]
        self.fields["province"] = forms.ChoiceField(
            label=_("Your province (optional)"),
            choices=[("", _("I'd rather not say")), *provinces],
            required=False,
            error_messages={"invalid_choice": _("Choose a province from the list, or none.")},
            help_text=_("Only if you wish; we never guess it."),
        )

    def answers(self) -> dict[str, object]:
        return {name: value for name, value in self.cleaned_data.items() if name != "province"}


# The fields of one answer form per poll, language and list of provinces (ADR 0042).
_answer_fields: dict[tuple[int, object, str | None], tuple[object, dict[str, forms.Field]]] = {}
_NO_FILES: Final[MultiValueDict[str, Any]] = MultiValueDict()


def valid_answers(data: QueryDict, poll: Poll) -> dict[str, Any] | None:
    """``AnswerForm(data, poll=poll).cleaned_data`` when the form is valid, else ``None``, without
    building the form: its fields are built once and reused, since a field's ``clean`` keeps no
    state and the form has no ``clean`` of its own (what ``Form._clean_fields`` does, field by
    field). Building the form (31 provinces, the choices normalized) was a fifth of an answer."""
    provinces = cache.provinces()
    key = (poll.pk, poll.created_at, translation.get_language())
    kept = _answer_fields.get(key)
    if kept is None or kept[0] is not provinces:
        if len(_answer_fields) >= cache.MAX_POLLS:
            _answer_fields.clear()
        kept = (provinces, AnswerForm(poll=poll).fields)
        _answer_fields[key] = kept
    cleaned: dict[str, Any] = {}
    for name, form_field in kept[1].items():
        try:
            cleaned[name] = form_field.clean(form_field.widget.value_from_datadict(data, _NO_FILES, name))
        except ValidationError:
            return None
    return cleaned
