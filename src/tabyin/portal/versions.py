"""Publish counters that the page caches, the response cache and the ETags are keyed on.

Three kinds, all in the ``shared`` cache so every web process sees a bump at once:

- ``portal:data-version``: bumped by every change of public data (a release, an explanation, a
  catalogue edit). Pages that show every dataset (home, themes, provinces, the catalogue, DCAT)
  key on it.
- ``portal:data-version:catalogue``: bumped by everything but a release (explanations and
  catalogue edits can touch any page).
- ``portal:data-version:ds:<slug>``: bumped by a release of that dataset only. An address that
  shows one dataset (its indicators' pages, its rows, its CKAN resource) keys on the catalogue
  counter and its own, so publishing dataset A leaves dataset B's cached responses in use.
"""

from __future__ import annotations

import time
from typing import Final

from django.core.cache import caches

DATA_VERSION_KEY: Final = "portal:data-version"
CATALOGUE_KEY: Final = "portal:data-version:catalogue"


def dataset_key(slug: str) -> str:
    return f"portal:data-version:ds:{slug}"


def data_version() -> int:
    """The version public page caches and ETags are keyed on; the same in every process."""
    version: int = caches["shared"].get(DATA_VERSION_KEY, 0)
    return version


def catalogue_version() -> int:
    return int(caches["shared"].get(CATALOGUE_KEY, 0))


def dataset_versions(slug: str) -> tuple[int, int]:
    """(catalogue counter, the dataset's counter), in one read of the shared cache."""
    found = caches["shared"].get_many([CATALOGUE_KEY, dataset_key(slug)])
    return int(found.get(CATALOGUE_KEY, 0)), int(found.get(dataset_key(slug), 0))


def _bump(key: str) -> None:
    shared = caches["shared"]
    try:
        shared.incr(key)
    except ValueError:
        # Missing (first publication, or evicted): start from the clock, so a number that was in
        # use before the key vanished is not handed out again.
        shared.set(key, time.time_ns() // 1000, timeout=None)


def data_version_bump(dataset: str | None = None) -> None:
    """Change the versions public caches and ETags are keyed on: the global one always, then the
    dataset's own when only that dataset's figures changed, else the catalogue's."""
    _bump(DATA_VERSION_KEY)
    _bump(dataset_key(dataset) if dataset else CATALOGUE_KEY)
