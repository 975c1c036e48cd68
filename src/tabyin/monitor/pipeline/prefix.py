"""Copies cut to a few words: which live story starts with exactly these words (ADR 0043).

A copy cut to «X Y Z …» has a handful of character grams: no resemblance or containment figure
can place it (``similarity``). But its words are the start of the item: the index keeps, for each
representative, the 64-bit hashes of its first 2-5 words (``fingerprint``, "prefix" entries) and,
when it has at most 5 words, of the whole text ("whole" entries). A post that matched nothing else
joins a story when

* its whole text is a prefix entry of the story (the cut copy arrives after a longer version), or
* one of its prefixes is a whole entry of the story (the longer version arrives after the cut),

and **only one** live story answers: words that start several stories (a speaker head and its
first word, «من از …», a commentary line left in the text) say nothing about which one.

``PrefixTable`` holds the entries: a bucket table (``WAYS`` slots a bucket, load at most ½,
doubling) of a 32-bit key, a 32-bit check (the hash's other half) and the representative's slot;
entries of a freed slot are cleared with it. At most 5 entries a representative, 12 bytes each.
"""

from typing import Final

import numpy as np
import numpy.typing as npt

from tabyin.monitor.pipeline.buckets import free_ways
from tabyin.monitor.pipeline.fingerprint import PREFIXES, ROW, WIDTH

__all__ = ["AMBIGUOUS", "BatchPrefixes", "PrefixTable", "queries", "registrations"]

WAYS: Final = 8
MAX_LOAD: Final = 0.5
AMBIGUOUS: Final = -2
_U64 = np.uint64
_MIX: Final = _U64(0x9E3779B185EBCA87)
# A whole entry is keyed apart from the prefix entries: (low ^ _WHOLE_LOW) | 1, high ^ _WHOLE_HIGH.
_WHOLE_LOW: Final = np.uint32(0x5BD1E995)
_WHOLE_HIGH: Final = np.uint32(0x27D4EB2F)
_ONE: Final = np.uint32(1)

_Pairs = npt.NDArray[np.uint32]


def _split(rows: npt.NDArray[np.uint32]) -> tuple[_Pairs, _Pairs]:
    """(low, high) halves, shape (n, PREFIXES) each, of signature rows (zeros without prefixes)."""
    if rows.shape[1] < ROW:
        empty = np.zeros((len(rows), PREFIXES), dtype=np.uint32)
        return empty, empty
    pairs = rows[:, WIDTH : ROW - 1].reshape(len(rows), PREFIXES, 2)
    return pairs[..., 0], pairs[..., 1]


def _whole(low: _Pairs, high: _Pairs) -> tuple[_Pairs, _Pairs]:
    present = low != 0
    return np.where(present, (low ^ _WHOLE_LOW) | _ONE, 0), np.where(present, high ^ _WHOLE_HIGH, 0)


def registrations(rows: npt.NDArray[np.uint32]) -> tuple[_Pairs, _Pairs]:
    """What representatives are entered under, shape (n, PREFIXES) each (0: nothing): their
    prefixes as they are, and the whole text of a cut copy as a whole entry (a short post that
    was not cut may be a commentary line glued to nothing: longer posts must not gather on it)."""
    low, high = _split(rows)
    whole_low, whole_high = _whole(low[:, -1:], high[:, -1:])
    if rows.shape[1] >= ROW:
        whole_low = np.where(rows[:, -1:] != 0, whole_low, 0)
    return (
        np.concatenate([low[:, :-1], whole_low], axis=1),
        np.concatenate([high[:, :-1], whole_high], axis=1),
    )


def queries(rows: npt.NDArray[np.uint32]) -> tuple[_Pairs, _Pairs]:
    """What posts look up, shape (n, 2 * PREFIXES) each. Column i < PREFIXES asks for a story to
    join: the post's first 2 + i words among the whole entries (the last column: the post's whole
    text among the prefix entries); column PREFIXES + i asks for the other stories that start with
    the same words (the same hash as the other kind of entry)."""
    low, high = _split(rows)
    as_whole = _whole(low, high)
    join_low = np.concatenate([as_whole[0][:, :-1], low[:, -1:]], axis=1)
    join_high = np.concatenate([as_whole[1][:, :-1], high[:, -1:]], axis=1)
    other_low = np.concatenate([low[:, :-1], as_whole[0][:, -1:]], axis=1)
    other_high = np.concatenate([high[:, :-1], as_whole[1][:, -1:]], axis=1)
    return np.concatenate([join_low, other_low], axis=1), np.concatenate([join_high, other_high], axis=1)


