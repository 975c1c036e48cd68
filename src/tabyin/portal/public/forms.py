"""The query strings of the public pages (the "was this clear?" form is in feedback/)."""

from __future__ import annotations

import re
from typing import Any, Final

from django import forms

from tabyin.core.jalali import parse_period_code
from tabyin.core.persian_text import digits_to_ascii

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
