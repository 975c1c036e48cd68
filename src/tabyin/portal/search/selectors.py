"""Search over provinces, themes, datasets, indicators and published explanations.

The index (``SearchDoc``, written by ``search_index`` from the services that save rows) holds each
page's terms as ``search_analysis`` makes them: Persian-normalized (``core.persian_text``),
stemmed, with the concepts of the reviewed synonym list. A query is analysed the same way into
groups (``search_query``); the database's full-text engine (``search_backend``: SQLite FTS5 or
PostgreSQL tsvector) returns every document with at least one of the groups' terms, and the ranking
is done here, in Python, so it is the same on both databases:

1. documents that match more of the query's groups first,
2. then by score: per group, the match quality (word, synonym, prefix, part of a phrase) in the
   title three times plus the one in the text, plus 2 × the share of the title's words that are
   words of the query (a query that names a page, «تهران», puts the Tehran province page first;
   a word that is one of many in a long title counts less),
3. then provinces, themes, indicators, datasets, explanations; then by title.

Facets count every match; a facet value that would keep all the matches or none is not offered.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlencode

from django.db.models import Count, Max, Q

from tabyin.core.persian_text import normalize
from tabyin.portal.models import Observation, SearchDoc
from tabyin.portal.search import backend as search_backend
from tabyin.portal.search.analysis import STOPWORDS, tokens
from tabyin.portal.search.query import QueryGroup, correction, parse_query, vocabulary, word_terms

MAX_RESULTS: Final = 50  # the page says when there are more
KIND_ORDER: Final = {"province": 0, "theme": 1, "indicator": 2, "dataset": 3, "explanation": 4}
TITLE_WEIGHT: Final = 3.0
WHOLE_TITLE_BONUS: Final = 2.0


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
class Hit:
    doc: SearchDoc
    coverage: int
    score: float
    areas: frozenset[str] = frozenset()  # provinces the page is about or has figures for

    @property
    def sort_key(self) -> tuple[int, float, int, str]:
        return (-self.coverage, -self.score, KIND_ORDER.get(self.doc.kind, 9), self.doc.title_fa)


@dataclass
class SearchResults:
    groups: list[QueryGroup]
    hits: list[Hit] = field(default_factory=list)
    matched: int = 0  # every match before the facets narrowed them
    themes: list[Facet] = field(default_factory=list)  # theme codes
    provinces: list[Facet] = field(default_factory=list)  # ISO codes
    periods: list[Facet] = field(default_factory=list)  # Jalali period codes
    suggestion: str = ""  # "did you mean": the query with unmatched words corrected
    corrected: bool = False  # nothing matched the query, so the hits are the suggestion's
    truncated: bool = False

    @property
    def words(self) -> list[str]:
        return [g.words for g in self.groups]

    @property
    def total(self) -> int:
        return len(self.hits)


def _title_share(doc: SearchDoc, groups: list[QueryGroup]) -> float:
    """The share of the title's words that are words of the query (not synonyms or prefixes), the
    better of the Persian and the English title: 1 when the query names the page, small when the
    word is one of many in a long title."""
    best = 0.0
    for title in (doc.title_fa, doc.title_en):
        norm = normalize(title)
        words = [norm[t.start : t.end] for t in tokens(norm) if t.key not in STOPWORDS]
        if words:
            named = sum(any(g.quality(word_terms(w)) == 1.0 for g in groups) for w in words)
            best = max(best, named / len(words))
    return best


def rank(docs: list[SearchDoc], groups: list[QueryGroup]) -> list[Hit]:
    hits = []
    for doc in docs:
        title, body = frozenset(doc.title_terms.split()), frozenset(doc.body_terms.split())
        coverage, score = 0, 0.0
        for g in groups:
            found = g.quality(title) * TITLE_WEIGHT + g.quality(body)
            if found > 0:
                coverage += 1
                score += found
        if coverage:
            score += WHOLE_TITLE_BONUS * _title_share(doc, groups)
            hits.append(Hit(doc, coverage, round(score, 6)))
    hits.sort(key=lambda h: h.sort_key)
    return hits


_vocabulary_cache: dict[tuple[object, ...], Counter[str]] = {}


def _vocabulary() -> Counter[str]:
    """The index's words, rebuilt when a document is added, changed or removed."""
    stamp = SearchDoc.objects.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    key = (stamp["n"], stamp["last"], stamp["top"])
    if key not in _vocabulary_cache:
        _vocabulary_cache.clear()
        rows = SearchDoc.objects.values_list("title_fa", "title_en", "text_fa", "text_en")
        _vocabulary_cache[key] = vocabulary(t for row in rows for t in row if t)
    return _vocabulary_cache[key]


