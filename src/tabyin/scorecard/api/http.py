"""Conditional GET for /api/v1/scorecards/ (``core.conditional``).

A response is fully determined by its URL and by which periods are public with which current run
(publishing, finalizing and rescoring change that): that set is the data version, one small query.
"""

from __future__ import annotations

from tabyin.core.caching.conditional import conditional_get
from tabyin.scorecard import selectors


def data_version() -> str:
    rows = selectors.public_periods().filter(runs__is_current=True).values_list("code", "state", "runs__pk")
    return repr(sorted(rows))


cached_get = conditional_get(data_version)
