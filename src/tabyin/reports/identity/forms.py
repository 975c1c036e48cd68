"""The form of a custodian's decision on an identity request.

The handler's request form is on the case page, so it lives with the case forms (``cases.forms``).

Forms only parse what was typed; the services decide.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve: disclose to the unit")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason for the decision"), widget=forms.Textarea(attrs={"rows": 3}))
