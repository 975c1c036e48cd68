"""The dashboard's and the story list's filter form (GET: it works without JavaScript and the
filtered page has an address that can be shared). Bad values fall back to the defaults."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import OrgUnit
from tabyin.monitor.dashboard.selectors import Filters
from tabyin.monitor.enums import SourceKind
from tabyin.monitor.models import WatchQuery

PERIOD_CHOICES = [("24h", _("Last 24 hours")), ("7d", _("Last 7 days")), ("30d", _("Last 30 days"))]
DEFAULT_PERIOD = Filters.period


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class DashboardFilterForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"), choices=PERIOD_CHOICES, required=False, initial=DEFAULT_PERIOD
    )
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
        # The selector must show the period the figures are for: a missing or unknown period is the
        # default one, on screen as in the figures.
        if self.is_bound and self.data.get("period") not in dict(PERIOD_CHOICES):
            data = cast(Any, self.data).copy()  # a QueryDict (GET) or a dict in tests
            data["period"] = DEFAULT_PERIOD
            self.data = data
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
            period=data["period"] or DEFAULT_PERIOD,
            source_kind=data["kind"] or "",
            province_id=int(data["province"]) if data["province"] else None,
            query_id=int(data["query"]) if data["query"] else None,
        )

    def summary(self) -> list[str]:
        """What the figures below are for, as words: every filter, applied or not."""
        filters = self.filters()
        names = {
            name: dict(cast(Any, _choices(self, name).choices)) for name in ("kind", "province", "query")
        }
        parts = [
            str(dict(PERIOD_CHOICES)[filters.period]),
            str(names["kind"].get(filters.source_kind, _("all source types")))
            if filters.source_kind
            else str(_("all source types")),
            str(names["province"].get(str(filters.province_id), ""))
            if filters.province_id
            else str(_("all provinces")),
            _("watch query: %(name)s") % {"name": names["query"].get(str(filters.query_id), "")}
            if filters.query_id
            else str(_("all watch queries")),
        ]
        if filters.all_matches:
            parts.append(str(_("also stories not about the organization")))
        else:
            parts.append(str(_("only mentions of the organization")))
        return parts


class StoryFilterForm(DashboardFilterForm):
    rumors = forms.BooleanField(label=_("Flagged rumors only"), required=False)
    everything = forms.BooleanField(
        label=_("Also stories that are not about the organization (a place or another organization only)"),
        required=False,
    )

    def rumors_only(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data["rumors"])

    def filters(self) -> Filters:
        filters = super().filters()
        if self.is_valid() and self.cleaned_data["everything"]:
            return Filters(filters.period, filters.source_kind, filters.province_id, filters.query_id, True)
        return filters

    def summary(self) -> list[str]:
        parts = super().summary()
        if self.rumors_only():
            parts.append(str(_("flagged rumors only")))
        return parts
