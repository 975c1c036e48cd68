"""The dashboard's and the story list's filter form (GET: it works without JavaScript and the
filtered page has an address that can be shared). Bad values fall back to the defaults."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import OrgUnit
from tabyin.monitor.enums import SourceKind
from tabyin.monitor.models import WatchQuery
from tabyin.monitor.selectors_dashboard import Filters

PERIOD_CHOICES = [("24h", _("Last 24 hours")), ("7d", _("Last 7 days")), ("30d", _("Last 30 days"))]


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class DashboardFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES, required=False)
    kind = forms.ChoiceField(label=_("Source type"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    query = forms.ChoiceField(label=_("Watch query"), required=False)

    def __init__(
        self,
        *args: Any,
        provinces: Sequence[OrgUnit] = (),
        queries: Sequence[WatchQuery] = (),
        language: str = "fa",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "kind").choices = [("", _("All")), *SourceKind.choices]
        _choices(self, "province").choices = [("", _("All"))] + [
            (str(p.pk), p.name_en if language == "en" else p.name_fa) for p in provinces
        ]
        _choices(self, "query").choices = [("", _("All"))] + [(str(q.pk), q.name) for q in queries]

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            period=data["period"] or "7d",
            source_kind=data["kind"] or "",
            province_id=int(data["province"]) if data["province"] else None,
            query_id=int(data["query"]) if data["query"] else None,
        )


class StoryFilterForm(DashboardFilterForm):
    rumors = forms.BooleanField(label=_("Flagged rumors only"), required=False)

    def rumors_only(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data["rumors"])
