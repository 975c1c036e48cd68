"""The one way every form on every page is drawn (``settings.FORM_RENDERER``).

``{{ form }}`` renders ``core/forms/form.html`` and ``{{ field.as_field_group }}`` renders
``core/forms/field.html``: label or legend, required mark, help text, errors (numbers in Persian
digits on Persian pages) and the widget, tied together with ``aria-describedby`` and
``aria-invalid``. Apps never draw a field by hand, so a fix to the markup reaches every form.

The templates come from the project's template engine (``TemplatesSetting``), so they see the
``persian`` builtins; Django's own widget templates are found through ``django.forms`` in
``INSTALLED_APPS``.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.forms.renderers import TemplatesSetting
from django.utils.functional import Promise, lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_noop

from tabyin.core.labels import join_labels

# Django 6.1's label for an empty select choice; its Persian catalogue does not have it yet, so ours
# carries the translation (a msgid our catalogue holds overrides Django's).
BLANK_CHOICE = gettext_noop("- Select an option -")


class FormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


def _code(text: str) -> SafeString:
    return format_html('<code dir="ltr" translate="no">{}</code>', text)


Code = str | Promise | Sequence[str]


def _help_with_code(text: str | Promise, codes: dict[str, Code]) -> SafeString:
    shown = {
        name: _code(str(value))
        if isinstance(value, str | Promise)
        else SafeString(join_labels(_code(v) for v in value))
        for name, value in codes.items()
    }
    return format_html(str(text), **shown)


_help_with_code_lazy = lazy(_help_with_code, SafeString)


def help_with_code(text: str | Promise, /, **codes: Code) -> SafeString:
    """A help text naming what people type (an environment variable, a query operator, a JSON
    example): ``text`` is the translated sentence with ``{name}`` places, each code is shown as
    ``<code dir="ltr">`` (several, as a list), escaped. Kept out of the sentence so a translator
    cannot change it, and marked so the Persian reader sees it as code, not as an English word.
    Lazy: evaluated in the page's language when the field is drawn."""
    return _help_with_code_lazy(text, codes)


__all__ = ["FormRenderer", "help_with_code"]
