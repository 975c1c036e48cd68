"""Where new entries go in a bucket table (``index``'s lookup keys, ``prefix``'s prefix entries).

A table is an array of buckets of ``width`` ways; 0 marks an empty way. New entries are placed
in one numpy pass: the n-th new entry of a bucket takes the bucket's n-th empty way (expiry
leaves holes), and an entry whose bucket is full replaces a pseudo-random held one.
"""

import numpy as np
import numpy.typing as npt

__all__ = ["free_ways"]


def free_ways(
    table_keys: npt.NDArray[np.uint32], buckets: npt.NDArray[np.intp], spread: npt.NDArray[np.uint32]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], int]:
    """For new entries bound for ``buckets``: the order that sorts them by bucket, the way each
    (in that order) takes, and how many of them replace a held entry (``spread``: bits of each
    entry that pick the way in a full bucket)."""
    width = table_keys.shape[1]
    order = np.argsort(buckets, kind="stable")
    buckets = buckets[order]
    rank = np.arange(len(buckets)) - np.searchsorted(buckets, buckets, side="left")
    empty = table_keys[buckets] == 0
    nth_empty = (np.cumsum(empty, axis=1) == (rank + 1)[:, None]) & empty
    ways = np.argmax(nth_empty, axis=1)
    full = ~nth_empty.any(axis=1)
    if full.any():
        ways[full] = (spread[order][full] >> np.uint32(8)) % width
    return order, ways, int(np.count_nonzero(full))
