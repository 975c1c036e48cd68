"""The response cache for /api/v1/clarifications/ (``core.response_cache`` and ``core.response_front``),
the pattern of ``scorecard.api.http``.

The two public reads (the list and one answer) are fully determined by their URL and by the
published answers with their rumors' titles and first publication times. The token is the counter
``monitor:clarifications-version`` in the shared cache (``monitor.api_version``), bumped after any
answer or story is saved or deleted (``bump_on_change``, connected in ``apps.ready``) and by
ingestion when a batch moves the first publication time of a story that has a published answer (a
raw UPDATE, no signal). It is bumped at once and again when the transaction commits, so a copy
rendered from a read made before the commit cannot outlive it.

The tipline (``tip-submit``, ``tip-status``) is never wrapped: only the operations named in
``PUBLIC`` are, so an operation added later stays uncached until someone decides otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from django.http.response import HttpResponseBase

from tabyin.core.caching.responses import cached_response
from tabyin.monitor.api_version import version

# A safety net only: the counter changes at once.
TIMEOUT: Final = 600
PUBLIC: Final = frozenset({"clarifications", "clarification"})


def token(request: object = None, kwargs: object = None) -> str:
    return f"v{version()}"


def current(value: str) -> bool:
    return value == token()


def api_view(name: str, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    if name not in PUBLIC:
        return view
    return cached_response(token, prefix="clarifications-api", timeout=TIMEOUT, etag=True, current=current)(
        view
    )
