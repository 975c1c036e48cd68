"""How alike two signatures are, and whether that makes one a repost of the other.

:func:`compare` estimates, from two bottom-k sketches (``fingerprint``), their Jaccard similarity
and the containment of the smaller set in the larger; :func:`decide` turns that into a score (a
post resembles or is contained in a representative, or neither). :func:`earlier_matches` does
the same for the rows of one batch against each other. Thresholds were chosen on the tuning part
of benchmarks/monitor_dedup_eval.py; the held-out part was only scored.
"""

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from tabyin.monitor.pipeline.fingerprint import CUT, PAD, SHORT, TAGS, K, L

__all__ = [
    "CONTAIN_MIN",
    "HEAD",
    "MATCH_C",
    "MATCH_J",
    "Assignment",
    "best_of",
    "compare",
    "decide",
    "earlier_matches",
    "top_pairs",
]

MATCH_J: Final = 0.5  # chosen on the tuning part of benchmarks/monitor_dedup_eval.py
MATCH_C: Final = 0.85
CONTAIN_MIN: Final = 15
CUT_MIN: Final = 10
# Below this many elements (about 15 words) a text is about its figures: two that each have a
# number the other lacks are different items. In a longer text one changed number is one edit.
FIGURE_TEXT: Final = 80
CANDIDATES: Final = 6
HOT: Final = 16  # a key shared by more rows of one batch than this says nothing about them
HEAD: Final = TAGS + K  # tags + sketch: the part of a signature a representative keeps


_Floats = npt.NDArray[np.float64]


def compare(
    a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32]
) -> tuple[_Floats, _Floats, _Floats, npt.NDArray[np.bool_]]:
    """Row-wise (jaccard, containment of the smaller set in the larger, the smaller set's size as
    the containment rule reads it, same attribution head) of signature heads ``[size, numbers,
    head, sketch[K]]`` a and b, shape (m, TAGS + K) each; both figures are 0 where the tags
    conflict (two different attribution heads, or in a text under FIGURE_TEXT elements each has a
    number the other lacks).

    Below ``t = min(kth(a), kth(b))`` (the K-th smallest hash of a set that has more than K
    elements, else no limit) each sketch holds every element of its set, so the two samples are
    the same random fraction of both sets: the intersection of the samples estimates the
    intersection of the sets at that rate (threshold sampling)."""
    flags = np.uint32(CUT | SHORT)
    size_a, size_b = (a[:, 0] & ~flags).astype(np.int64), (b[:, 0] & ~flags).astype(np.int64)
    sa, sb = a[:, TAGS:HEAD], b[:, TAGS:HEAD]
    limit = np.minimum(np.where(size_a > K, sa[:, -1], PAD - 1), np.where(size_b > K, sb[:, -1], PAD - 1))
    both = np.sort(np.concatenate([sa, sb], axis=1), axis=1)
    common = np.count_nonzero((both[:, 1:] == both[:, :-1]) & (both[:, 1:] <= limit[:, None]), axis=1)
    below_a = np.count_nonzero(sa <= limit[:, None], axis=1)
    below_b = np.count_nonzero(sb <= limit[:, None], axis=1)
    union = np.maximum(below_a + below_b - common, 1)
    smaller = np.where(size_a <= size_b, below_a, below_b)
    na, nb = a[:, 1], b[:, 1]
    conflict = ((na & ~nb) != 0) & ((nb & ~na) != 0) & (np.maximum(size_a, size_b) < FIGURE_TEXT)
    conflict |= (a[:, 2] != 0) & (b[:, 2] != 0) & (a[:, 2] != b[:, 2])
    common[conflict] = 0
    # A cut copy is known to be a part of something: its containment counts from fewer elements
    # (CUT_MIN), but below CONTAIN_MIN it may only be contained (two short cut heads of different
    # items resemble each other by the words they start with).
    cut = (np.where(size_a <= size_b, a[:, 0], b[:, 0]) & np.uint32(CUT)) != 0
    small = np.minimum(size_a, size_b).astype(np.float64)
    jaccard = common / union
    jaccard[cut & (small < CONTAIN_MIN)] = 0.0
    # A short text (under SHORT_WORDS words) resembles only itself (one changed word is another
    # statement), and is contained in a longer one only as the smaller side.
    short_a, short_b = (a[:, 0] & np.uint32(SHORT)) != 0, (b[:, 0] & np.uint32(SHORT)) != 0
    jaccard[(short_a | short_b) & (jaccard < 1.0)] = 0.0
    contained = common / np.maximum(smaller, 1)
    contained[np.where(size_a <= size_b, short_b, short_a)] = 0.0
    small[cut] *= CONTAIN_MIN / CUT_MIN
    same_head = (a[:, 2] != 0) & (a[:, 2] == b[:, 2])
    return jaccard, contained, small, same_head


