"""The search page's query string."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.portal.public.forms import period_code


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    theme = forms.SlugField(required=False, max_length=64)
    province = forms.CharField(required=False, max_length=5)
    period = forms.CharField(required=False, max_length=7)

    def values(self) -> dict[str, str]:
        data: dict[str, Any] = self.cleaned_data if self.is_valid() else {}
        return {
            "q": str(data.get("q") or ""),
            "theme": str(data.get("theme") or ""),
            "province": str(data.get("province") or "").upper(),
            "period": period_code(str(data.get("period") or "")),
        }
