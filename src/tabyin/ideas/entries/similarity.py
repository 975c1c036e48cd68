"""Persian near-duplicate matching of ideas: character 4-grams of core's search key, Jaccard.

The search key already folds what Persian writers vary (ی/ي, ک/ك, hamza, ZWNJ, spaces between the
parts of a compound, digits), so «بیمه‌ی تکمیلی» and «بيمه تكميلي» give the same grams; grams of
characters (not words) survive the missing word boundaries of the key and small typing slips.
Pure: no database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Final

from tabyin.core.persian_text import search_key

GRAM: Final = 4
SIMILAR_FROM: Final = 0.30  # shown to an author as "similar ideas"
DUPLICATE_FROM: Final = 0.55  # grouped for moderators as a likely duplicate


def grams(text: str) -> frozenset[str]:
    key = search_key(text)
    if len(key) <= GRAM:
        return frozenset({key}) if key else frozenset()
    return frozenset(key[i : i + GRAM] for i in range(len(key) - GRAM + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def fingerprint(title: str, body: str) -> str:
    """Equal for the same words however they were spelled: a resubmission's mark."""
    return hashlib.sha256(search_key(f"{title}\n{body}").encode()).hexdigest()


def most_similar(
    text: str, candidates: Iterable[tuple[int, str]], *, threshold: float = SIMILAR_FROM, limit: int = 5
) -> list[tuple[int, float]]:
    mine = grams(text)
    found = [(pk, jaccard(mine, grams(other))) for pk, other in candidates]
    found = [(pk, round(score, 3)) for pk, score in found if score >= threshold]
    return sorted(found, key=lambda item: (-item[1], item[0]))[:limit]


def clusters(items: Sequence[tuple[int, str]], *, threshold: float = DUPLICATE_FROM) -> list[list[int]]:
    """Groups of two or more items linked by similarity at or above ``threshold`` (single
    linkage, union-find), each sorted by id, the groups ordered by their first id."""
    parent = {pk: pk for pk, _ in items}

    def root(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    sets = [(pk, grams(text)) for pk, text in items]
    for i, (a, ga) in enumerate(sets):
        for b, gb in sets[i + 1 :]:
            if jaccard(ga, gb) >= threshold:
                parent[root(b)] = root(a)
    groups: dict[int, list[int]] = {}
    for pk, _ in items:
        groups.setdefault(root(pk), []).append(pk)
    return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: g[0])
