"""The response cache for the two public reads of /api/v1/reports/ (``core.response_cache``).

``categories`` and ``statistics`` are answered from the response cache and ``core.response_front``
like the portal's API, under a token of two parts:

- the month the statistics stop at (``stats.selectors.month_start``): a new month publishes new
  figures without anyone changing anything;
- the counter ``reports:public-version`` in the shared cache, bumped after a category, an archived
  tally, or a report *received before that month* is saved or deleted (``bump_on_change``). A report
  received this month changes nothing published (ADR: complete months only), so it does not bump
  the counter either: the ETag must not tell anyone that a report has just arrived.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from django.http.response import HttpResponseBase
from django.utils import timezone

from tabyin.core.caching import counters
from tabyin.core.caching.responses import cached_response
from tabyin.reports.stats.selectors import month_start

KEY: Final = "reports:public-version"
# A safety net only, as the portal's: the counter invalidates at once.
TIMEOUT: Final = 600
CACHED: Final = frozenset({"categories", "statistics"})


def version() -> int:
    return counters.read(KEY)


def bump() -> None:
    counters.bump(KEY)


def token(request: object = None, kwargs: object = None) -> str:
    return f"m{month_start(timezone.localdate()).date().isoformat()}.v{version()}"


def current(value: str) -> bool:
    return value == token()


def bump_on_change(sender: type, instance: Any, **kwargs: Any) -> None:
    """post_save/post_delete of Category, ArchivedTally and Report (``apps.ready``)."""
    received = getattr(instance, "received_at", None)
    if received is not None and received >= month_start(timezone.localdate()):
        return
    counters.bump_now_and_at_commit(KEY)


def api_view(name: str, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The router's ``wrap``: the two public reads get the cache, ETag/304 and public headers;
    the writes and the follow-up (``no-store``, personal) are left as they are."""
    if name not in CACHED:
        return view
    return cached_response(token, prefix="reports-api", timeout=TIMEOUT, etag=True, current=current)(view)
