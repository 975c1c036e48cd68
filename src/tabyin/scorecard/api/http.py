"""The response cache for /api/v1/scorecards/ (``core.response_cache`` and ``core.response_front``).

A response is fully determined by its URL and by which periods are public with which current run
(publishing, finalizing and rescoring change that; a run's results are never edited in place). The
token is the counter ``scorecard:public-version`` in the shared cache, bumped after any period or
run is saved or deleted (``bump_on_change``, connected in ``apps.ready``): one cache read per
request, where the set itself was a join. It is bumped at once and again when the transaction
commits, so a copy rendered from a read made before the commit cannot outlive it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from django.http.response import HttpResponseBase

from tabyin.core.caching import counters
from tabyin.core.caching.responses import cached_response

KEY: Final = "scorecard:public-version"
# A safety net only: the counter changes at once.
TIMEOUT: Final = 600


def version() -> int:
    return counters.read(KEY)


def bump() -> None:
    counters.bump(KEY)


def bump_on_change(sender: type, instance: Any, **kwargs: Any) -> None:
    counters.bump_now_and_at_commit(KEY)


def token(request: object = None, kwargs: object = None) -> str:
    return f"v{version()}"


def current(value: str) -> bool:
    return value == token()


def api_view(name: str, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    return cached_response(token, prefix="scorecard-api", timeout=TIMEOUT, etag=True, current=current)(view)
