"""Sketches of canonical texts: the fingerprint the near-duplicate index compares.

A signature is one uint32 row of ``WIDTH`` values: ``[size, numbers, head, sketch[K], keys[L]]``.

* ``sketch``: the ``K`` smallest distinct hashes (a bottom-k sketch, ascending, padded with
  ``PAD``) of the text's element set; ``size`` is how many distinct elements the set has. Elements
  are character ``N``-grams of the canonical text with its spaces removed (an inserted, deleted or
  changed word touches only the few grams around it, and "می شود"/"میشود" give the same grams),
  plus ``NUMBER_WEIGHT`` elements of each number and ``HEAD_WEIGHT`` of an attribution head. Two
  sketches give unbiased estimates of the resemblance (Jaccard) *and* of the containment of
  either text in the other: below ``t = min(kth(A), kth(B))`` both sketches hold every element
  of their set, so the two samples are the same random fraction of A and B (see
  ``similarity.compare``). MinHash with K functions estimates resemblance only.
* ``keys``: the ``L`` smallest hashes (nonzero, padded with 0) of the text's character
  ``KEY_N``-grams: what the index looks a text up by. Longer grams than the sketch's, so a key is
  rare (a 3-gram key such as "است" would be shared by most stories). Because they are the
  *smallest* hashes of one function, a short copy's keys are mostly among the long text's own
  smallest keys, and the reverse: containment finds its candidates in both directions.

Texts of fewer than ``SHORT_WORDS`` words are too short for a similarity estimate (one changed word
is a different statement): their set is a single element, the xxh32 hash of the whole text, which
is also their only key, so two short texts match exactly when their canonical texts (spaces
removed) are equal and never resemble or contain anything else.

Each number counts as ``NUMBER_WEIGHT`` extra elements and an attribution head ("سخنگوی دولت: …",
marked by ``canonical``) as ``HEAD_WEIGHT``, so they weigh as a few words. Two tags decide more:
``numbers``, a 32-bit Bloom filter of the text's numbers, and ``head``, a hash of its attribution
head (0: none). Two texts that each have a number the other lacks (the same sentence with another
figure), or two different heads (the same words said by someone else), are different items
whatever their resemblance (``similarity.compare``); a truncated copy only lacks numbers, so it still
matches. Verdict
words («تایید کرد», «تکذیب شد», «دروغ است») are ordinary content: a truncated copy that cut them off
still matches its claim's own words (the stance step after the index decides what a denial is).

**Prefix hashes** (ADR 0043), after the ``WIDTH`` values of the sketch (a row is ``ROW`` wide;
``to_bytes`` stores the whole row, so a story reloaded after a restart keeps its prefix entries, and
``story_key`` hashes the first ``WIDTH`` only, as before prefixes were stored): the 64-bit xxh64 of
the text's first 2-5 words (spaces and the head's colon removed) and of the whole text when it has
at most 5 words. A copy cut to a few words («X Y …») has too few elements for any resemblance or
containment estimate; the index (``prefix.PrefixTable``) joins it to the one live story whose
representative starts with exactly those words, or a longer version to the story of a cut copy («X Y
…») it starts with; the words must start no other live story. A prefix must reach two words past an
attribution head («سخنگوی دولت: …» and «سخنگوی دولت: تکذیب …» are no one's prefix).

Everything is computed in numpy over the whole batch (code points of all texts in one array, grams
packed into uint64, mixed with the xxh64 avalanche, one sort for every text's bottom-k). No Python
``hash()`` (salted per process): a signature is the same in every process and on every machine.
"""

import re
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import xxhash

__all__ = [
    "KEY_N",
    "PAD",
    "PREFIXES",
    "PREFIX_MAX",
    "PREFIX_MIN",
    "ROW",
    "SHORT_WORDS",
    "TAGS",
    "WIDTH",
    "K",
    "L",
    "N",
    "from_bytes",
    "signatures",
    "story_key",
    "to_bytes",
]

K: Final = 64
L: Final = 32
N: Final = 3
KEY_N: Final = 8
TAGS: Final = 3  # size, numbers, head
WIDTH: Final = TAGS + K + L
SHORT_WORDS: Final = 5
# A cut copy ("… ادامه خبر در لینک", marked " …" by canonical) of at least this many words is
# sketched, not matched exactly: it is the start of a longer item, found by containment.
CUT_WORDS: Final = 3
CUT: Final = 1 << 31  # flags in the size column
SHORT: Final = 1 << 30
PAD: Final = 0xFFFFFFFF
# Each number of a text also counts as this many elements of its own: a changed figure (price,
# toll, magnitude, date) makes a different item even when every other word is the same.
NUMBER_WEIGHT: Final = 8
HEAD_WEIGHT: Final = 4
# Prefix hashes (see the module docstring): of the first PREFIX_MIN..PREFIX_MAX words, then of the
# whole text, each as two uint32 (low, high) after the WIDTH stored values.
PREFIX_MIN: Final = 2
PREFIX_MAX: Final = 5
PREFIXES: Final = PREFIX_MAX - PREFIX_MIN + 2
ROW: Final = WIDTH + 2 * PREFIXES + 1  # the last column: 1 if the text was cut
_NUMBER: Final = re.compile(r"\d+")
_LEGACY_BYTES: Final = 4 * 64  # a MinHash signature of the first design (ADR 0010)

