"""MinHash signatures of canonical texts: the fingerprint the near-duplicate index compares.

A signature is ``K`` uint32 minimums, one per hash function, over the set of shingles of a text;
the fraction of equal positions in two signatures estimates the Jaccard similarity of the two sets.
Shingles are character ``N``-grams of the canonical text with its spaces removed: an inserted,
deleted or changed word touches only the few grams around it, and "می شود"/"میشود" (ZWNJ, space
or nothing between the parts of a word) give the same grams.

Texts of fewer than ``SHORT_WORDS`` words are too short for a similarity estimate (one changed word
is a different statement): their set is a single element, the xxh32 hash of the whole text, so two
short texts share a signature exactly when their canonical texts (spaces removed) are equal and
never resemble anything else.

A text that calls an item a rumour, denies or confirms it ("تکذیب", "شایعه", "صحت ندارد", ...) is
the debunk, not a repost of the claim, although it may repeat it word for word. Its shingles are
salted with a constant, so its signature shares (almost) nothing with the unsalted claim's.
Each number also counts as ``NUMBER_WEIGHT`` extra shingles, so a changed figure weighs as much as
a few changed words. ``N``, ``K``, the short-text cut and these weights were chosen on the labelled
set of benchmarks/monitor_repost_set.py (3- vs 4-grams, 64 vs 128 positions).

Everything is computed in numpy over the whole batch: code points of all texts in one array, the
grams packed into uint64, mixed with the xxh64 avalanche, then ``K`` affine hash functions mod 2**32
whose parameters come from xxh32 of fixed strings. No Python ``hash()`` (salted per process), so a
signature is the same in every process and on every machine.
"""

import re
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import xxhash

__all__ = ["SHORT_WORDS", "K", "N", "from_bytes", "signatures", "story_key", "to_bytes"]

K: Final = 64
N: Final = 3
SHORT_WORDS: Final = 5
# Each number of a text also counts as this many shingles of its own: a changed figure (price,
# toll, magnitude, date) makes a different item even when every other word is the same.
NUMBER_WEIGHT: Final = 8
_NUMBER: Final = re.compile(r"\d+")

Signature = npt.NDArray[np.uint32]

_VERDICT: Final = re.compile(
    r"\b(?:تکذیب\w*|شایعه\w*|شایعات|کذب|جعلی|نادرست|صحت|(?:واقعیت|حقیقت) ن?دارد|تایید (?:شد|کرد|نشد))\b"
)
_U64: Final = np.uint64
_PRIME2: Final = _U64(0xC2B2AE3D27D4EB4F)
_PRIME3: Final = _U64(0x165667B19E3779F9)
_VERDICT_SALT: Final = _U64(xxhash.xxh64_intdigest(b"tabyin.monitor verdict"))


def _parameters() -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    digests = [xxhash.xxh32_intdigest(f"tabyin.monitor minhash {k}".encode()) for k in range(2 * K)]
    multipliers = np.array(digests[:K], dtype=np.uint32) | np.uint32(1)  # odd: a bijection mod 2**32
    return multipliers[:, None], np.array(digests[K:], dtype=np.uint32)[:, None]


_MULTIPLIERS, _INCREMENTS = _parameters()


def _avalanche(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint32]:
    """xxh64's final mix (every input bit flips about half of the output bits), top 32 bits."""
    values = values ^ (values >> _U64(33))
    values = values * _PRIME2
    values = values ^ (values >> _U64(29))
    values = values * _PRIME3
    return (values >> _U64(32)).astype(np.uint32)


def _shingles(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp]]:
    """Every text's N-grams packed into uint64 (16 bits a character), and each text's first index."""
    points = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    points &= _U64(0xFFFF)
    grams = points[: len(points) - N + 1].copy()
    for offset in range(1, N):
        grams = (grams << _U64(16)) | points[offset : offset + len(grams)]
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=len(texts))
    counts = lengths - N + 1  # every text here has at least N characters
    first = np.cumsum(counts) - counts
    # Drop the N-1 grams that straddle two texts: text i's grams start at its own offset.
    starts = np.cumsum(lengths) - lengths
    keep = np.arange(int(counts.sum())) + np.repeat(starts - first, counts)
    return grams[keep], first


def signatures(texts: Sequence[str]) -> Signature:
    """MinHash signatures, shape (len(texts), K), of canonical texts (see ``canonical``)."""
    long_texts: list[str] = []
    long_rows: list[int] = []
    salted: list[bool] = []
    single: list[int] = []
    short_rows: list[int] = []
    for row, text in enumerate(texts):
        compact = text.replace(" ", "")
        verdict = _VERDICT.search(text) is not None
        if text.count(" ") + 1 < SHORT_WORDS or len(compact) < N:
            single.append(xxhash.xxh32_intdigest(compact.encode(), seed=int(verdict)))
            short_rows.append(row)
        else:
            long_texts.append(compact)
            long_rows.append(row)
            salted.append(verdict)
    result = np.empty((len(texts), K), dtype=np.uint32)
    numbers: list[int] = []
    number_rows: list[int] = []
    for position, text in enumerate(long_texts):
        for number in _NUMBER.findall(text):
            digest = xxhash.xxh64_intdigest(number.encode(), seed=int(salted[position]))
            numbers.extend(
                xxhash.xxh32_intdigest(b"%d" % copy, seed=digest & 0xFFFFFFFF)
                for copy in range(NUMBER_WEIGHT)
            )
            number_rows.extend([position] * NUMBER_WEIGHT)
    if short_rows:
        result[short_rows] = _minhash(np.array(single, dtype=np.uint32)).T
    if long_texts:
        grams, first = _shingles(long_texts)
        salt = np.repeat(np.array(salted, dtype=np.uint64) * _VERDICT_SALT, np.diff(first, append=len(grams)))
        hashes = _minhash(_avalanche(grams ^ salt))
        minimums = np.minimum.reduceat(hashes, first, axis=1)
        if numbers:
            rows = np.array(number_rows, dtype=np.intp)
            starts = np.flatnonzero(np.diff(rows, prepend=-1))
            extra = np.minimum.reduceat(_minhash(np.array(numbers, dtype=np.uint32)), starts, axis=1)
            minimums[:, rows[starts]] = np.minimum(minimums[:, rows[starts]], extra)
        result[long_rows] = minimums.T
    return result


def _minhash(hashes: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """The K hash functions, (a * h + b) mod 2**32 with odd a, of 32-bit shingle hashes: (K, len)."""
    out = _MULTIPLIERS * hashes[None, :]
    out += _INCREMENTS  # in place: one (K, len) temporary instead of two
    return out


def to_bytes(signature: Signature) -> bytes:
    """Storage form (``Story.signature``): K little-endian uint32."""
    return np.ascontiguousarray(signature, dtype="<u4").tobytes()


def from_bytes(data: bytes) -> Signature:
    """The signature :func:`to_bytes` stored; ValueError if ``data`` has the wrong length."""
    if len(data) != 4 * K:
        raise ValueError(f"a signature is {4 * K} bytes, got {len(data)}")
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


def story_key(signature: Signature) -> int:
    """63-bit key of a story started by ``signature``: xxh3 of its bytes, the same in every process."""
    return xxhash.xxh3_64_intdigest(to_bytes(signature)) & (2**63 - 1)
