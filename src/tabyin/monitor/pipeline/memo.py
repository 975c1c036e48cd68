"""What the pure step worked out for a text, kept for the next post with the same text.

Forwards, cross-posts and re-fetched edits repeat a text byte for byte, within a batch and across
batches (on the benchmark's input about a third of the new posts repeat an earlier text). Every
per-text step of :func:`pipeline.batch.decide` is a function of the raw text alone, given the
functions (``Steps``), the watch-query matcher and the classifier: the canonical text and its
signature, the sentiment label and score, the rumor cue, the matched queries (and those found only
in hashtags) and the denial cue. :class:`TextMemo` keeps them, keyed by a 128-bit xxh3 hash of the
text, so the second copy costs a dict lookup, and the decisions are the ones the first copy got.

The labels are only valid for the matcher and the classifier they were made with: binding another
one (a watch query changed, a model was trained) forgets them. The signature part is valid for
the ``Steps`` it was made with. The memo holds at most ``capacity`` texts; the least recently
used one goes first. An entry is about 0.8 KB (the signature row is half of it): ~16 MB when full.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import xxhash

__all__ = ["CAPACITY", "EMPTY", "Labels", "TextMemo"]

CAPACITY: Final = 20_000
EMPTY: Final = b""  # what the memo holds for a text whose canonical text is empty


@dataclass(frozen=True, slots=True)
class Labels:
    sentiment: str
    score: float
    rumor: bool
    matches: tuple[int, ...]
    tag_matches: tuple[int, ...]
    denial: bool


class TextMemo:
    """Per-text results (see the module docstring); one per process, not shared between threads
    without the caller's lock (ingestion holds one)."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        # hash -> the text's signature, or EMPTY when its canonical text is empty
        self._fingerprints: dict[bytes, Any] = {}
        self._labels: dict[bytes, Labels] = {}
        self._steps: Any = None
        self._frames_version = 0
        self._judges: tuple[Any, Any] = (None, None)
        self._keys: dict[str, bytes] = {}  # the current batch's texts
        self.hits = 0
        self.misses = 0

    def key(self, text: str) -> bytes:
        """The text's key (each distinct text of a batch is hashed once)."""
        found = self._keys.get(text)
        if found is None:
            found = self._keys[text] = xxhash.xxh3_128_digest(text.encode("utf-8", "surrogatepass"))
        return found

    def bind(self, steps: Any, matcher: Any, classifier: Any, frames_version: int = 0) -> None:
        """Start a batch: forget what was made with other functions, another matcher or another
        classifier, and the signatures once the index has learnt a new frame line (the canonical
        text of a raw text may then change: ``canonical.FrameLines.version``)."""
        self._keys.clear()
        if steps != self._steps or frames_version != self._frames_version:  # equal Steps: same functions
            self._fingerprints.clear()
            self._steps = steps
            self._frames_version = frames_version
        if matcher is not self._judges[0] or classifier is not self._judges[1]:
            self._labels.clear()
            self._judges = (matcher, classifier)

    def signature(self, key: bytes) -> Any:
        """The text's signature; EMPTY when its canonical text is empty; None when not known."""
        return _get(self._fingerprints, key)

    def keep_signature(self, key: bytes, signature: Any) -> None:
        """Keep the signature of a text (EMPTY: its canonical text is empty)."""
        _put(self._fingerprints, key, signature, self.capacity)

    def labels(self, key: bytes) -> Labels | None:
        found = _get(self._labels, key)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def keep_labels(self, key: bytes, labels: Labels) -> None:
        _put(self._labels, key, labels, self.capacity)

    def __len__(self) -> int:
        return len(self._labels)


def _get[V](table: dict[bytes, V], key: bytes) -> V | None:
    found = table.pop(key, None)
    if found is not None:
        table[key] = found  # the most recently used last: eviction takes the first
    return found


def _put[V](table: dict[bytes, V], key: bytes, value: V, capacity: int) -> None:
    table[key] = value
    if len(table) > capacity:
        del table[next(iter(table))]
