"""The "was this clear?" answer, drawn under an indicator or an explanation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.portal.feedback.services import MAX_COMMENT, TARGETS


class FeedbackForm(forms.Form):
    target = forms.ChoiceField(choices=[(t, t) for t in TARGETS], widget=forms.HiddenInput)
    target_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    # The two submit buttons carry the answer: name="clear", value "yes" or "no".
    clear = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])
    comment = forms.CharField(
        label=_("Anything we should explain better? (optional)"),
        max_length=MAX_COMMENT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_COMMENT}),
    )