Signature = npt.NDArray[np.uint32]

_U64: Final = np.uint64
_PRIME2: Final = _U64(0xC2B2AE3D27D4EB4F)
_PRIME3: Final = _U64(0x165667B19E3779F9)
_KEY_MIX: Final = _U64(0x9E3779B185EBCA87)
_KEY_SALT: Final = _U64(xxhash.xxh64_intdigest(b"tabyin.monitor keys"))


def _avalanche(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint32]:
    """xxh64's final mix (every input bit flips about half of the output bits), top 32 bits."""
    values = values ^ (values >> _U64(33))
    values = values * _PRIME2
    values = values ^ (values >> _U64(29))
    values = values * _PRIME3
    return (values >> _U64(32)).astype(np.uint32)


def _packed(points: npt.NDArray[np.uint64], width: int) -> npt.NDArray[np.uint64]:
    """Every ``width``-gram (width <= 4) of ``points`` packed 16 bits a character."""
    grams = points[: len(points) - width + 1].copy()
    for offset in range(1, width):
        grams = (grams << _U64(16)) | points[offset : offset + len(grams)]
    return grams


def _within(lengths: npt.NDArray[np.intp], width: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Positions (in the joined text) of the ``width``-grams inside one text, and each one's text."""
    counts = np.maximum(lengths - width + 1, 0)
    starts = np.cumsum(lengths) - lengths
    owner = np.repeat(np.arange(len(lengths)), counts)
    position = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts) + starts[owner]
    return position, owner


def _bottom(
    owner: npt.NDArray[np.intp], hashes: npt.NDArray[np.uint32], rows: int, k: int, pad: int
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.intp]]:
    """Per text, its ``k`` smallest distinct hashes (ascending, padded) and how many distinct it has."""
    keyed = np.sort((owner.astype(np.uint64) << _U64(32)) | hashes.astype(np.uint64))
    if len(keyed):
        keyed = keyed[np.concatenate(([True], keyed[1:] != keyed[:-1]))]
    texts = (keyed >> _U64(32)).astype(np.intp)
    first = np.searchsorted(texts, np.arange(rows))
    sizes = np.bincount(texts, minlength=rows)
    rank = np.arange(len(keyed)) - first[texts]
    keep = rank < k
    out = np.full((rows, k), pad, dtype=np.uint32)
    out[texts[keep], rank[keep]] = keyed[keep].astype(np.uint32)
    return out, sizes


def _parts(text: str) -> tuple[str, str, int, bool]:
    """(the text without spaces, its attribution head, words after the head, whether it was cut)."""
    cut = text.endswith(" …")
    body = text[:-2] if cut else text
    head, colon, rest = body.partition(": ")
    if not colon:
        head, rest = "", body
    return (head + rest).replace(" ", ""), head, rest.count(" ") + 1, cut


def _weighted(word: str, weight: int) -> list[int]:
    """``weight`` distinct elements standing for one number or head."""
    seed = xxhash.xxh64_intdigest(word.encode()) & 0xFFFFFFFF
    return [xxhash.xxh32_intdigest(b"%d" % copy, seed=seed) for copy in range(weight)]


def _prefixes(text: str, head: str, cut: bool) -> list[int]:
    """The prefix columns of a row: (low, high) of each prefix hash, 0 where there is none."""
    out = [0] * (2 * PREFIXES) + [int(cut)]
    # At most PREFIX_MAX words and the rest: more than PREFIX_MAX words have no whole-text hash.
    words = (text[:-2] if cut else text).split(" ", PREFIX_MAX)
    # A prefix reaches two words past an attribution head: one speaker says many things, and
    # «سخنگوی دولت: تکذیب …» may start any of them.
    least = max(PREFIX_MIN, head.count(" ") + 3 if head else 0)
    count = len(words)
    if count < least or not words[0]:
        return out
    compact = ""
    for size, word in enumerate(words[: min(count, PREFIX_MAX)], 1):
        compact += word.replace(":", "")
        if size >= least:
            value = xxhash.xxh64_intdigest(compact.encode())
            at = 2 * (size - PREFIX_MIN) if size < count else 2 * PREFIXES - 2
            out[at], out[at + 1] = (value & 0xFFFFFFFF) | 1, value >> 32
    return out


