"""The near-duplicate index of the hot window: which live story, if any, a new post repeats.

A story keeps up to ``REPRESENTATIVES`` signatures (``fingerprint``: a bottom-k sketch of its
text's element set, its size, and lookup keys): its first post's, and later members that add
something the others lack (a longer version that contains the first one, or an edited copy that
only just matched). A post joins the live story one of whose representatives it

* **resembles**: estimated Jaccard similarity >= ``MATCH_J``, or
* **contains or is contained in**: the smaller of the two texts has at least ``CONTAIN_MIN``
  elements and at least ``MATCH_C`` of them are in the larger one (a short copy of a long post,
  or a long post that quotes a short one with commentary around it),

the best such story if several (any resemblance beats any containment; then the higher figure),
else it starts a new story. The bound on representatives, and adding only posts that matched a
representative themselves, keeps a story from drifting, copy by copy, into a different item.

Candidates come from the signatures' keys: every representative's ``L`` smallest key hashes sit
in one numpy bucket table (``BUCKET_WIDTH`` slots a bucket, 32-bit key + representative slot, load
at most ``MAX_LOAD``, doubling when full; a full bucket drops a pseudo-random old entry). A post
is compared (:func:`compare`) with the ``CANDIDATES`` representatives sharing the most keys with
it; an identical signature still finds its story by the exact key (``story_key``).

Expiry is by generation: a story's generation is the window slice (``window / SLICES``) of its last
post; ``expire(now)`` frees every story whose generation has left the window, so a story lives
between ``window`` and ``window + window / SLICES`` after its last post, and nothing is scanned
until a whole generation is due. ``touch`` moves a story to a later generation.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final

import numpy as np
import numpy.typing as npt

from tabyin.monitor.pipeline.fingerprint import CUT, PAD, SHORT, TAGS, K, L, Signature
from tabyin.monitor.pipeline.fingerprint import story_key as key_of

__all__ = [
    "CONTAIN_MIN",
    "MATCH_C",
    "MATCH_J",
    "REPRESENTATIVES",
    "Assignment",
    "NearDupIndex",
    "compare",
]

MATCH_J: Final = 0.5  # tuned on the tuning part of benchmarks/monitor_repost_set.py
MATCH_C: Final = 0.85
CONTAIN_MIN: Final = 15
CUT_MIN: Final = 10
# Below this many elements (about 15 words) a text is about its figures: two that each have a
# number the other lacks are different items. In a longer text one changed number is one edit.
FIGURE_TEXT: Final = 80
REP_J: Final = 0.7  # a member resembling its representative less than this may become one
REPRESENTATIVES: Final = 4
CANDIDATES: Final = 6
HOT: Final = 16  # a key shared by more rows of one batch than this says nothing about them
BUCKET_WIDTH: Final = 8
MAX_LOAD: Final = 0.5
SLICES: Final = 8
_HEAD: Final = TAGS + K  # tags + sketch: the part of a signature held per representative
_U64 = np.uint64
_MIX: Final = _U64(0x9E3779B185EBCA87)
_NONE: Final = -1


class Assignment(tuple[int, bool]):
    """``(story key, created)``, and how the post matched: ``how`` is "" for a new story, "exact",
    "resemblance", "containment" or "forward"; ``similarity`` the Jaccard or containment figure.
    Compares equal to the plain pair."""

    how: str
    similarity: float

    def __new__(cls, key: int, created: bool, how: str = "", similarity: float = 0.0) -> "Assignment":
        self = super().__new__(cls, (key, created))
        self.how, self.similarity = how, similarity
        return self


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
    sa, sb = a[:, TAGS:_HEAD], b[:, TAGS:_HEAD]
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


def _decide(
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


def _top_pairs(
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


def _earlier_matches(sigs: npt.NDArray[np.uint32]) -> dict[int, list[tuple[int, float]]]:
    """Per row, the earlier rows of the batch it matches (row, score), among the ``CANDIDATES``
    sharing the most keys with it; a key held by more than ``HOT`` rows is not used."""
    n = len(sigs)
    if n < 2:
        return {}
    keys = sigs[:, TAGS + K :].ravel()
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
    later, other = _top_pairs(np.concatenate(later_parts), np.concatenate(earlier_parts), n)
    scores = _decide(*compare(sigs[later, :_HEAD], sigs[other, :_HEAD]))
    matched = scores > 0
    found: dict[int, list[tuple[int, float]]] = {}
    for row, earlier, score in zip(
        later[matched].tolist(), other[matched].tolist(), scores[matched].tolist(), strict=True
    ):
        found.setdefault(row, []).append((earlier, score))
    return found


def _buckets(keys: npt.NDArray[np.uint32], shift: np.uint64) -> npt.NDArray[np.intp]:
    """Bucket of a key: keys are the smallest hashes of their texts, so remix before taking top bits."""
    mixed = (keys.astype(np.uint64) * _MIX) >> shift
    return mixed.astype(np.intp)


class NearDupIndex:
    """Live stories of the hot window and their representative signatures (see module docstring)."""

    def __init__(self, window: timedelta, *, capacity: int = 1024) -> None:
        self._slice = window.total_seconds() / SLICES
        self._window = window
        self._slot_of: dict[int, int] = {}  # story key -> its first representative's slot
        self._heads = np.zeros((capacity, _HEAD), dtype=np.uint32)
        self._keys = np.zeros(capacity, dtype=np.int64)
        self._next = np.full(capacity, _NONE, dtype=np.int32)  # the story's next representative
        self._generations = np.zeros(capacity, dtype=np.int64)  # a story's, on its first slot
        self._first = np.zeros(capacity, dtype=np.int32)  # the first representative of a slot's story
        self._live = np.zeros(capacity, dtype=bool)
        self._free = list(range(capacity - 1, -1, -1))
        self._oldest = np.iinfo(np.int64).max
        buckets = 1
        while buckets * BUCKET_WIDTH * MAX_LOAD < L * capacity:
            buckets *= 2
        self._set_table(buckets)
        self._entries = 0

    def _set_table(self, buckets: int) -> None:
        self._shift = _U64(64 - buckets.bit_length() + 1)  # buckets is a power of two
        self._table_keys = np.zeros((buckets, BUCKET_WIDTH), dtype=np.uint32)
        self._table_slots = np.zeros((buckets, BUCKET_WIDTH), dtype=np.int32)

    def __len__(self) -> int:
        return len(self._slot_of)

    def nbytes(self) -> int:
        """Estimated bytes held: the numpy arrays plus the story-key dict and the free-slot list."""
        arrays = (self._heads, self._keys, self._next, self._generations, self._first, self._live)
        tables = self._table_keys.nbytes + self._table_slots.nbytes
        dict_bytes = len(self._slot_of) * (36 + 28 + 40)  # key int, slot int, entry with spare room
        return sum(array.nbytes for array in arrays) + tables + dict_bytes + 8 * len(self._free)

    def _generation(self, at: datetime) -> int:
        return int(at.timestamp() // self._slice)

    def assign(self, signature: Signature, at: datetime) -> Assignment:
        """The live story ``signature`` repeats (touched to ``at``), else a new one: (key, created)."""
        return self.assign_many(np.asarray(signature, dtype=np.uint32)[None, :], [at])[0]

    def assign_many(
        self,
        signatures: npt.NDArray[np.uint32],
        times: Sequence[datetime],
        known: Sequence[int | None] | None = None,
    ) -> list[Assignment]:
        """``assign`` for each row in order, or ``add`` for a row whose ``known[row]`` is a story key
        (a formal forward: the result is then ``(key, False)``, ``how`` "forward").

        The band lookups and the comparisons against the stories held before the batch are a few
        numpy calls for the whole batch; a row is compared with the representatives added earlier
        in the batch through a dict of their keys, and those enter the bucket table at the end.
        """
        sigs = np.asarray(signatures, dtype=np.uint32)
        if len(sigs) == 0:
            return []
        best = self._best_held(sigs)
        earlier = _earlier_matches(sigs)
        generations = [int(at.timestamp() // self._slice) for at in times]
        slot_of_row: dict[int, int] = {}  # row -> the representative it became in this batch
        placed: list[tuple[int, int]] = []  # (row, slot) of representatives to put in the table
        touched: list[tuple[int, int]] = []  # (story's first slot, generation)
        out: list[Assignment] = []
        slot_of = self._slot_of
        for row in range(len(sigs)):
            given = known[row] if known is not None else None
            if given is not None:
                key, how = given, "forward"
            else:
                slot, score = best[row]
                for other, other_score in earlier.get(row, ()):
                    if other_score > score and other in slot_of_row:
                        slot, score = slot_of_row[other], other_score
                first = slot_of[int(self._keys[slot])] if score > 0 else _NONE
                if score > 0 and not self._conflicts(first, sigs[row]):
                    key = int(self._keys[slot])
                    score = score - 2 if score > 2 else score
                    how = "resemblance" if score > 1 else "containment"
                    touched.append((first, generations[row]))
                    if self._adds_something(score, sigs[row], first) and self._count(first) < REPRESENTATIVES:
                        slot_of_row[row] = self._new_slot(key, sigs[row], generations[row], first)
                        placed.append((row, slot_of_row[row]))
                    out.append(Assignment(key, False, how, score - 1 if score > 1 else score))
                    continue
                key, how = key_of(sigs[row]), "exact"
            held = slot_of.get(key)
            if held is not None:  # a forward to a live story, or an identical signature
                touched.append((held, generations[row]))
                out.append(Assignment(key, False, how, 1.0 if how == "exact" else 0.0))
                continue
            slot_of_row[row] = self._new_slot(key, sigs[row], generations[row], _NONE)
            placed.append((row, slot_of_row[row]))
            out.append(Assignment(key, given is None, "forward" if given is not None else ""))
        if touched:
            firsts, gens = zip(*touched, strict=True)
            np.maximum.at(self._generations, np.array(firsts, dtype=np.intp), np.array(gens, dtype=np.int64))
        if placed:
            rows, slots = zip(*placed, strict=True)
            self._place_new(sigs[list(rows), TAGS + K :], list(slots))
        return out

    def _reps(self, first: int) -> list[int]:
        slots, slot = [], first
        while slot != _NONE:
            slots.append(slot)
            slot = int(self._next[slot])
        return slots

    def _conflicts(self, first: int, signature: Signature) -> bool:
        """Whether the post's tags conflict with any representative of the story (see ``compare``):
        "X" may join "سخنگوی دولت: X", but "نماینده مجلس: X" may not join the story then."""
        numbers, head = int(signature[1]), int(signature[2])
        if not numbers and not head:
            return False
        for slot in self._reps(first):
            other_numbers, other_head = int(self._heads[slot, 1]), int(self._heads[slot, 2])
            if head and other_head and head != other_head:
                return True
            small = max(int(signature[0]) & ~(CUT | SHORT), int(self._heads[slot, 0]) & ~(CUT | SHORT))
            if numbers & ~other_numbers and other_numbers & ~numbers and small < FIGURE_TEXT:
                return True
        return False

    def _adds_something(self, score: float, signature: Signature, first: int) -> bool:
        """Whether a member is worth keeping as a representative: it matched by containment (a
        longer version, or the item without the first post's commentary), only just resembled,
        or brings an attribution head the story's representatives lack."""
        if score <= 1 or score - 1 < REP_J:
            return True
        return bool(signature[2]) and not any(self._heads[rep, 2] for rep in self._reps(first))

    def _count(self, first: int) -> int:
        count, slot = 0, first
        while slot != _NONE:
            count += 1
            slot = int(self._next[slot])
        return count

    def _best_held(self, sigs: npt.NDArray[np.uint32]) -> list[tuple[int, float]]:
        """Per row, the held representative that matches best: (slot, score); (0, 0.0) if none.
        Only the ``CANDIDATES`` representatives sharing the most keys with a row are compared."""
        best = [(0, 0.0)] * len(sigs)
        keys = sigs[:, TAGS + K :]
        buckets = _buckets(keys, self._shift)
        rows, columns, ways = np.nonzero(
            (self._table_keys[buckets] == keys[..., None]) & (keys[..., None] != 0)
        )
        if not len(rows):
            return best
        slots = self._table_slots[buckets[rows, columns], ways].astype(np.int64)
        pair_rows, pair_slots = _top_pairs(rows.astype(np.int64), slots, len(self._keys))
        scores = _decide(*compare(sigs[pair_rows, :_HEAD], self._heads[pair_slots]))
        matched = scores > 0
        pair_rows, pair_slots, scores = pair_rows[matched], pair_slots[matched], scores[matched]
        order = np.lexsort((-scores, pair_rows))
        first = order[np.flatnonzero(np.diff(pair_rows[order], prepend=-1))]
        for row, slot, score in zip(
            pair_rows[first].tolist(), pair_slots[first].tolist(), scores[first].tolist(), strict=True
        ):
            best[row] = (slot, score)
        return best

    def _new_slot(self, key: int, signature: Signature, generation: int, first: int) -> int:
        """A representative in the slot arrays (not yet in the bucket table): a new story's first
        (``first`` is _NONE) or another of the story whose first representative is ``first``."""
        if not self._free:
            self._grow_slots()
        slot = self._free.pop()
        self._heads[slot] = signature[:_HEAD]
        self._keys[slot] = key
        self._live[slot] = True
        if first == _NONE:
            self._slot_of[key] = slot
            self._next[slot] = _NONE
            self._generations[slot] = generation
            self._first[slot] = slot
            self._oldest = min(self._oldest, generation)
        else:
            self._next[slot] = self._next[first]
            self._next[first] = slot
            self._first[slot] = first
        return slot

    def _place_new(self, keys: npt.NDArray[np.uint32], slots: list[int]) -> None:
        """Key entries of new representatives (already live in the slot arrays) into the table."""
        owners = np.repeat(np.array(slots, dtype=np.int32), L)
        flat = keys.ravel()
        present = flat != 0
        flat, owners = flat[present], owners[present]
        needed = self._entries + len(flat)
        if needed > self._table_keys.size * MAX_LOAD:
            size = len(self._table_keys)
            while needed > size * BUCKET_WIDTH * MAX_LOAD:
                size *= 2
            self._grow_table(size)
        self._place(_buckets(flat, self._shift), flat, owners)

    def add(self, story_key: int, signature: Signature, at: datetime) -> None:
        """Index a story under its stored key (reload from storage); a known key is only touched."""
        if story_key in self._slot_of:
            self.touch(story_key, at)
            return
        signature = np.asarray(signature, dtype=np.uint32)
        slot = self._new_slot(story_key, signature, self._generation(at), _NONE)
        self._place_new(signature[None, TAGS + K :], [slot])

    def split(self, story_key: int, signature: Signature, at: datetime) -> int:
        """Move a post that ``assign`` put into ``story_key`` into a story of its own (the stance
        step does this for a denial): a representative it became is dropped; returns the new key.
        Later copies of the post then match the new story better than the old one."""
        signature = np.asarray(signature, dtype=np.uint32)
        first = self._slot_of.get(story_key)
        previous, slot = _NONE, first if first is not None else _NONE
        while slot != _NONE:
            following = int(self._next[slot])
            if previous != _NONE and np.array_equal(self._heads[slot], signature[:_HEAD]):
                self._next[previous] = following
                self._drop_slots(np.array([slot]))
                break
            previous, slot = slot, following
        key = key_of(signature)
        self.add(key, signature, at)
        return key

    def touch(self, story_key: int, at: datetime) -> None:
        """Keep a story live until ``at`` + window (a new post joined it); unknown keys are ignored."""
        slot = self._slot_of.get(story_key)
        if slot is not None:
            self._touch_slot(slot, self._generation(at))

    def expire(self, now: datetime) -> int:
        """Drop the stories whose generation has left the window ending at ``now``; returns how many."""
        cutoff = self._generation(now - self._window)
        if self._oldest >= cutoff:
            return 0
        dead = np.flatnonzero(self._live & (self._generations[self._first] < cutoff))
        stories = 0
        for key in set(self._keys[dead].tolist()):
            del self._slot_of[key]
            stories += 1
        self._drop_slots(dead)
        if self._slot_of:
            self._oldest = int(self._generations[self._first[self._live]].min())
        else:
            self._oldest = np.iinfo(np.int64).max
        return stories

    def _drop_slots(self, slots: npt.NDArray[np.intp]) -> None:
        self._live[slots] = False
        self._free.extend(slots.tolist())
        stale = (~self._live[self._table_slots]) & (self._table_keys != 0)
        self._table_keys[stale] = 0
        self._entries -= int(np.count_nonzero(stale))

    def _touch_slot(self, first: int, generation: int) -> None:
        """Move the story whose first representative is ``first`` to ``generation``."""
        self._generations[first] = max(self._generations[first], generation)

    def _place(
        self, buckets: npt.NDArray[np.intp], keys: npt.NDArray[np.uint32], slots: npt.NDArray[np.int32]
    ) -> None:
        """Put key entries into their buckets; a full bucket loses a pseudo-random old entry."""
        if len(buckets) <= L and len(set(buckets.tolist())) == len(buckets):
            # One signature's keys in distinct buckets (the usual single add): first empty column.
            empty = self._table_keys[buckets] == 0
            columns = empty.argmax(axis=1)
            full = ~empty[np.arange(len(buckets)), columns]
            columns[full] = (keys[full] >> np.uint32(8)) % BUCKET_WIDTH
            self._entries += len(buckets) - int(np.count_nonzero(full))
            self._table_keys[buckets, columns] = keys
            self._table_slots[buckets, columns] = slots
            return
        order = np.argsort(buckets, kind="stable")
        buckets, keys, slots = buckets[order], keys[order], slots[order]
        # The n-th new entry of a bucket takes the bucket's n-th empty column (expiry leaves holes).
        rank = np.arange(len(buckets)) - np.searchsorted(buckets, buckets, side="left")
        empty = self._table_keys[buckets] == 0
        nth_empty = (np.cumsum(empty, axis=1) == (rank + 1)[:, None]) & empty
        columns = np.argmax(nth_empty, axis=1)
        full = ~nth_empty.any(axis=1)
        if full.any():
            columns[full] = (keys[full] >> np.uint32(8)) % BUCKET_WIDTH
            self._entries -= int(np.count_nonzero(full))
        self._table_keys[buckets, columns] = keys
        self._table_slots[buckets, columns] = slots
        self._entries += len(buckets)

    def _grow_slots(self) -> None:
        old = len(self._keys)
        self._heads = np.concatenate([self._heads, np.zeros_like(self._heads)])
        self._keys = np.concatenate([self._keys, np.zeros_like(self._keys)])
        self._next = np.concatenate([self._next, np.full_like(self._next, _NONE)])
        self._generations = np.concatenate([self._generations, np.zeros_like(self._generations)])
        self._first = np.concatenate([self._first, np.zeros_like(self._first)])
        self._live = np.concatenate([self._live, np.zeros_like(self._live)])
        self._free.extend(range(2 * old - 1, old - 1, -1))

    def _grow_table(self, size: int) -> None:
        """Grow the bucket table to ``size`` buckets and re-place its entries (a key is its own
        fingerprint, so the entries carry all that placing needs)."""
        held = self._table_keys != 0
        keys, slots = self._table_keys[held], self._table_slots[held]
        self._set_table(size)
        self._entries = 0
        if len(keys):
            self._place(_buckets(keys, self._shift), keys, slots)
