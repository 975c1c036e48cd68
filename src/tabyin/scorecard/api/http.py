"""The response cache for /api/v1/scorecards/ (``core.response_cache`` and ``core.response_front``).

A response is fully determined by its URL and by which periods are public with which current run
(publishing, finalizing and rescoring change that, and a run's results are never edited in place):
that set is the data version, one small query. Its digest is the token the rendered response is
cached under, so a publication, a finalization or a rescoring is seen on the next request, in
every process, without a counter to remember to bump.
"""

from __future__ import annotations

from collections.abc import Callable
from hashlib import sha256
from typing import Final

from django.http.response import HttpResponseBase

from tabyin.core.caching.responses import cached_response
from tabyin.scorecard import selectors

# A safety net only: the token changes at once.
TIMEOUT: Final = 600


def data_version() -> str:
    rows = selectors.public_periods().filter(runs__is_current=True).values_list("code", "state", "runs__pk")
    return repr(sorted(rows))


def token(request: object = None, kwargs: object = None) -> str:
    return sha256(data_version().encode()).hexdigest()[:24]


def current(value: str) -> bool:
    return value == token()


def api_view(name: str, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    return cached_response(token, prefix="scorecard-api", timeout=TIMEOUT, etag=True, current=current)(view)
