"""The near-duplicate index of the hot window: which live story, if any, a new post repeats.

Each story keeps one representative signature (its first post's). A post joins the live story
whose representative agrees with it in at least ``MATCH`` of the ``K`` signature positions
(estimated Jaccard similarity >= MATCH / K), else starts a new story. Joined posts are not indexed
themselves: comparing with the representative only (a star, not a chain) keeps a story from
drifting, one small edit at a time, into a different item.

Candidates come from LSH banding: ``BANDS`` bands of ``ROWS`` signature positions; two signatures
sharing any whole band are compared. Band entries live in one numpy bucket table
(``BUCKET_WIDTH`` slots a bucket, 32-bit band fingerprint + story slot, load at most one half,
doubling when full): 8 bytes an entry at a load between 1/4 and 1/2, where a Python dict of band keys
measured ~114 bytes an entry. A full bucket drops a pseudo-random old entry; an identical
signature still finds its story by the exact key (``story_key``).

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

from tabyin.monitor.pipeline.fingerprint import K, Signature, story_key

__all__ = ["BANDS", "MATCH", "ROWS", "NearDupIndex"]

MATCH: Final = 33  # of K = 64 positions: Jaccard >= 0.52, tuned on benchmarks/monitor_repost_set.py
ROWS: Final = 3
BANDS: Final = K // ROWS
BUCKET_WIDTH: Final = 8
SLICES: Final = 8
_U64 = np.uint64
_BAND_MIX: Final = np.array(
    [0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9][:ROWS], dtype=np.uint64
)
_BAND_SALT: Final = (np.arange(BANDS, dtype=np.uint64) + _U64(1)) * _U64(0x27D4EB2F165667C5)
_PRIME: Final = _U64(0xC2B2AE3D27D4EB4F)
_BAND_RANGE: Final = np.arange(BANDS)
_Located = tuple[npt.NDArray[np.intp], npt.NDArray[np.uint32], npt.NDArray[np.uint32]]


def _band_hashes(signatures: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint64]:
    """(..., BANDS) 64-bit hashes of the bands of signatures (..., K); few numpy calls, no Python hash()."""
    bands = signatures[..., : BANDS * ROWS].reshape(*signatures.shape[:-1], BANDS, ROWS).astype(np.uint64)
    values = (bands @ _BAND_MIX) ^ _BAND_SALT
    values *= _PRIME
    mixed: npt.NDArray[np.uint64] = values ^ (values >> _U64(29))
    return mixed


class NearDupIndex:
    """Live stories of the hot window and their representative signatures (see module docstring)."""

    def __init__(self, window: timedelta, *, capacity: int = 1024) -> None:
        self._slice = window.total_seconds() / SLICES
        self._window = window
        self._slot_of: dict[int, int] = {}
        self._signatures = np.zeros((capacity, K), dtype=np.uint32)
        self._keys = np.zeros(capacity, dtype=np.int64)
        self._generations = np.zeros(capacity, dtype=np.int64)
        self._live = np.zeros(capacity, dtype=bool)
        self._free = list(range(capacity - 1, -1, -1))
        self._oldest = np.iinfo(np.int64).max
        buckets = 1
        while buckets * BUCKET_WIDTH < 2 * BANDS * capacity:
            buckets *= 2
        self._shift = _U64(64 - buckets.bit_length() + 1)  # buckets is a power of two
        self._band_keys = np.zeros((buckets, BUCKET_WIDTH), dtype=np.uint32)
        self._band_slots = np.zeros((buckets, BUCKET_WIDTH), dtype=np.int32)
        self._entries = 0

    def __len__(self) -> int:
        return len(self._slot_of)

    def nbytes(self) -> int:
        """Estimated bytes held: the numpy arrays plus the story-key dict and the free-slot list."""
        arrays = (
            self._signatures,
            self._keys,
            self._generations,
            self._live,
            self._band_keys,
            self._band_slots,
        )
        dict_bytes = len(self._slot_of) * (36 + 28 + 40)  # key int, slot int, entry with spare room
        return sum(array.nbytes for array in arrays) + dict_bytes + 8 * len(self._free)

    def _generation(self, at: datetime) -> int:
        return int(at.timestamp() // self._slice)

    def assign(self, signature: Signature, at: datetime) -> tuple[int, bool]:
        """The live story ``signature`` repeats (touched to ``at``), else a new one: (key, created)."""
        signature = np.asarray(signature, dtype=np.uint32)
        return self._assign(signature, at, _band_hashes(signature))

    def assign_many(
        self,
        signatures: npt.NDArray[np.uint32],
        times: Sequence[datetime],
        known: Sequence[int | None] | None = None,
    ) -> list[tuple[int, bool]]:
        """``assign`` for each row in order, or ``add`` for a row whose ``known[row]`` is a story key
        (a formal forward: the result is then ``(key, False)``).

        The same results as one call per row, with one exception that needs a bucket to overflow
        inside the batch (an entry it evicts is still found by later rows). The band lookups and
        the comparisons against the stories held before the batch are a few numpy calls for the
        whole batch; a row is compared with the stories started earlier in the batch through a dict
        of their band hashes, and those stories enter the bucket table together at the end.
        """
        sigs = np.asarray(signatures, dtype=np.uint32)
        n = len(sigs)
        if n == 0:
            return []
        hashes = _band_hashes(sigs)
        best = self._best_held(sigs, hashes)
        slice_ = self._slice
        generations = [int(at.timestamp() // slice_) for at in times]
        local: dict[int, list[int]] = {}  # band hash -> slots of stories started in this batch
        new_rows: list[int] = []
        touched: list[tuple[int, int]] = []
        out: list[tuple[int, bool]] = []
        hash_rows = hashes.tolist()
        slot_of = self._slot_of
        for row in range(n):
            given = known[row] if known is not None else None
            if given is None:
                slot, agree, _ = best[row]
                if not local.keys().isdisjoint(hash_rows[row]):
                    slot, agree = self._best_local(sigs[row], hash_rows[row], local, best[row])
                if agree >= MATCH:
                    touched.append((slot, generations[row]))
                    out.append((int(self._keys[slot]), False))
                    continue
                key = story_key(sigs[row])
            else:
                key = given
            held = slot_of.get(key)
            if held is not None:  # an add of a live story, or an identical signature (evicted bands)
                touched.append((held, generations[row]))
                out.append((key, False))
                continue
            slot = self._new_slot(key, sigs[row], generations[row])
            for band_hash in hash_rows[row]:
                local.setdefault(band_hash, []).append(slot)
            new_rows.append(row)
            out.append((key, given is None))
        if touched:
            slots, gens = zip(*touched, strict=True)
            np.maximum.at(self._generations, np.array(slots, dtype=np.intp), np.array(gens, dtype=np.int64))
        if new_rows:
            self._place_new(hashes[new_rows], [slot_of[out[row][0]] for row in new_rows])
        return out

    def _best_local(
        self,
        signature: Signature,
        band_hashes: list[int],
        local: dict[int, list[int]],
        held: tuple[int, int, int],
    ) -> tuple[int, int]:
        """The better of the best held story (slot, agreement, band) and the stories started in this
        batch sharing a band with ``signature``; a tie goes to the one met first in band order."""
        slot, agree, band = held
        first_band: dict[int, int] = {}
        for b, band_hash in enumerate(band_hashes):
            for candidate in local.get(band_hash, ()):
                first_band.setdefault(candidate, b)
        ordered = list(first_band)
        counts = np.count_nonzero(self._signatures[ordered] == signature, axis=1)
        top = int(counts.argmax())
        if counts[top] > agree or (counts[top] == agree and first_band[ordered[top]] < band):
            return ordered[top], int(counts[top])
        return slot, agree

    def _best_held(
        self, sigs: npt.NDArray[np.uint32], hashes: npt.NDArray[np.uint64]
    ) -> list[tuple[int, int, int]]:
        """Per row, the held story agreeing most (first in band order on a tie): (slot, agreement,
        band it was first met in); (0, -1, BANDS) when no band is shared."""
        best = [(0, -1, BANDS)] * len(sigs)
        buckets, prints = self._locate(hashes)
        rows, bands, columns = np.nonzero(self._band_keys[buckets] == prints[..., None])
        if len(rows):
            slots = self._band_slots[buckets[rows, bands], columns]
            agree = np.count_nonzero(self._signatures[slots] == sigs[rows], axis=1)
            # Per row: the highest agreement, earliest candidate (np.nonzero's order) on a tie.
            order = np.lexsort((np.arange(len(rows)), -agree, rows))
            first = order[np.flatnonzero(np.diff(rows[order], prepend=-1))]
            for row, slot, count, band in zip(
                rows[first].tolist(),
                slots[first].tolist(),
                agree[first].tolist(),
                bands[first].tolist(),
                strict=True,
            ):
                best[row] = (slot, count, band)
        return best

    def _new_slot(self, key: int, signature: Signature, generation: int) -> int:
        """A story in the slot arrays (not yet in the bucket table)."""
        if not self._free:
            self._grow_slots()
        slot = self._free.pop()
        self._slot_of[key] = slot
        self._signatures[slot] = signature
        self._keys[slot] = key
        self._generations[slot] = generation
        self._oldest = min(self._oldest, generation)
        self._live[slot] = True
        return slot

    def _place_new(self, hashes: npt.NDArray[np.uint64], slots: list[int]) -> None:
        """Band entries of new stories (already live in the slot arrays) into the bucket table."""
        needed = self._entries + BANDS * len(slots)
        if needed * 2 > self._band_keys.size:
            size = len(self._band_keys)
            while needed * 2 > size * BUCKET_WIDTH:
                size *= 2
            self._grow_table(size)  # places every live story, the new ones too
            return
        buckets, prints = self._locate(hashes.ravel())
        self._place(buckets, prints, np.repeat(np.array(slots, dtype=np.int32), BANDS))

    def _assign(self, signature: Signature, at: datetime, hashes: npt.NDArray[np.uint64]) -> tuple[int, bool]:
        buckets, prints = self._locate(hashes)
        rows = self._band_keys[buckets]
        hits = rows == prints[:, None]
        if hits.any():
            candidates = self._band_slots[buckets][hits]
            agree = np.count_nonzero(self._signatures[candidates] == signature, axis=1)
            best = int(agree.argmax())
            if agree[best] >= MATCH:
                slot = int(candidates[best])
                self._touch_slot(slot, at)
                return int(self._keys[slot]), False
        key = story_key(signature)
        if key in self._slot_of:  # the same signature, its band entries evicted from full buckets
            self._touch_slot(self._slot_of[key], at)
            return key, False
        self._insert(key, signature, at, (buckets, prints, rows))
        return key, True

    def _locate(self, hashes: npt.NDArray[np.uint64]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.uint32]]:
        """Bucket (top bits of the hash) and nonzero 32-bit fingerprint (low bits) of band hashes."""
        buckets = (hashes >> self._shift).astype(np.intp)
        return buckets, hashes.astype(np.uint32) | np.uint32(1)

    def add(self, story_key: int, signature: Signature, at: datetime) -> None:
        """Index a story under its stored key (reload from storage); a known key is only touched."""
        if story_key in self._slot_of:
            self.touch(story_key, at)
            return
        self._insert(story_key, np.asarray(signature, dtype=np.uint32), at, None)

    def touch(self, story_key: int, at: datetime) -> None:
        """Keep a story live until ``at`` + window (a new post joined it); unknown keys are ignored."""
        slot = self._slot_of.get(story_key)
        if slot is not None:
            self._touch_slot(slot, at)

    def expire(self, now: datetime) -> int:
        """Drop the stories whose generation has left the window ending at ``now``; returns how many."""
        cutoff = self._generation(now - self._window)
        if self._oldest >= cutoff:
            return 0
        dead = self._live & (self._generations < cutoff)
        slots = np.flatnonzero(dead)
        for key in self._keys[slots].tolist():
            del self._slot_of[key]
        self._live[slots] = False
        self._free.extend(slots.tolist())
        stale = dead[self._band_slots] & (self._band_keys != 0)
        self._band_keys[stale] = 0
        self._entries -= int(np.count_nonzero(stale))
        self._oldest = int(self._generations[self._live].min()) if self._slot_of else np.iinfo(np.int64).max
        return len(slots)

    def _touch_slot(self, slot: int, at: datetime) -> None:
        generation = self._generation(at)
        self._generations[slot] = max(self._generations[slot], generation)

    def _insert(self, key: int, signature: Signature, at: datetime, located: _Located | None) -> None:
        """Store a new story; ``located`` is assign's (buckets, prints, bucket rows), still valid."""
        if not self._free:
            self._grow_slots()
        if (self._entries + BANDS) * 2 > self._band_keys.size:
            self._grow_table()
            located = None
        slot = self._free.pop()
        self._slot_of[key] = slot
        self._signatures[slot] = signature
        self._keys[slot] = key
        generation = self._generation(at)
        self._generations[slot] = generation
        self._oldest = min(self._oldest, generation)
        self._live[slot] = True
        if located is None:
            buckets, prints = self._locate(_band_hashes(signature))
            rows = None
        else:
            buckets, prints, rows = located
        if rows is None or len(set(buckets.tolist())) < BANDS:
            self._place(buckets, prints, np.full(BANDS, slot, dtype=np.int32))
            return
        # The usual case, one story whose bands fall in distinct buckets: first empty column each.
        empty = rows == 0
        columns = empty.argmax(axis=1)
        full = ~empty[_BAND_RANGE, columns]
        if full.any():
            columns[full] = (prints[full] >> np.uint32(8)) % BUCKET_WIDTH
        self._entries += BANDS - int(np.count_nonzero(full))
        self._band_keys[buckets, columns] = prints
        self._band_slots[buckets, columns] = slot

    def _place(
        self, buckets: npt.NDArray[np.intp], prints: npt.NDArray[np.uint32], slots: npt.NDArray[np.int32]
    ) -> None:
        """Put band entries into their buckets; a full bucket loses a pseudo-random old entry."""
        order = np.argsort(buckets, kind="stable")
        buckets, prints, slots = buckets[order], prints[order], slots[order]
        # The n-th new entry of a bucket takes the bucket's n-th empty column (expiry leaves holes).
        rank = np.arange(len(buckets)) - np.searchsorted(buckets, buckets, side="left")
        empty = self._band_keys[buckets] == 0
        nth_empty = (np.cumsum(empty, axis=1) == (rank + 1)[:, None]) & empty
        columns = np.argmax(nth_empty, axis=1)
        full = ~nth_empty.any(axis=1)
        if full.any():
            columns[full] = (prints[full] >> np.uint32(8)) % BUCKET_WIDTH
            self._entries -= int(np.count_nonzero(full))
        self._band_keys[buckets, columns] = prints
        self._band_slots[buckets, columns] = slots
        self._entries += len(buckets)

    def _grow_slots(self) -> None:
        old = len(self._keys)
        self._signatures = np.concatenate([self._signatures, np.zeros_like(self._signatures)])
        self._keys = np.concatenate([self._keys, np.zeros_like(self._keys)])
        self._generations = np.concatenate([self._generations, np.zeros_like(self._generations)])
        self._live = np.concatenate([self._live, np.zeros_like(self._live)])
        self._free.extend(range(2 * old - 1, old - 1, -1))

    def _grow_table(self, size: int = 0) -> None:
        """Double the bucket table (or grow it to ``size`` buckets) and re-place every live story's
        bands (from its signature)."""
        size = size or 2 * len(self._band_keys)
        self._shift = _U64(64 - size.bit_length() + 1)
        self._band_keys = np.zeros((size, BUCKET_WIDTH), dtype=np.uint32)
        self._band_slots = np.zeros((size, BUCKET_WIDTH), dtype=np.int32)
        self._entries = 0
        slots = np.flatnonzero(self._live).astype(np.int32)
        if len(slots):
            buckets, prints = self._locate(_band_hashes(self._signatures[slots]).ravel())
            self._place(buckets, prints, np.repeat(slots, BANDS))
