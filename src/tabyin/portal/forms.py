"""Forms of the public site: the "was this clear?" answer and the query strings of its pages."""

from __future__ import annotations

import re
from typing import Any, Final

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.core.jalali import parse_period_code
from tabyin.core.persian_text import digits_to_ascii
from tabyin.portal.services_feedback import MAX_COMMENT, TARGETS


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


_AREA: Final = re.compile(r"IR(-[0-9]{2})?")


def period_code(value: str) -> str:
    """A well-formed month or period code in ASCII digits, or "" (the search form uses it too)."""
    value = digits_to_ascii(value.strip())
    try:
        parse_period_code(value)
    except ValueError:
        return ""
    return value


class IndicatorQuery(forms.Form):
    """``?area=IR-23&period=1404-05&view=per1000``: anything unknown falls back to the default."""

    area = forms.CharField(required=False, max_length=5)
    period = forms.CharField(required=False, max_length=7)
    view = forms.CharField(required=False, max_length=10)

    def values(self) -> dict[str, str]:
        """Well-formed values only (so odd addresses cannot multiply cached pages); whether the
        area and month exist is checked against the data by the view."""
        data: dict[str, Any] = self.cleaned_data if self.is_valid() else {}
        area = digits_to_ascii(str(data.get("area") or "")).upper()
        return {
            "area": area if _AREA.fullmatch(area) else "IR",
            "period": period_code(str(data.get("period") or "")),
            "view": "per1000" if data.get("view") == "per1000" else "",
        }
