"""The response cache for /api/v1/news/ (``core.response_cache`` and ``core.response_front``), the
pattern of ``scorecard.api.http``.

Both reads (the list and one page) are fully determined by their URL and by the published
messages. The token is the counter ``campaigns:news-version`` in the shared cache, bumped after any
message is saved or deleted (``bump_on_change``, connected in ``apps.ready``) and by the website
delivery, which publishes with a conditional UPDATE that sends no signal. It is bumped at once and
again when the transaction commits, so a copy rendered from a read made before the commit cannot
outlive it. Only the operations named in ``PUBLIC`` are wrapped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from django.http.response import HttpResponseBase

from tabyin.core.caching import counters
from tabyin.core.caching.responses import cached_response

KEY: Final = "campaigns:news-version"
# A safety net only: the counter changes at once.
TIMEOUT: Final = 600
PUBLIC: Final = frozenset({"news-list", "news"})


def version() -> int:
    return counters.read(KEY)


def bump() -> None:
    counters.bump_now_and_at_commit(KEY)


def bump_on_change(sender: type, instance: Any, **kwargs: Any) -> None:
    counters.bump_now_and_at_commit(KEY)


def token(request: object = None, kwargs: object = None) -> str:
    return f"v{version()}"


def current(value: str) -> bool:
    return value == token()


def api_view(name: str, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    if name not in PUBLIC:
        return view
    return cached_response(token, prefix="news-api", timeout=TIMEOUT, etag=True, current=current)(view)