def signatures(texts: Sequence[str]) -> Signature:
    """Signatures, shape (len(texts), ROW), of canonical texts (see ``canonical``): the WIDTH
    stored values, then the prefix hashes."""
    result = np.zeros((len(texts), ROW), dtype=np.uint32)
    result[:, TAGS : TAGS + K] = PAD
    long_texts: list[str] = []
    long_rows: list[int] = []
    flags: list[int] = []
    extra_owner: list[int] = []
    extra: list[int] = []
    prefix_rows: list[list[int]] = []
    for row, text in enumerate(texts):
        compact, head, words, cut = _parts(text)
        prefix_rows.append(_prefixes(text, head, cut))
        # A cut copy's attribution head counts: «سخنگوی دولت: جسد بنیتا …» is a teaser, not two words.
        if words + (1 if head else 0) < CUT_WORDS or len(compact) < KEY_N:
            single = xxhash.xxh32_intdigest(compact.encode())
            result[row, 0] = 1
            result[row, TAGS] = min(single, PAD - 1)
            result[row, TAGS + K] = single | 1
            continue
        numbers = _NUMBER.findall(compact)
        for number in numbers:
            result[row, 1] |= 1 << (xxhash.xxh32_intdigest(number.encode()) & 31)
        if head:
            result[row, 2] = xxhash.xxh32_intdigest(head.encode()) | 1
        position = len(long_texts)
        flags.append((CUT if cut else 0) | (SHORT if words < SHORT_WORDS and not cut else 0))
        long_texts.append(compact)
        long_rows.append(row)
        weighted = [(number, NUMBER_WEIGHT) for number in numbers]
        if head:
            weighted.append((":" + head.replace(" ", ""), HEAD_WEIGHT))
        for word, weight in weighted:
            extra.extend(_weighted(word, weight))
            extra_owner.extend([position] * weight)
    if prefix_rows:
        result[:, WIDTH:] = np.array(prefix_rows, dtype=np.uint32)
    if not long_texts:
        return result
    points = np.frombuffer("".join(long_texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    points &= _U64(0xFFFF)
    lengths = np.fromiter(map(len, long_texts), dtype=np.intp, count=len(long_texts))
    rows = len(long_texts)
    at, owner = _within(lengths, N)
    hashes = _avalanche(_packed(points, N)[at])
    if extra:
        owner = np.concatenate([owner, np.array(extra_owner, dtype=np.intp)])
        hashes = np.concatenate([hashes, np.array(extra, dtype=np.uint32)])
    sketch, sizes = _bottom(owner, np.minimum(hashes, np.uint32(PAD - 1)), rows, K, PAD)
    quads = _packed(points, 4)
    at, owner = _within(lengths, KEY_N)
    keys = _avalanche((quads[at] * _KEY_MIX) ^ quads[at + 4] ^ _KEY_SALT) | np.uint32(1)
    keys_bottom, _ = _bottom(owner, keys, rows, L, 0)
    result[long_rows, 0] = sizes | np.array(flags, dtype=np.int64)
    result[long_rows, TAGS : TAGS + K] = sketch
    result[long_rows, TAGS + K : WIDTH] = keys_bottom
    return result


def to_bytes(signature: Signature) -> bytes:
    """Storage form (``Story.signature``): the row's values, little-endian uint32 — ``ROW`` of them,
    prefix hashes included (``WIDTH`` for a row without them)."""
    return np.ascontiguousarray(signature[:ROW], dtype="<u4").tobytes()


def from_bytes(data: bytes) -> Signature:
    """The signature :func:`to_bytes` stored; ValueError if ``data`` has the wrong length.

    A row stored before the prefix hashes were (``WIDTH`` values) loads without them: its story is
    matched by resemblance and containment only, as it was. A signature of the first design (64
    MinHash values, ADR 0010) still loads, as a one-element set that nothing new matches: its story
    stays live in the index until it expires."""
    if len(data) == _LEGACY_BYTES:
        legacy = np.zeros(WIDTH, dtype=np.uint32)
        legacy[TAGS : TAGS + K] = PAD
        legacy[0], legacy[TAGS] = 1, min(xxhash.xxh32_intdigest(data), PAD - 1)
        return legacy
    if len(data) not in (4 * ROW, 4 * WIDTH):
        raise ValueError(f"a signature is {4 * ROW} (or {4 * WIDTH}) bytes, got {len(data)}")
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


def story_key(signature: Signature) -> int:
    """63-bit key of a story started by ``signature``: xxh3 of its first ``WIDTH`` values' bytes
    (the sketch: the prefix hashes, stored since, do not change a key), the same in every process."""
    head = np.ascontiguousarray(signature[:WIDTH], dtype="<u4").tobytes()
    return xxhash.xxh3_64_intdigest(head) & (2**63 - 1)