def suggest(text: str, groups: list[QueryGroup], hits: list[Hit]) -> str:
    """The query with each word that matched nothing (not even by prefix) replaced by the closest
    index word; "" when every word matched or no word is close."""
    lost = []
    for g in groups:
        if not any(g.quality(frozenset(h.doc.title_terms.split() + h.doc.body_terms.split())) for h in hits):
            lost.append(g)
    if not lost:
        return ""
    vocab = _vocabulary()
    fixed = normalize(text[:200])
    changed = False
    for g in lost:
        better = correction(g.words, vocab)
        if better and g.words in fixed:
            fixed = fixed.replace(g.words, better, 1)
            changed = True
    return fixed if changed else ""


def _areas(hits: list[Hit]) -> None:
    """Provinces each hit is about: its own area, or where its indicator(s) have figures. One query."""
    indicators = [h.doc.key for h in hits if h.doc.kind == "indicator"]
    datasets = [h.doc.key for h in hits if h.doc.kind == "dataset"]
    by_indicator: dict[str, set[str]] = {}
    by_dataset: dict[str, set[str]] = {}
    if indicators or datasets:
        pairs = (
            Observation.objects.filter(
                Q(indicator__code__in=indicators) | Q(indicator__dataset__slug__in=datasets),
                area__startswith="IR-",
            )
            .values_list("indicator__code", "indicator__dataset__slug", "area")
            .distinct()
        )
        for code, slug, area in pairs:
            by_indicator.setdefault(code, set()).add(area)
            by_dataset.setdefault(slug, set()).add(area)
    for h in hits:
        if h.doc.kind == "indicator":
            h.areas = frozenset(by_indicator.get(h.doc.key, ()))
        elif h.doc.kind == "dataset":
            h.areas = frozenset(by_dataset.get(h.doc.key, ()))
        elif h.doc.area:
            h.areas = frozenset({h.doc.area})


def _narrowing(counts: Counter[str], total: int, chosen: str) -> list[Facet]:
    """Values that keep some but not all of the matches (and the chosen one, to take it back)."""
    return [Facet(k, n) for k, n in counts.items() if 0 < n < total or k == chosen]


def _match(groups: list[QueryGroup]) -> list[Hit]:
    return rank(search_backend.candidates([a for g in groups for a in g.alternatives()]), groups)


def search(text: str, *, theme: str = "", province: str = "", period: str = "") -> SearchResults:
    """Match, rank, count the facets over every match, then narrow by the chosen facets.

    Facet counts ignore the facets chosen, so each count says what picking it would show. Two
    queries (the match, where the matched figures are), whatever the number of matches; a word
    that matched nothing adds the vocabulary's stamp (and its read when the index changed) and,
    when nothing matched at all, the corrected query's match.
    """
    groups = parse_query(text)
    results = SearchResults(groups=groups)
    if not groups:
        return results
    hits = _match(groups)
    results.suggestion = suggest(text, groups, hits)
    if not hits and results.suggestion:  # «تهرن»: show what «تهران» finds, and say so
        results.groups = groups = parse_query(results.suggestion)
        hits = _match(groups)
        results.corrected = bool(hits)
    _areas(hits)
    results.matched = len(hits)
    themes = Counter(h.doc.theme for h in hits if h.doc.theme)
    provinces = Counter(a for h in hits for a in h.areas)
    periods = Counter(h.doc.period for h in hits if h.doc.period)
    results.themes = sorted(_narrowing(themes, len(hits), theme), key=lambda f: f.value)
    results.provinces = sorted(_narrowing(provinces, len(hits), province), key=lambda f: f.value)
    results.periods = sorted(_narrowing(periods, len(hits), period), key=lambda f: f.value, reverse=True)
    if theme:
        hits = [h for h in hits if h.doc.theme == theme]
    if province:
        hits = [h for h in hits if province in h.areas]
    if period:
        hits = [h for h in hits if h.doc.period == period]
    results.truncated = len(hits) > MAX_RESULTS
    results.hits = hits[:MAX_RESULTS]
    return results
