"""The response cache for an app's public API reads, keyed on one version counter (``VersionedReads``).

Every app whose public reads are answered from the response cache (``core.caching.responses``) and
``core.caching.front`` does the same thing: a counter in the shared cache names the version of the
public rows, the rows' saves and deletes bump it (``bump_on_change``, connected in the app's
``apps.ready``), the services that change rows without a signal (``.update()``, ``F()``, a raw
UPDATE) call ``bump``, and the router's ``wrap`` hands each operation to ``api_view``. Only the
operations named in ``public`` are wrapped, so one added later stays uncached until someone decides
otherwise. An app keeps only its counter's name, its public operations and its bump points.

The token is the counter, then, where they apply:

- ``clock_seconds``: the current slice of the clock, for reads that follow it without any row
  changing (a challenge's phase, an overdue commitment): a copy is good for the slice it was made in;
- ``extra``: another part the app computes (the reports' month, say);
- ``by_language``: the API's language. It comes from Accept-Language (``core.api.problems.language``),
  not from Django's locale, which is Persian for every /api/ address, so the response cache's own key
  does not tell the languages apart. Such answers also say ``Vary: Accept-Language``, added outside
  the cache (which stores no Vary), for ``core.caching.front``'s key.

Bumps happen at once and again when the transaction commits: a copy rendered from a read made
before the commit (the change not yet visible) must not outlive it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Final

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_vary_headers

from tabyin.core.api.problems import language
from tabyin.core.caching import counters
from tabyin.core.caching.responses import View, cached_response

# A safety net only when nothing but the counter is in the token: the counter changes at once.
TIMEOUT: Final = 600


@dataclass(frozen=True)
class VersionedReads:
    """One app's cached public reads (see the module's text)."""

    key: str  # the counter in the shared cache, e.g. "ideas:public-version"
    prefix: str  # the response cache's prefix, e.g. "ideas-api"
    public: frozenset[str] | None  # the router's operations (``url_name``) to cache; None: all
    clock_seconds: int | None = None
    by_language: bool = False
    extra: Callable[[], str] | None = None

    @property
    def timeout(self) -> int:
        return TIMEOUT if self.clock_seconds is None else 2 * self.clock_seconds

    def version(self) -> int:
        return counters.read(self.key)

    def bump(self) -> None:
        counters.bump_now_and_at_commit(self.key)

    def bump_on_change(self, sender: type, instance: Any, **kwargs: Any) -> None:
        """A post_save/post_delete receiver (``apps.ready``)."""
        self.bump()

    def _shared(self) -> str:
        """The token's parts that are the same for every request."""
        parts = [f"v{self.version()}"]
        if self.clock_seconds is not None:
            parts.append(str(int(time.time()) // self.clock_seconds))
        if self.extra is not None:
            parts.append(self.extra())
        return ":".join(parts)

    def token(self, request: HttpRequest, kwargs: object = None) -> str:
        shared = self._shared()
        return f"{shared}:{language(request)}" if self.by_language else shared

    def current(self, value: str) -> bool:
        if self.by_language:
            value = value.rpartition(":")[0]
        return value == self._shared()

    def api_view(self, name: str, view: View) -> View:
        """The router's ``wrap``: a public read gets the cache, ETag/304 and public headers; anything
        else (writes, a personal follow-up) is returned as it is."""
        if self.public is not None and name not in self.public:
            return view
        cached = cached_response(
            self.token, prefix=self.prefix, timeout=self.timeout, etag=True, current=self.current
        )(view)
        if not self.by_language:
            return cached

        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
            response = cached(request, *args, **kwargs)
            patch_vary_headers(response, ("Accept-Language",))
            return response

        return wrapped
