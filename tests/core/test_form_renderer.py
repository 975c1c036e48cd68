"""The one form renderer: exact markup per widget, errors and help in Persian digits, ARIA ties;
and no template outside core draws a form field by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.utils import translation

from tabyin.core.form_renderer import FormRenderer, help_with_code

SRC = Path(__file__).resolve().parents[2] / "src" / "tabyin"
FIELD_KIT = SRC / "core" / "templates" / "core" / "forms"


class Sample(forms.Form):
    name = forms.CharField(label="Name", help_text="At most 10 letters", max_length=10)
    body = forms.CharField(label="Body", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")])
    active = forms.BooleanField(label="Active", required=False)
    pick = forms.ChoiceField(label="Pick", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(
        label="Many", choices=[("a", "A")], widget=forms.CheckboxSelectMultiple, required=False
    )
    doc = forms.FileField(label="Document", required=False, widget=forms.FileInput)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, object]:
        raise forms.ValidationError("Try again in 15 minutes.")


def _html(data: dict[str, object] | None = None, language: str = "fa") -> str:
    with translation.override(language):
        form = Sample(data=data)
        if data is not None:
            form.is_valid()
        return re.sub(r"\s*\n\s*", "\n", str(form))


def test_the_project_renders_forms_with_core_renderer() -> None:
    assert settings.FORM_RENDERER == "tabyin.core.form_renderer.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)


class Typed(forms.Form):
    # The help text is in the page's language when drawn (lazy); the code's digits stay ASCII.
    query = forms.CharField(
        label="Query",
        help_text=help_with_code(
            "Use {op} or {ops} in 2 places; see {example}.",
            op="NOT",
            ops=("OR", "|"),
            example='{"a": 10} <b>',
        ),
    )


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "fa",
            (
                'Use <code dir="ltr" translate="no">NOT</code> or <code dir="ltr" translate="no">OR</code>،'
                ' <code dir="ltr" translate="no">|</code> in ۲ places; see'
                ' <code dir="ltr" translate="no">{&quot;a&quot;: 10} &lt;b&gt;</code>.'
            ),
        ),
        (
            "en",
            (
                'Use <code dir="ltr" translate="no">NOT</code> or <code dir="ltr" translate="no">OR</code>,'
                ' <code dir="ltr" translate="no">|</code> in 2 places; see'
                ' <code dir="ltr" translate="no">{&quot;a&quot;: 10} &lt;b&gt;</code>.'
            ),
        ),
    ],
)
def test_help_text_shows_what_people_type_as_code(language: str, text: str) -> None:
    with translation.override(language):
        html = str(Typed())
    assert f'<p class="help" id="id_query_helptext">{text}</p>' in html


def test_text_field_with_help_text_and_error_in_persian_digits() -> None:
    html = _html({"name": "x" * 12})

    assert (
        '<div class="field field--text field--invalid">\n'
        '<label for="id_name">Name <span class="req">(الزامی)</span></label>\n'
        '<p class="help" id="id_name_helptext">At most ۱۰ letters</p>\n'
        '<ul class="errorlist" id="id_name_error" data-testid="errors-name">'
        "<li>طول این مقدار باید حداکثر ۱۰ کاراکتر باشد (طولش ۱۲ است).</li></ul>\n"
        '<input type="text" name="name" value="xxxxxxxxxxxx" maxlength="10" required aria-invalid="true"'
        ' aria-describedby="id_name_helptext id_name_error" id="id_name">\n</div>'
    ) in html


def test_non_field_errors_come_first_as_an_alert_with_persian_digits() -> None:
    html = _html({"name": "ok"})

    assert html.startswith(
        '<ul class="errorlist" role="alert" data-testid="form-errors"><li>Try again in ۱۵ minutes.</li></ul>'
    )


def test_english_pages_keep_ascii_digits() -> None:
    html = _html({"name": "x" * 12}, language="en")

    assert '<p class="help" id="id_name_helptext">At most 10 letters</p>' in html
    assert "Ensure this value has at most 10 characters (it has 12)." in html


def test_textarea_and_optional_fields_have_no_required_mark() -> None:
    assert (
        '<div class="field field--textarea">\n<label for="id_body">Body</label>\n'
        '<textarea name="body" cols="40" rows="3" id="id_body">\n</textarea>\n</div>'
    ) in _html()


def test_select_with_error() -> None:
    html = _html({"name": "ok"})

    assert (
        '<div class="field field--select field--invalid">\n'
        '<label for="id_kind">Kind <span class="req">(الزامی)</span></label>\n'
        '<ul class="errorlist" id="id_kind_error" data-testid="errors-kind">'
        "<li>پر کردن این بخش لازم است.</li></ul>\n"
        '<select name="kind" aria-invalid="true" aria-describedby="id_kind_error" id="id_kind">'
    ) in html


def test_checkbox_comes_before_its_label() -> None:
    assert (
        '<div class="field field--checkbox">\n'
        '<div class="check"><input type="checkbox" name="active" id="id_active"> '
        '<label for="id_active">Active</label></div>\n</div>'
    ) in _html()


def test_radio_buttons_are_a_fieldset_with_a_legend_described_by_the_error() -> None:
    html = _html({"name": "ok"})

    assert (
        '<div class="field field--radioselect field--invalid">\n'
        '<fieldset class="choices" aria-describedby="id_pick_error">'
        '<legend>Pick <span class="req">(الزامی)</span></legend>\n'
        '<ul class="errorlist" id="id_pick_error" data-testid="errors-pick">'
        "<li>پر کردن این بخش لازم است.</li></ul>\n"
        '<div id="id_pick"><div>\n<label for="id_pick_0"><input type="radio" name="pick" value="a" required'
        ' aria-invalid="true" id="id_pick_0">\nA</label>'
    ) in html


def test_checkbox_select_multiple_is_a_fieldset_too() -> None:
    assert (
        '<div class="field field--checkboxselectmultiple">\n'
        '<fieldset class="choices"><legend>Many</legend>\n'
        '<div id="id_many"><div>\n<label for="id_many_0"><input type="checkbox" name="many" value="a"'
        ' id="id_many_0">\nA</label>'
    ) in _html()


def test_file_input_and_hidden_field() -> None:
    html = _html()

    assert (
        '<div class="field field--file">\n<label for="id_doc">Document</label>\n'
        '<input type="file" name="doc" id="id_doc">\n</div>'
    ) in html
    assert html.endswith('<input type="hidden" name="token" id="id_token">')


# --- no copies ------------------------------------------------------------------------------------

DELETED = [
    "core/_form_fields.html",
    "portal/staff/_fields.html",
    "reports/staff/_fields.html",
    "scorecard/staff/_fields.html",
    "scorecard/staff/framework_fields.html",
    "monitor/staff/responses_fields.html",
]
# Drawing a bound field by hand: its label id, its label tag, its help text, its error list.
BY_HAND = re.compile(r"id_for_label|label_tag|\.auto_id|\.help_text|for \w+ in [\w.]*\.errors|\.errors\.\w")
# Fields that are not Django form fields: each reason says why they stay.
NOT_DJANGO_FIELDS = {
    # The public report form is built from the configured category's questions (ReportForm, not a
    # django.forms.Form), with conditional questions and per-choice help.
    "reports/templates/reports/public/_field.html": "ReportForm field specs",
    # The scorecard entry is drawn from the framework's indicators (rate/yes-no/rubric sub-forms);
    # its rebuild as one page per main indicator is issue 16 point 5.
    "scorecard/templates/scorecard/staff/entry.html": "framework indicators",
    # A campaign's plan is a table, one row per province with its role and launch month side by
    # side: a field group (label, help, errors stacked) would break the row into a column.
    "campaigns/templates/campaigns/plan.html": "one table row per province",
}


def _templates() -> list[Path]:
    return sorted(p for p in SRC.rglob("templates/**/*.html") if FIELD_KIT not in p.parents)


def test_the_field_template_copies_are_gone_and_nothing_includes_them() -> None:
    templates = _templates()
    sources = [*templates, *SRC.rglob("*.py")]

    assert [name for name in DELETED if any(p.as_posix().endswith(name) for p in templates)] == []
    assert [(str(p), name) for p in sources for name in DELETED if name in p.read_text()] == []


def test_no_template_outside_core_draws_a_field_by_hand() -> None:
    found = sorted(
        str(p.relative_to(SRC))
        for p in _templates()
        if BY_HAND.search(p.read_text()) and str(p.relative_to(SRC)) not in NOT_DJANGO_FIELDS
    )

    assert found == []


@pytest.mark.parametrize("path", sorted(NOT_DJANGO_FIELDS))
def test_the_allowed_exceptions_still_exist(path: str) -> None:
    assert BY_HAND.search((SRC / path).read_text())
