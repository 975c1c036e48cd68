"""The public search page: a thin view over ``search`` (matching, ranking, facets) and
``search_query`` (highlighting); see docs/modules/portal.md, "Search"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tabyin.core import jalali
from tabyin.core.http import page_language
from tabyin.portal.public import selectors
from tabyin.portal.public.views import _dataset_url
from tabyin.portal.search import query as search_query
from tabyin.portal.search import selectors as search
from tabyin.portal.search.forms import SearchForm


@dataclass(frozen=True)
class SearchItem:
    kind: str
    kind_label: str
    url: str
    title: SafeString  # escaped, matches in <mark>
    snippet: SafeString
    where: str  # province and month of an explanation, in words


def _search_url(kind: str, key: str) -> str:
    if kind == "dataset":
        return _dataset_url(key)
    name = {"province": "province", "theme": "theme", "indicator": "indicator", "explanation": "explanation"}
    return reverse(f"portal:{name[kind]}", args=[int(key) if kind == "explanation" else key])


def _search_items(results: search.SearchResults, names: dict[str, str], language: str) -> list[SearchItem]:
    labels = {
        "province": _("Province"),
        "theme": _("Theme"),
        "indicator": _("Figure"),
        "dataset": _("Dataset"),
        "explanation": _("Explanation"),
    }
    fa = language == "fa"
    items = []
    for hit in results.hits:
        d = hit.doc
        title = selectors.local(d, "title", language)
        text = selectors.local(d, "text", language)
        where = [names.get(d.area, "")] if d.kind == "explanation" and d.area else []
        if d.kind == "explanation" and d.period:
            where.append(jalali.format_month(d.period, language))
        items.append(
            SearchItem(
                kind=d.kind,
                kind_label=labels[d.kind],
                url=_search_url(d.kind, d.key),
                title=search_query.highlight(title, results.groups, persian_digits=fa),
                snippet=search_query.highlight(text, results.groups, snippet=True, persian_digits=fa),
                where="، ".join(where) if language == "fa" else ", ".join(where),
            )
        )
    return items


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    chosen = form.values()
    language = page_language()
    results = search.search(
        chosen["q"], theme=chosen["theme"], province=chosen["province"], period=chosen["period"]
    )
    names = {p.iso: p.name(language) for p in selectors.provinces()} if results.groups else {}
    themes = selectors.themes() if results.themes else []
    theme_names = {t.code: selectors.local(t, "name", language) for t in themes}

    def facets(kind: str, entries: list[search.Facet], label: Callable[[str], str]) -> list[tuple[Any, ...]]:
        links = search.facet_links(chosen, kind, entries)
        return [(label(f.value), f.count, active, href) for f, active, href in links]

    suggestion = ""
    if results.suggestion:
        suggestion = "?" + urlencode({"q": results.suggestion})
    context = {
        "form": form,
        "chosen": chosen,
        "results": results,
        "items": _search_items(results, names, language),
        "suggestion": results.suggestion,
        "suggestion_url": suggestion,
        "facets": [
            (_("Theme"), facets("theme", results.themes, lambda c: theme_names.get(c, c))),
            (_("Province"), facets("province", results.provinces, lambda c: names.get(c, c))),
            (_("Month"), facets("period", results.periods, lambda c: jalali.format_month(c, language))),
        ],
    }
    return render(request, "portal/search.html", context)
