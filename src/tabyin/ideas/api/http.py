"""The response cache for /api/v1/ideas/ (``core.response_cache`` and ``core.response_front``),
the scorecard's pattern (``scorecard.api.http``).

Only the three public reads are cached (challenges, a challenge with its entries, one entry); the
codes, proofs, supports and sent ideas are POSTs, which the cache never stores, and ``PUBLIC``
names the reads so an operation added later is not cached unless named here.

A read is determined by its URL, the public rows (challenges, screened entries, unflagged supports)
and the clock: a challenge's phase is computed from its dates. The token is the counter
``ideas:public-version`` (``ideas.public_version``: bumped after a challenge, an entry or a support
is saved or deleted, connected in ``apps.ready``, and where a service changes rows with ``.update()``:
flagging supports, shortlisting) and the current minute, so a phase that begins shows at most a
minute late without any row changing. Bumped at once and again at commit, as the scorecard's.

The API's language comes from Accept-Language (``core.api.problems.language``), not from Django's
locale (Persian for every /api/ address), so it is part of the token, and every answer says
``Vary: Accept-Language`` (added outside the cache, which stores no Vary) for
``core.response_front``'s key.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Final

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_vary_headers

from tabyin.core.api.problems import language
from tabyin.core.caching.responses import cached_response
from tabyin.ideas.public_version import version

# The phase of a challenge follows the clock: a copy is good for the minute it was made in.
CLOCK_SECONDS: Final = 60
TIMEOUT: Final = 2 * CLOCK_SECONDS
# The router's operations (``url_name``) whose answers are public: the same for everyone.
PUBLIC: Final = frozenset({"challenges", "challenge", "entry"})


def _base() -> str:
    return f"v{version()}:{int(time.time()) // CLOCK_SECONDS}"


def token(request: HttpRequest, kwargs: object = None) -> str:
    return f"{_base()}:{language(request)}"


def current(value: str) -> bool:
    return value.rpartition(":")[0] == _base()


def api_view(name: str, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    if name not in PUBLIC:
        return view
    cached = cached_response(token, prefix="ideas-api", timeout=TIMEOUT, etag=True, current=current)(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        response = cached(request, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Language",))
        return response

    return wrapped
