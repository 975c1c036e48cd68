"""Relevance to the organization: points per matched watch query, and where a query's words are.

A post is a *mention of the organization* when the weights of the watch queries it matches add up
to the threshold. Entity words — the organization's names and spelling variants, its officials,
its services — reach it alone; topic words (pensioners, employers) add some; a place name or a
peer organization adds nothing, so «قیمت طلا در بازار تهران» matching the Tehran query stays out
of every "mentions" figure. Weights are per query (empty: the kind's default below) and the
threshold is one stored setting, both changed by administrators on the watch-query pages.

``spans`` finds a query's words in the original text, for highlighting: it reads the text the way
the matcher does (folds, word boundaries, a ZWNJ or a space or nothing inside a phrase) and maps
every hit back to the characters the reader sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tabyin.monitor.enums import QueryKind
from tabyin.monitor.pipeline.query import Node, Not, QuerySyntaxError, Term, match_key, parse, spellings

__all__ = [
    "DEFAULT_THRESHOLD",
    "KIND_WEIGHTS",
    "Hit",
    "highlight",
    "in_tags_only",
    "points_of",
    "positive_terms",
    "spans",
    "weight_of",
    "without_hashtags",
]

# Points, not fractions: sums compare exactly, in Python and in SQL.
DEFAULT_THRESHOLD: Final = 10
KIND_WEIGHTS: Final[Mapping[str, int]] = {
    QueryKind.ORGANIZATION: 10,
    QueryKind.OFFICIAL: 10,
    QueryKind.SERVICE: 10,
    QueryKind.TOPIC: 4,
    QueryKind.PROVINCE: 0,
    QueryKind.PEER: 0,
}


def weight_of(kind: str, weight: int | None) -> int:
    """A query's points: its own weight, else its kind's default."""
    return KIND_WEIGHTS.get(kind, 0) if weight is None else weight


def points_of(kind: str, weight: int | None, *, tags_only: bool = False) -> int:
    """The points one match adds: half (rounded down) when the query's words were only in hashtags.

    A reposting channel appends tags of its own («#تامین_اجتماعی» under a film-festival item): a
    tag is a label the channel chose, not the item saying anything about the organization, so an
    entity query found only in tags (10 → 5) stays under the default threshold on its own; with
    words of the text (a topic query, 4) or a second entity tag it may still reach it."""
    points = weight_of(kind, weight)
    return points // 2 if tags_only else points


# A hashtag: «#» and the word characters, ZWNJ and underscores after it («#تامین_اجتماعی»).
_HASHTAG = re.compile(r"#[\w\u200c]+")


def without_hashtags(text: str) -> str:
    return _HASHTAG.sub(" ", text)


def in_tags_only(text: str, matched: list[int], match: Callable[[str], list[int]]) -> list[int]:
    """Of the queries ``matched`` found in ``text``, those that no longer match once its hashtags
    are taken out: their words were only in tags."""
    if not matched or "#" not in text:
        return []
    rest = set(match(without_hashtags(text)))
    return [q for q in matched if q not in rest]


def positive_terms(node: Node) -> Iterator[Term]:
    """The terms whose presence makes the query match (not the ones under NOT)."""
    if isinstance(node, Term):
        yield node
    elif not isinstance(node, Not):
        for child in node.children:
            yield from positive_terms(child)


@lru_cache(maxsize=512)
def query_terms(expression: str) -> tuple[Term, ...]:
    try:
        return tuple(dict.fromkeys(positive_terms(parse(expression))))
    except QuerySyntaxError:
        return ()


def _keyed(text: str) -> tuple[str, list[int]]:
    """The text as ``match_key`` reads it, and for each of its characters the index of the original
    character it came from (folds can drop or change characters; runs of separators become one)."""
    out: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        folded = " " if char.isspace() or char in "\u200c-_" else match_key(char)
        for piece in folded:
            if piece == " " and (not out or out[-1] == " "):
                continue
            out.append(piece)
            origin.append(i)
    return "".join(out), origin


def _word_end(key: str, end: int) -> int:
    while end < len(key) and key[end].isalnum():
        end += 1
    return end


def _found(key: str, term: Term) -> Iterator[tuple[int, int]]:
    for spelling in spellings(term.key.split(" ")):
        start = key.find(spelling)
        while start >= 0:
            end = start + len(spelling)
            if (not start or not key[start - 1].isalnum()) and (
                term.prefix or end == len(key) or not key[end].isalnum()
            ):
                yield start, (_word_end(key, end) if term.prefix else end)
            start = key.find(spelling, start + 1)


@dataclass(frozen=True)
class Hit:
    start: int  # in the original text
    end: int
    labels: tuple[str, ...]  # names of the queries whose word this is


def spans(text: str, terms_by_label: Iterable[tuple[str, Iterable[Term]]]) -> list[Hit]:
    """Where each labelled group of terms occurs in ``text``, overlapping hits merged."""
    key, origin = _keyed(text)
    raw: list[tuple[int, int, str]] = []
    for label, group in terms_by_label:
        for term in group:
            for start, end in _found(key, term):
                raw.append((origin[start], origin[end - 1] + 1, label))
    raw.sort()
    merged: list[tuple[int, int, list[str]]] = []
    for start, end, label in raw:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2] + ([label] if label not in last[2] else []))
        else:
            merged.append((start, end, [label]))
    return [Hit(start, end, tuple(labels)) for start, end, labels in merged]


def highlight(text: str, hits: list[Hit], *, label: str) -> SafeString:
    """``text`` escaped, each hit in a ``<mark>`` that says (to a screen reader too) which queries'
    word it is; line breaks kept. ``label`` is a translated "%(queries)s" pattern."""
    parts: list[str] = []
    at = 0
    for hit in hits:
        names = "، ".join(hit.labels)
        said = escape(label % {"queries": names})
        parts.append(escape(text[at : hit.start]))
        parts.append(
            f'<mark class="mon-hit" title="{said}"><span class="mon-sr">{said}: </span>'
            f"{escape(text[hit.start : hit.end])}</mark>"
        )
        at = hit.end
    parts.append(escape(text[at:]))
    return mark_safe("".join(parts).replace("\r\n", "\n").replace("\n", "<br>"))  # noqa: S308  (escaped above)
