"""Search over datasets, indicators and published explanations.

Stored rows carry ``search_text``, the ``persian_text.search_key`` of their words, written by the
services that save them. A query goes through the same function word by word, so Arabic ي/ك,
optional hamza (تامین/تأمین), ZWNJ and Persian digits match whichever way they were typed; every
word must match (AND). A row whose ``search_text`` is empty is not searchable: it is the writer's
job to fill it, never the reader's.

Matching is a substring ``LIKE`` on every database (SQLite and PostgreSQL alike). The one place
that may pick by engine is ``_word_filter``: a trigram or full-text variant for PostgreSQL would
go there, with this LIKE as the working fallback.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlencode

from django.db.models import Q

from tabyin.core.persian_text import normalize, search_key
from tabyin.portal.enums import ExplanationState
from tabyin.portal.models import Dataset, Explanation, Indicator, Observation, Theme

MAX_WORDS: Final = 8
MAX_QUERY_LENGTH: Final = 200
MAX_RESULTS: Final = 50  # per type; the page says when there are more


def query_words(text: str) -> list[str]:
    """The query as match keys, one per word, longest first (the most selective filter first)."""
    words = {search_key(w) for w in normalize(text[:MAX_QUERY_LENGTH]).split()}
    return sorted((w for w in words if w), key=len, reverse=True)[:MAX_WORDS]


def _word_filter(words: list[str]) -> Q:
    """Every word is a substring of ``search_text`` (keys are already case-folded, so a plain,
    case-sensitive LIKE is enough). The only place that may pick by database engine: today both
    use LIKE; on PostgreSQL a pg_trgm GIN index would serve this same LIKE unchanged, and a
    full-text engine would replace this function and nothing else."""
    q = Q(search_text__gt="")
    for word in words:
        q &= Q(search_text__contains=word)
    return q


@dataclass
class Facet:
    value: str
    count: int


def facet_links(chosen: dict[str, str], kind: str, entries: list[Facet]) -> list[tuple[Facet, bool, str]]:
    """(facet, chosen?, query string that toggles it) for each entry; other choices are kept."""
    out = []
    for f in entries:
        active = chosen.get(kind) == f.value
        params = {k: v for k, v in ({**chosen, kind: "" if active else f.value}).items() if v}
        out.append((f, active, f"?{urlencode(params)}"))
    return out


@dataclass
class SearchResults:
    words: list[str]
    datasets: list[Dataset] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    explanations: list[Explanation] = field(default_factory=list)
    themes: list[Facet] = field(default_factory=list)  # theme codes
    theme_objects: dict[str, Theme] = field(default_factory=dict)  # for the facet labels
    provinces: list[Facet] = field(default_factory=list)  # ISO codes
    periods: list[Facet] = field(default_factory=list)  # Jalali period codes
    truncated: bool = False

    @property
    def total(self) -> int:
        return len(self.datasets) + len(self.indicators) + len(self.explanations)


def search(text: str, *, theme: str = "", province: str = "", period: str = "") -> SearchResults:
    """Match the query, count the facets over every match, then narrow by the chosen facets.

    Facet counts ignore the facets chosen, so each count says what picking it would show. A
    province is where an explanation is about or where an indicator (and its dataset) has
    figures; a period is an explanation's month (indicators and datasets have none, so choosing
    a period shows explanations only). Four queries, whatever the number of matches.
    """
    words = query_words(text)
    results = SearchResults(words=words)
    if not words:
        return results
    match = _word_filter(words)
    datasets = list(Dataset.objects.filter(match).select_related("theme")[: MAX_RESULTS + 1])
    indicators = list(Indicator.objects.filter(match).select_related("theme")[: MAX_RESULTS + 1])
    explanations = list(
        Explanation.objects.filter(match, state=ExplanationState.PUBLISHED)
        .select_related("indicator__theme")
        .order_by("-published_at", "-id")[: MAX_RESULTS + 1]
    )
    results.truncated = max(len(datasets), len(indicators), len(explanations)) > MAX_RESULTS
    datasets, indicators, explanations = (
        datasets[:MAX_RESULTS],
        indicators[:MAX_RESULTS],
        explanations[:MAX_RESULTS],
    )
    # Where each matched indicator / dataset has province figures: one query of distinct pairs.
    pairs = (
        Observation.objects.filter(
            Q(indicator__in=[i.pk for i in indicators]) | Q(indicator__dataset__in=[d.pk for d in datasets]),
            area__startswith="IR-",
        )
        .values_list("indicator_id", "indicator__dataset_id", "area")
        .distinct()
    )
    indicator_areas: dict[int, set[str]] = {}
    dataset_areas: dict[int, set[str]] = {}
    for indicator_id, dataset_id, area in pairs:
        indicator_areas.setdefault(indicator_id, set()).add(area)
        dataset_areas.setdefault(dataset_id, set()).add(area)

    matched_themes = [d.theme for d in datasets] + [i.theme for i in indicators]
    matched_themes += [e.indicator.theme for e in explanations]
    themes = Counter(t.code for t in matched_themes)
    results.theme_objects = {t.code: t for t in matched_themes}
    provinces: Counter[str] = Counter()
    for i in indicators:
        provinces.update(indicator_areas.get(i.pk, ()))
    for d in datasets:
        provinces.update(dataset_areas.get(d.pk, ()))
    provinces.update(e.area for e in explanations if e.area)
    periods = Counter(e.period for e in explanations if e.period)
    results.themes = [Facet(k, n) for k, n in sorted(themes.items())]
    results.provinces = [Facet(k, n) for k, n in sorted(provinces.items())]
    results.periods = [Facet(k, n) for k, n in sorted(periods.items(), reverse=True)]

    if theme:
        datasets = [d for d in datasets if d.theme.code == theme]
        indicators = [i for i in indicators if i.theme.code == theme]
        explanations = [e for e in explanations if e.indicator.theme.code == theme]
    if province:
        datasets = [d for d in datasets if province in dataset_areas.get(d.pk, ())]
        indicators = [i for i in indicators if province in indicator_areas.get(i.pk, ())]
        explanations = [e for e in explanations if e.area == province]
    if period:
        datasets, indicators = [], []
        explanations = [e for e in explanations if e.period == period]
    results.datasets, results.indicators, results.explanations = datasets, indicators, explanations
    return results
