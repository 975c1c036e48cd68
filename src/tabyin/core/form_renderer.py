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

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


__all__ = ["FormRenderer"]
