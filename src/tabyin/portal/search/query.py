"""A query as groups of terms, how well a document's words match them, highlighting, "did you mean".

Each word of the query is a group; a synonym phrase of several words («حقوق بازنشستگی») is one
group. A group matches a set of terms with a quality:

- 1.0 the word itself (its key, its stem or a ZWNJ part's stem),
- 0.9 its synonym concept (a word from the same reviewed group),
- 0.6 a prefix of a longer word (while typing: «بازنش»),
- 1.0 every word of a multi-word phrase, in any order; 0.25 only some of them (one word of
  «حق بیمه» is weak evidence: it must not beat a synonym).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tabyin.core.persian_text import digits_to_persian, normalize, search_key
from tabyin.portal.search.analysis import STOPWORDS, Token, concepts, document_terms, tokens
from tabyin.portal.search.backend import Alternative

MAX_QUERY_LENGTH: Final = 200
MAX_GROUPS: Final = 8
MIN_PREFIX: Final = 2  # the last word while typing; the other words need 3 letters
SNIPPET_WORDS: Final = 28


@dataclass(frozen=True)
class QueryGroup:
    words: str  # as typed (normalized), for "did you mean"
    exact: frozenset[str]
    concepts: frozenset[str] = frozenset()
    prefix: str = ""
    parts: tuple[frozenset[str], ...] = ()  # a phrase's words, each as its terms

    def quality(self, terms: frozenset[str] | set[str]) -> float:
        if self.exact & terms:
            return 1.0
        if self.parts and all(p & terms for p in self.parts):
            return 1.0
        if self.concepts & terms:
            return 0.9
        if self.prefix and any(t.startswith(self.prefix) for t in terms):
            return 0.6
        if any(p & terms for p in self.parts):
            return 0.25
        return 0.0

    def alternatives(self) -> list[Alternative]:
        words = frozenset().union(*self.parts) if self.parts else frozenset()
        alts = [Alternative(t) for t in sorted(self.exact | self.concepts | words)]
        if self.prefix:
            alts.append(Alternative(self.prefix, prefix=True))
        return alts


def _word_terms(t: Token) -> frozenset[str]:
    return frozenset({t.key, t.term, *t.parts} - STOPWORDS)


def parse_query(text: str) -> list[QueryGroup]:
    """The query's groups, in the order typed. Stop words are dropped unless nothing else is left."""
    text = normalize(text[:MAX_QUERY_LENGTH].casefold())
    toks = list(tokens(text))
    keep = [i for i, t in enumerate(toks) if t.key not in STOPWORDS] or list(range(len(toks)))
    if not keep:
        return []
    # Phrase spans are found on the part sequence; map each part back to its word.
    owner = [i for i, t in enumerate(toks) for _ in t.parts]
    found = concepts([p for t in toks for p in t.parts])
    spans: list[tuple[int, int, str]] = sorted(
        ((owner[a], owner[b - 1], c) for a, b, c in found), key=lambda s: (s[0] - s[1], s[0])
    )
    merged: dict[int, tuple[int, set[str]]] = {}  # first word -> (last word, concepts)
    taken: set[int] = set()
    for first, last, concept in spans:  # longest first; a span inside a taken one adds its concept
        inside = next((f for f, (e, _) in merged.items() if f <= first and last <= e), None)
        if inside is not None:
            merged[inside][1].add(concept)
        elif not taken & set(range(first, last + 1)):
            merged[first] = (last, {concept})
            taken |= set(range(first, last + 1))
    groups = []
    i = 0
    last_kept = keep[-1]
    while i < len(toks):
        if i in merged:
            last, cs = merged[i]
            span = [toks[j] for j in range(i, last + 1) if j in keep] or [toks[i]]
            words = " ".join(text[t.start : t.end] for t in toks[i : last + 1])
            if len(span) == 1:
                groups.append(_word_group(span[0], words, frozenset(cs), i == last_kept))
            else:
                parts = tuple(_word_terms(t) for t in span)
                groups.append(QueryGroup(words, frozenset({search_key(words)}), frozenset(cs), "", parts))
            i = last + 1
            continue
        if i in keep:
            t = toks[i]
            groups.append(_word_group(t, text[t.start : t.end], frozenset(), i == last_kept))
        i += 1
    return groups[:MAX_GROUPS]


