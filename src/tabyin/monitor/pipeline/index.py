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

from tabyin.monitor.pipeline.buckets import free_ways
from tabyin.monitor.pipeline.canonical import FrameLines
from tabyin.monitor.pipeline.fingerprint import CUT, SHORT, TAGS, WIDTH, K, L, Signature
from tabyin.monitor.pipeline.fingerprint import story_key as key_of
from tabyin.monitor.pipeline.prefix import BatchPrefixes, PrefixTable, registrations
from tabyin.monitor.pipeline.similarity import (
    CONTAIN_MIN,
    FIGURE_TEXT,
    HEAD,
    MATCH_C,
    MATCH_J,
    Assignment,
    best_of,
    compare,
    decide,
    earlier_matches,
    top_pairs,
)

__all__ = [
    "CONTAIN_MIN",
    "MATCH_C",
    "MATCH_J",
    "REPRESENTATIVES",
    "Assignment",
    "NearDupIndex",
    "compare",
]

REP_J: Final = 0.7  # a member resembling its representative less than this may become one
REPRESENTATIVES: Final = 4
BUCKET_WIDTH: Final = 8
MAX_LOAD: Final = 0.5
SLICES: Final = 8
_U64 = np.uint64
_MIX: Final = _U64(0x9E3779B185EBCA87)
_NONE: Final = -1


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
        self._heads = np.zeros((capacity, HEAD), dtype=np.uint32)
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
        # The commentary lines learnt from this index's stories (canonical.FrameLines): the
        # caller canonicalises through it and tells it where the posts went.
        self.frames = FrameLines()
        self._prefixes = PrefixTable()  # copies cut to a few words (prefix.py)

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
        tables += self._prefixes.nbytes()
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
        earlier = earlier_matches(sigs)
        prefixes = self._prefixes.batch(sigs, self._first, self._live)
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
                slot, score = best_of(best[row], earlier.get(row, ()), slot_of_row)
                first = slot_of[int(self._keys[slot])] if score > 0 else _NONE
                if score > 0 and not self._conflicts(first, sigs[row]):
                    key = int(self._keys[slot])
                    score = score - 2 if score > 2 else score
                    how = "resemblance" if score > 1 else "containment"
                    touched.append((first, generations[row]))
                    if self._adds_something(score, sigs[row], first) and self._count(first) < REPRESENTATIVES:
                        slot_of_row[row] = self._new_slot(key, sigs[row], generations[row], first)
                        placed.append((row, slot_of_row[row]))
                        prefixes.enter(row, first)
                    out.append(Assignment(key, False, how, score - 1 if score > 1 else score))
                    continue
                key, how = key_of(sigs[row]), "exact"
            held = slot_of.get(key)
            if held is not None:  # a forward to a live story, or an identical signature
                touched.append((held, generations[row]))
                out.append(Assignment(key, False, how, 1.0 if how == "exact" else 0.0))
                continue
            first = prefixes.story(row) if given is None else _NONE
            if first != _NONE and not self._conflicts(first, sigs[row]):
                touched.append((first, generations[row]))
                out.append(Assignment(int(self._keys[first]), False, "prefix", 1.0))
                continue
            slot_of_row[row] = self._new_slot(key, sigs[row], generations[row], _NONE)
            placed.append((row, slot_of_row[row]))
            prefixes.enter(row, slot_of_row[row])
            out.append(Assignment(key, given is None, "forward" if given is not None else ""))
        self._settle(sigs, touched, placed, prefixes)
        return out

    def _settle(
        self,
        sigs: npt.NDArray[np.uint32],
        touched: list[tuple[int, int]],
        placed: list[tuple[int, int]],
        prefixes: BatchPrefixes,
    ) -> None:
        """At the end of a batch: stories touched to their new generations, new representatives
        into the bucket table and the prefix table."""
        if touched:
            firsts, gens = zip(*touched, strict=True)
            np.maximum.at(self._generations, np.array(firsts, dtype=np.intp), np.array(gens, dtype=np.int64))
        if placed:
            rows, slots = zip(*placed, strict=True)
            self._place_new(sigs[list(rows), TAGS + K : WIDTH], list(slots))
            prefixes.place(list(rows), list(slots))

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
        or brings an attribution head the story's representatives lack (or, in a story whose
        representatives all name a speaker, the words without one: an unattributed copy then
        finds its own kind instead of scattering over the speakers' stories)."""
        if score <= 1 or score - 1 < REP_J:
            return True
        heads = [int(self._heads[rep, 2]) for rep in self._reps(first)]
        if signature[2]:
            return not any(heads)
        return all(heads)  # the unattributed words of a story whose representatives all name someone

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
        keys = sigs[:, TAGS + K : WIDTH]
        buckets = _buckets(keys, self._shift)
        rows, columns, ways = np.nonzero(
            (self._table_keys[buckets] == keys[..., None]) & (keys[..., None] != 0)
        )
        if not len(rows):
            return best
        slots = self._table_slots[buckets[rows, columns], ways].astype(np.int64)
        pair_rows, pair_slots = top_pairs(rows.astype(np.int64), slots, len(self._keys))
        scores = decide(*compare(sigs[pair_rows, :HEAD], self._heads[pair_slots]))
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
        self._heads[slot] = signature[:HEAD]
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
        self._place_new(signature[None, TAGS + K : WIDTH], [slot])
        self._prefixes.place(*registrations(signature[None, :]), [slot])

    def split(self, story_key: int, signature: Signature, at: datetime) -> int:
        """Move a post that ``assign`` put into ``story_key`` into a story of its own (the stance
        step does this for a denial): a representative it became is dropped; returns the new key.
        Later copies of the post then match the new story better than the old one."""
        signature = np.asarray(signature, dtype=np.uint32)
        first = self._slot_of.get(story_key)
        previous, slot = _NONE, first if first is not None else _NONE
        while slot != _NONE:
            following = int(self._next[slot])
            if previous != _NONE and np.array_equal(self._heads[slot], signature[:HEAD]):
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
        self._prefixes.drop(self._live)
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
        order, ways, lost = free_ways(self._table_keys, buckets, keys)
        self._table_keys[buckets[order], ways] = keys[order]
        self._table_slots[buckets[order], ways] = slots[order]
        self._entries += len(buckets) - lost

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
