"""The response cache for /api/v1/meetings/ (``core.response_cache`` and ``core.response_front``),
the scorecard's pattern (``scorecard.api.http``).

Only the two public reads are cached (the upcoming meetings, one meeting with its questions and
commitments); registrations, codes, statuses and cancelling are POSTs with a private token, which
the cache never stores, and ``PUBLIC`` names the reads so an operation added later is not cached
unless named here.

A read is determined by its URL, the language, the public rows (meetings, their confirmed and
waiting registrations, questions with their votes, commitments) and the clock (a meeting leaves the
list when it ends; a commitment becomes overdue on a date). The token is the counter
``meetings:public-version`` (bumped after any of those rows is saved or deleted, connected in
``reception.apps``, and explicitly where a service counts a vote with ``F()``) and the current
minute. Bumped at once and again at commit, as the scorecard's.

The API's language comes from Accept-Language (``core.api.problems.language``), not from Django's
locale (Persian for every /api/ address), so it is part of the token, and every answer says
``Vary: Accept-Language`` (added outside the cache, which stores no Vary) for
``core.response_front``'s key.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, Final

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_vary_headers

from tabyin.core.api.problems import language
from tabyin.core.caching import counters
from tabyin.core.caching.responses import cached_response

KEY: Final = "meetings:public-version"
# What is upcoming or overdue follows the clock: a copy is good for the minute it was made in.
CLOCK_SECONDS: Final = 60
TIMEOUT: Final = 2 * CLOCK_SECONDS
# The router's operations (``url_name``) whose answers are public: the same for everyone.
PUBLIC: Final = frozenset({"meetings", "meeting"})


def version() -> int:
    return counters.read(KEY)


def bump() -> None:
    counters.bump_now_and_at_commit(KEY)


def bump_on_change(sender: type, instance: Any, **kwargs: Any) -> None:
    counters.bump_now_and_at_commit(KEY)


def _base() -> str:
    return f"v{version()}:{int(time.time()) // CLOCK_SECONDS}"


def token(request: HttpRequest, kwargs: object = None) -> str:
    return f"{_base()}:{language(request)}"


def current(value: str) -> bool:
    return value.rpartition(":")[0] == _base()


def api_view(name: str, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    if name not in PUBLIC:
        return view
    cached = cached_response(token, prefix="meetings-api", timeout=TIMEOUT, etag=True, current=current)(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        response = cached(request, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Language",))
        return response

    return wrapped