def _word_group(t: Token, words: str, cs: frozenset[str], is_last: bool) -> QueryGroup:
    """One word. A word written with a ZWNJ (مستمری‌بگیران) is matched like the phrase of its
    parts, as if typed with a space: all parts count as the word, one part alone is weak."""
    prefix = _prefix(t, is_last)
    if len(t.parts) > 1:
        parts = tuple(frozenset({p}) for p in t.parts if p not in STOPWORDS)
        return QueryGroup(words, frozenset({t.key, t.term}), cs, prefix, parts if len(parts) > 1 else ())
    return QueryGroup(words, _word_terms(t), cs, prefix)


def _prefix(t: Token, is_last: bool) -> str:
    return t.key if len(t.key) >= (MIN_PREFIX if is_last else 3) and not t.key.isdigit() else ""


@lru_cache(maxsize=20_000)
def word_terms(word: str) -> frozenset[str]:
    """Every term one displayed word stands for (key, stems, parts, concepts)."""
    return frozenset(document_terms(word)) | {search_key(word)}


def highlight(
    text: str, groups: list[QueryGroup], *, snippet: bool = False, persian_digits: bool = False
) -> SafeString:
    """``text`` as stored (not normalized: the reader sees what was written), escaped, with the
    words that match the query in ``<mark>``; digits in Persian for Persian pages. As a snippet:
    about SNIPPET_WORDS words around the first match (or from the start), with «…» where cut."""
    if persian_digits:
        text = digits_to_persian(text)  # one character for one: word positions do not move
    words = list(tokens(text))
    hits = [any(g.quality(word_terms(text[w.start : w.end])) > 0 for g in groups) for w in words]
    begin, end = 0, len(text)
    if snippet and len(words) > SNIPPET_WORDS:
        first = hits.index(True) if any(hits) else 0
        lo = max(0, min(first - 6, len(words) - SNIPPET_WORDS))
        hi = min(len(words), lo + SNIPPET_WORDS)
        begin, end = words[lo].start, words[hi - 1].end
        words, hits = words[lo:hi], hits[lo:hi]
    out, at = [], begin
    for w, hit in zip(words, hits, strict=True):
        if hit:
            out.append(f"{escape(text[at : w.start])}<mark>{escape(text[w.start : w.end])}</mark>")
            at = w.end
    out.append(escape(text[at:end]))
    html = "".join(out)
    if snippet and begin > 0:
        html = "… " + html
    if snippet and end < len(text):
        html += " …"
    return mark_safe(html)  # noqa: S308 (every piece of text above went through escape)


def vocabulary(texts: Iterable[str]) -> Counter[str]:
    """Words of the index as shown (normalized, ZWNJ kept), and the parts of a word written with a
    ZWNJ (بیمارستان of بیمارستان‌های), counted; three letters or more."""
    counts: Counter[str] = Counter()
    for text in texts:
        norm = normalize(text)
        for t in tokens(norm):
            word = norm[t.start : t.end]
            parts = word.split("\u200c") if "\u200c" in word else []
            counts.update(w for w in (word, *parts) if len(w) >= 3)
    return counts


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a swap of two neighbours is one edit), or limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def correction(word: str, vocab: Counter[str]) -> str:
    """The index word closest to a word that matched nothing: one edit for words of up to five
    letters, two for longer; among equals the most frequent. "" when none is that close."""
    key = search_key(word)
    if len(key) < 3 or key.isdigit():
        return ""
    limit = 1 if len(key) <= 5 else 2
    best: tuple[int, int, str] | None = None
    for candidate, count in vocab.items():
        d = _distance(key, search_key(candidate), limit)
        if d == 0:
            return ""  # a word of the index (found by another spelling): nothing to correct
        if d <= limit and (best is None or (d, -count, candidate) < best):
            best = (d, -count, candidate)
    return best[2] if best else ""