def decide(
    jaccard: npt.NDArray[np.float64],
    contained: npt.NDArray[np.float64],
    small: npt.NDArray[np.float64],
    same_head: npt.NDArray[np.bool_],
) -> npt.NDArray[np.float64]:
    """A score per pair: > 1 for resemblance (1 + J), in (0, 1] for containment (C), 0 for no
    match; 2 more when both name the same speaker (the story that keeps who said it wins)."""
    resemble = jaccard >= MATCH_J
    contain = (contained >= MATCH_C) & (small >= CONTAIN_MIN)
    score = np.where(resemble, 1.0 + jaccard, np.where(contain, contained, 0.0))
    return score + np.where(same_head & (score > 0), 2.0, 0.0)


def top_pairs(
    later: npt.NDArray[np.int64], other: npt.NDArray[np.int64], scale: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Of (later, other) pairs, one per key they share, the ``CANDIDATES`` distinct pairs per
    ``later`` sharing the most keys (``other`` < scale)."""
    pairs, hits = np.unique(later * scale + other, return_counts=True)
    rows = pairs // scale
    order = np.lexsort((-hits, rows))
    rows, pairs = rows[order], pairs[order]
    keep = np.arange(len(pairs)) - np.searchsorted(rows, rows) < CANDIDATES
    return rows[keep], pairs[keep] % scale


def earlier_matches(sigs: npt.NDArray[np.uint32]) -> dict[int, list[tuple[int, float]]]:
    """Per row, the earlier rows of the batch it matches (row, score), among the ``CANDIDATES``
    sharing the most keys with it; a key held by more than ``HOT`` rows is not used."""
    n = len(sigs)
    if n < 2:
        return {}
    keys = sigs[:, TAGS + K : TAGS + K + L].ravel()
    rows = np.repeat(np.arange(n, dtype=np.int64), L)
    present = keys != 0
    keys, rows = keys[present], rows[present]
    order = np.lexsort((rows, keys))
    keys, rows = keys[order], rows[order]
    later_parts, earlier_parts = [], []
    for gap in range(1, HOT):
        same = keys[gap:] == keys[:-gap]
        if not same.any():
            break
        later_parts.append(rows[gap:][same])
        earlier_parts.append(rows[:-gap][same])
    if not later_parts:
        return {}
    later, other = top_pairs(np.concatenate(later_parts), np.concatenate(earlier_parts), n)
    scores = decide(*compare(sigs[later, :HEAD], sigs[other, :HEAD]))
    matched = scores > 0
    found: dict[int, list[tuple[int, float]]] = {}
    for row, earlier, score in zip(
        later[matched].tolist(), other[matched].tolist(), scores[matched].tolist(), strict=True
    ):
        found.setdefault(row, []).append((earlier, score))
    return found


class Assignment(tuple[int, bool]):
    """``(story key, created)``, and how the post matched: ``how`` is "" for a new story, "exact",
    "resemblance", "containment", "prefix" (a cut copy by its first words) or "forward";
    ``similarity`` the Jaccard or containment figure (1.0 for "prefix").
    Compares equal to the plain pair."""

    how: str
    similarity: float

    def __new__(cls, key: int, created: bool, how: str = "", similarity: float = 0.0) -> "Assignment":
        self = super().__new__(cls, (key, created))
        self.how, self.similarity = how, similarity
        return self


def best_of(
    held: tuple[int, float], earlier: Sequence[tuple[int, float]], slot_of_row: dict[int, int]
) -> tuple[int, float]:
    """The better of a row's best held representative and the batch's earlier rows it matches
    that became representatives: (slot, score)."""
    slot, score = held
    for other, other_score in earlier:
        if other_score > score and other in slot_of_row:
            slot, score = slot_of_row[other], other_score
    return slot, score