class PrefixTable:
    """Prefix and whole entries of live representatives: (key, check) -> slot (see the module)."""

    def __init__(self, buckets: int = 256) -> None:
        self._set(buckets)
        self.entries = 0

    def _set(self, buckets: int) -> None:
        self._shift = _U64(64 - buckets.bit_length() + 1)  # buckets is a power of two
        self._keys = np.zeros((buckets, WAYS), dtype=np.uint32)
        self._checks = np.zeros((buckets, WAYS), dtype=np.uint32)
        self._slots = np.zeros((buckets, WAYS), dtype=np.int32)

    def nbytes(self) -> int:
        return self._keys.nbytes + self._checks.nbytes + self._slots.nbytes

    def _buckets(self, keys: npt.NDArray[np.uint32]) -> npt.NDArray[np.intp]:
        return ((keys.astype(np.uint64) * _MIX) >> self._shift).astype(np.intp)

    def find(self, low: _Pairs, high: _Pairs) -> dict[int, list[tuple[int, int]]]:
        """Per row of (low, high) pairs (0: none), the (column, slot) of the entries it equals."""
        buckets = self._buckets(low)
        rows, columns, ways = np.nonzero((self._keys[buckets] == low[..., None]) & (low != 0)[..., None])
        at = buckets[rows, columns]
        same = self._checks[at, ways] == high[rows, columns]
        found: dict[int, list[tuple[int, int]]] = {}
        slots = self._slots[at[same], ways[same]]
        for row, column, slot in zip(
            rows[same].tolist(), columns[same].tolist(), slots.tolist(), strict=True
        ):
            found.setdefault(row, []).append((column, slot))
        return found

    def batch(
        self, rows: npt.NDArray[np.uint32], first: npt.NDArray[np.int32], live: npt.NDArray[np.bool_]
    ) -> "BatchPrefixes":
        """The lookups of one batch of signature rows (``first``, ``live``: the index's arrays)."""
        return BatchPrefixes(self, rows, first, live)

    def place(self, low: _Pairs, high: _Pairs, slots: list[int]) -> None:
        """Enter each row's nonzero pairs under its slot; a full bucket loses a pseudo-random entry."""
        present = low != 0
        keys, checks = low[present], high[present]
        owners = np.repeat(np.array(slots, dtype=np.int32), present.sum(axis=1))
        if not len(keys):
            return
        if self.entries + len(keys) > self._keys.size * MAX_LOAD:
            self._grow(self.entries + len(keys))
        self._place(keys, checks, owners)

    def _place(self, keys: _Pairs, checks: _Pairs, owners: npt.NDArray[np.int32]) -> None:
        buckets = self._buckets(keys)
        order, ways, lost = free_ways(self._keys, buckets, checks)
        buckets = buckets[order]
        self._keys[buckets, ways] = keys[order]
        self._checks[buckets, ways] = checks[order]
        self._slots[buckets, ways] = owners[order]
        self.entries += len(buckets) - lost

    def _grow(self, needed: int) -> None:
        size = len(self._keys)
        while needed > size * WAYS * MAX_LOAD:
            size *= 2
        held = self._keys != 0
        keys, checks, owners = self._keys[held], self._checks[held], self._slots[held]
        self._set(size)
        self.entries = 0
        if len(keys):
            self._place(keys, checks, owners)

    def drop(self, live: npt.NDArray[np.bool_]) -> None:
        """Clear the entries of slots that are no longer live."""
        stale = (~live[self._slots]) & (self._keys != 0)
        self._keys[stale] = 0
        self.entries -= int(np.count_nonzero(stale))


class BatchPrefixes:
    """One batch's prefix lookups: what the held entries answer, and the entries of the batch's
    own new representatives (a pair two stories of the batch hold is ``AMBIGUOUS``)."""

    def __init__(
        self,
        table: PrefixTable,
        rows: npt.NDArray[np.uint32],
        first: npt.NDArray[np.int32],
        live: npt.NDArray[np.bool_],
    ) -> None:
        self._table, self._first, self._live = table, first, live
        low, high = queries(rows)
        self._held = table.find(low, high) if table.entries else {}
        self._entered = registrations(rows)
        # Rows that may meet an entry of this batch: one of their join pairs is among the rows'.
        entered = (self._entered[0].astype(np.uint64) << _U64(32)) | self._entered[1]
        joins = (low[:, :PREFIXES].astype(np.uint64) << _U64(32)) | high[:, :PREFIXES]
        self._maybe = (np.isin(joins, entered[entered != 0]) & (joins != 0)).any(axis=1).tolist()
        self._low, self._high = low, high
        self._entries: dict[tuple[int, int], int] = {}

    def _stories(self, row: int, column: int, held: list[int]) -> set[int]:
        """Live stories (first slots) with an entry equal to the row's ``column``."""
        low, high = int(self._low[row, column]), int(self._high[row, column])
        found = {int(self._first[slot]) for slot in held if self._live[slot]}
        if low and (in_batch := self._entries.get((low, high))) is not None:
            found.add(in_batch)
        return found

    def story(self, row: int) -> int:
        """The first slot of the one live story the row's lookups name, else -1: no story, or the
        words that matched also start another story."""
        held: dict[int, list[int]] = {}
        for column, slot in self._held.get(row, ()):
            held.setdefault(column, []).append(slot)
        if not (self._maybe[row] and self._entries) and not any(column < PREFIXES for column in held):
            return -1
        lows, highs, entries = self._low[row].tolist(), self._high[row].tolist(), self._entries
        joining: set[int] = set()
        for column in range(PREFIXES):
            if lows[column] and (column in held or (lows[column], highs[column]) in entries):
                joining |= self._stories(row, column, held.get(column, []))
                other = PREFIXES + column  # the same words as the other kind of entry
                joining |= self._stories(row, other, held.get(other, []))
        return joining.pop() if len(joining) == 1 and AMBIGUOUS not in joining else -1

    def enter(self, row: int, first: int) -> None:
        """Row ``row`` became a representative of the story whose first slot is ``first``."""
        for low, high in zip(self._entered[0][row].tolist(), self._entered[1][row].tolist(), strict=True):
            if low:
                held = self._entries.setdefault((low, high), first)
                if held != first:
                    self._entries[(low, high)] = AMBIGUOUS

    def place(self, rows: list[int], slots: list[int]) -> None:
        """Enter the batch's new representatives into the table (at the end of the batch)."""
        self._table.place(self._entered[0][rows], self._entered[1][rows], slots)
