"""Publish counters that the page caches, the response cache and the ETags are keyed on.

Three kinds, all in the ``shared`` cache so every web process sees a bump:

- ``portal:data-version``: bumped by every change of public data (a release, an explanation, a
  catalogue edit). Pages that show every dataset (home, themes, provinces, the catalogue, DCAT)
  key on it.
- ``portal:data-version:catalogue``: bumped by everything but a release (explanations and
  catalogue edits can touch any page).
- ``portal:data-version:ds:<slug>``: bumped by a release of that dataset only. An address that
  shows one dataset (its indicators' pages, its rows, its CKAN resource) keys on the catalogue
  counter and its own, so publishing dataset A leaves dataset B's cached responses in use.

Reads go through a per-process memo trusted for ``TABYIN_CACHE_VERSION_TTL_MS`` (ADR 0019,
"Version memo"): a cached answer in front of Django costs no Redis or database read while the memo
is young. Staleness is bounded by that time and nothing else: an entry older than it is read again,
whatever happened to Redis or to a message in between. The process that bumps a counter writes the
new value into its own memo at once, so a publisher sees their change on the next request. With 0
(the tests' value) every read goes to the shared cache, as before the memo.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Final

from django.conf import settings
from django.core.cache import caches

from tabyin.core.caching import counters

DATA_VERSION_KEY: Final = "portal:data-version"
CATALOGUE_KEY: Final = "portal:data-version:catalogue"
# Bounds the memo when clients ask for many unknown slugs (each is a key read once).
_MAX_MEMO_KEYS: Final = 10_000

# Seconds, monotonic; tests replace it to move time without sleeping.
clock: Callable[[], float] = time.monotonic


class _Memo:
    """Counter key → (value, clock time it was read or written); per process, shared by threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.values: dict[str, tuple[int, float]] = {}


_memo = _Memo()


def dataset_key(slug: str) -> str:
    return f"portal:data-version:ds:{slug}"


def _ttl() -> float:
    return float(getattr(settings, "TABYIN_CACHE_VERSION_TTL_MS", 0)) / 1000


def _read(keys: Sequence[str]) -> list[int]:
    """The counters ``keys`` name: from the memo when every one of them is younger than the TTL,
    else in one read of the shared cache (which refreshes the memo)."""
    ttl = _ttl()
    now = clock() if ttl > 0 else 0.0
    if ttl > 0:
        found = [_memo.values.get(k) for k in keys]
        if all(f is not None and now - f[1] < ttl for f in found):
            return [f[0] for f in found if f is not None]
    shared = caches["shared"]
    if len(keys) == 1:
        values = [int(shared.get(keys[0], 0))]
    else:
        many = shared.get_many(list(keys))
        values = [int(many.get(k, 0)) for k in keys]
    if ttl > 0:
        _remember(dict(zip(keys, values, strict=True)), now)
    return values


def _remember(values: dict[str, int], now: float) -> None:
    """Write what was read at ``now`` (or bumped), unless a bump of this process wrote the key after
    ``now``: a read that started before the bump must not put the old value back."""
    with _memo.lock:
        if len(_memo.values) + len(values) > _MAX_MEMO_KEYS:
            _memo.values.clear()
        for key, value in values.items():
            old = _memo.values.get(key)
            if old is None or old[1] <= now:
                _memo.values[key] = (value, now)


def forget() -> None:
    """Drop the memo: the next read of every counter goes to the shared cache."""
    with _memo.lock:
        _memo.values.clear()


def data_version() -> int:
    """The version public page caches and ETags are keyed on; the same in every process (within
    the memo's TTL)."""
    return _read([DATA_VERSION_KEY])[0]


def catalogue_version() -> int:
    return _read([CATALOGUE_KEY])[0]


def dataset_versions(slug: str) -> tuple[int, int]:
    """(catalogue counter, the dataset's counter), in one read of the shared cache or the memo."""
    catalogue, dataset = _read([CATALOGUE_KEY, dataset_key(slug)])
    return catalogue, dataset


def _bump(key: str) -> None:
    value = counters.bump(key)
    # The publishing process sees its change at once; the others when their memo expires.
    if _ttl() > 0:
        _remember({key: value}, clock())


def data_version_bump(dataset: str | None = None) -> None:
    """Change the versions public caches and ETags are keyed on: the global one always, then the
    dataset's own when only that dataset's figures changed, else the catalogue's."""
    _bump(DATA_VERSION_KEY)
    _bump(dataset_key(dataset) if dataset else CATALOGUE_KEY)
