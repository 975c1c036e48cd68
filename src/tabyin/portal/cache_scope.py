"""Which publish counter each public address of the portal is cached under (``core.response_cache``).

An address that shows one dataset keys on the catalogue counter and that dataset's counter, so a
release of another dataset leaves it cached; every other address keys on the global counter
(``portal.versions``). The wrapping happens in the URL modules: the views stay as they are.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Final

from django.http import HttpRequest

from tabyin.core.caching.responses import View, cached_response
from tabyin.portal.models import Indicator
from tabyin.portal.versions import catalogue_version, data_version, dataset_versions

# A safety net only: the counters invalidate at once, so a longer life would do; ten minutes
# bounds what an edit made outside the services (a shell, a restore) can leave stale.
TIMEOUT: Final = 600

_SLUG: Final = re.compile(r"[-a-zA-Z0-9_]{1,100}")


class _IndicatorMap:
    """Indicator code → dataset slug, with the catalogue counter it was read under; per process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.catalogue = -1
        self.datasets: dict[str, str] = {}


_map = _IndicatorMap()


def _dataset_of_indicators(catalogue: int) -> dict[str, str]:
    """Indicator code → dataset slug, reloaded when the catalogue counter moved."""
    with _map.lock:
        if _map.catalogue != catalogue:
            rows = Indicator.objects.values_list("code", "dataset__slug")
            _map.datasets = {code: slug for code, slug in rows if slug}
            _map.catalogue = catalogue
        return _map.datasets


def forget() -> None:
    """Drop the indicator → dataset map (tests roll the catalogue back under the same counter)."""
    with _map.lock:
        _map.catalogue, _map.datasets = -1, {}


def _slugs(catalogue: int) -> frozenset[str]:
    return frozenset(_dataset_of_indicators(catalogue).values())


def everything(request: HttpRequest, kwargs: dict[str, object]) -> str:
    return f"g{data_version()}"


def _dataset_token(slug: str) -> str | None:
    """The token of a known dataset's addresses, or ``None`` when the slug is not one."""
    if not _SLUG.fullmatch(slug):
        return None  # never a cache key made of what a client typed
    catalogue, version = dataset_versions(slug)
    if slug not in _slugs(catalogue):
        return None
    return f"c{catalogue}.d{slug}.{version}"


def _dataset_or_everything(slug: object) -> str:
    token = _dataset_token(slug) if isinstance(slug, str) else None
    return token if token is not None else f"g{data_version()}"


def one_dataset(request: HttpRequest, kwargs: dict[str, object]) -> str:
    """/data/<slug>/ and /api/v1/datasets/<slug>/…: that dataset's counter."""
    return _dataset_or_everything(kwargs.get("slug"))


def indicator(request: HttpRequest, kwargs: dict[str, object]) -> str | None:
    """/indicators/<code>/: the counter of the indicator's dataset; an unknown code is not cached."""
    code = kwargs.get("code")
    catalogue = catalogue_version()
    slug = _dataset_of_indicators(catalogue).get(code) if isinstance(code, str) else None
    return _dataset_token(slug) if slug else None


def ckan_action(request: HttpRequest, kwargs: dict[str, object]) -> str:
    """A CKAN action about one dataset (``datastore_search``'s resource, ``package_show``'s id)
    keys on that dataset; the others on everything."""
    name = kwargs.get("name")
    if name == "datastore_search":
        return _dataset_or_everything(request.GET.get("resource_id") or request.GET.get("id"))
    if name == "package_show":
        return _dataset_or_everything(request.GET.get("id"))
    return f"g{data_version()}"


def current(token: str) -> bool:
    """Whether ``token`` (made by the scopes above) is still the token of its addresses: one read of
    the counters it names (from ``versions``' memo while it is young), without the URL resolver or
    the indicator map."""
    if token.startswith("g"):
        return token == f"g{data_version()}"
    catalogue, _, rest = token.partition(".d")
    slug, _, version = rest.rpartition(".")
    if not (catalogue.startswith("c") and _SLUG.fullmatch(slug)):
        return False
    return f"c{catalogue[1:]}.{version}" == "c{}.{}".format(*dataset_versions(slug))


def page(
    scope: Callable[[HttpRequest, dict[str, object]], str | None] = everything,
) -> Callable[[View], View]:
    """An HTML page of the site: per language, CSRF token and CSP nonce swapped per response."""
    return cached_response(scope, prefix="portal", timeout=TIMEOUT, current=current)


def data(
    scope: Callable[[HttpRequest, dict[str, object]], str | None] = everything,
) -> Callable[[View], View]:
    """A machine-readable read: ETag on the token, 304, ``Cache-Control: public``."""
    return cached_response(scope, prefix="portal-api", timeout=TIMEOUT, etag=True, current=current)
