"""Forms of the configuration pages. Checks of meaning live in services_config; the forms parse."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tabyin.core.enums import UnitKind
from tabyin.core.form_renderer import help_with_code
from tabyin.core.models import OrgUnit
from tabyin.reports.config import services as services_config
from tabyin.reports.enums import Level
from tabyin.reports.models import RECEIVING_KINDS, Category, RoutingRule

MAX_DAYS = 36500  # a hundred years: anything longer is a typing mistake
QUESTIONS_MAX_CHARS = 50_000


def _provinces() -> forms.ModelChoiceField[OrgUnit]:
    return forms.ModelChoiceField(
        queryset=OrgUnit.objects.filter(kind=UnitKind.PROVINCE, is_active=True).order_by("iso_code"),
        required=False,
        label=_("Only for reports about this province"),
        empty_label=_("Any place (the general rule)"),
        to_field_name="iso_code",
    )


class CategoryForm(forms.Form):
    name_fa = forms.CharField(label=_("Persian name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200)
    description_fa = forms.CharField(
        label=_("Persian description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("English description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    questions = forms.CharField(
        label=_("Questions (JSON)"),
        required=False,
        max_length=QUESTIONS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 14, "dir": "ltr", "spellcheck": "false"}),
        help_text=help_with_code(
            _(
                "A list of questions, e.g. {example}. Types: {types}. A choice question has {choices}; "
                "{show_if} shows a question only after that answer to an earlier one."
            ),
            example='[{"key": "paid", "type": "yesno", "required": true, "label_fa": "…", "label_en": "…"}]',
            types=("text", "number", "choice", "yesno", "date"),
            # The labels in the example are placeholders a person replaces: translated.
            choices=_('"choices": [["value", "Persian", "English"], …]'),
            show_if='"show_if": {"key": "answer"}',
        ),
    )
    retention_days = forms.IntegerField(
        label=_("Keep for (days after closing)"), min_value=1, max_value=MAX_DAYS
    )
    reminder_days = forms.IntegerField(
        label=_("Remind handlers this many days before deletion"), min_value=0, max_value=MAX_DAYS
    )
    deadline_days = forms.IntegerField(label=_("Handling deadline (days)"), min_value=1, max_value=3650)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767)
    is_active = forms.BooleanField(label=_("Active (offered on the public form)"), required=False)

    @classmethod
    def initial_for(cls, category: Category) -> dict[str, Any]:
        initial = {name: getattr(category, name) for name in services_config.CATEGORY_FIELDS}
        initial["questions"] = json.dumps(category.questions, ensure_ascii=False, indent=2)
        return initial

    def clean_questions(self) -> list[Any]:
        text = (self.cleaned_data.get("questions") or "").strip()
        if not text:
            return []
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(
                _("This is not valid JSON (line %(line)d, column %(column)d: %(problem)s).")
                % {"line": error.lineno, "column": error.colno, "problem": error.msg},
                code="json",
            ) from None
        return services_config.questions_check(value)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        retention, reminder = cleaned.get("retention_days"), cleaned.get("reminder_days")
        if retention is not None and reminder is not None and reminder >= retention:
            self.add_error(
                "reminder_days", _("The reminder must come before the end of the retention period.")
            )
        return cleaned


class RuleForm(forms.Form):
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(), label=_("Category"), to_field_name="code"
    )
    province = _provinces()
    unit_kind = forms.ChoiceField(label=_("Receiving unit"), choices=RECEIVING_KINDS)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    skip_if_named = forms.BooleanField(
        label=_("Never send to a unit whose own staff the report names"), required=False, initial=True
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    @classmethod
    def initial_for(cls, rule: RoutingRule) -> dict[str, Any]:
        return {
            "category": rule.category.code,
            "province": rule.province.iso_code if rule.province else None,
            "unit_kind": rule.unit_kind,
            "level": rule.level,
            "skip_if_named": rule.skip_if_named,
            "is_active": rule.is_active,
        }


class PreviewForm(forms.Form):
    """The plain facts routing looks at; a GET form, since it changes nothing."""

    category = forms.ModelChoiceField(
        queryset=Category.objects.all(), label=_("Category"), to_field_name="code"
    )
    province = forms.ModelChoiceField(
        queryset=OrgUnit.objects.filter(kind=UnitKind.PROVINCE, is_active=True).order_by("iso_code"),
        required=False,
        label=_("Province"),
        empty_label=_("Headquarters or no single province"),
        to_field_name="iso_code",
    )
    concerns = forms.MultipleChoiceField(
        label=_("The report names staff of"),
        choices=RECEIVING_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    excluded = forms.MultipleChoiceField(
        label=_("The reporter excludes"),
        choices=RECEIVING_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
