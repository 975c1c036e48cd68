"""HTTP plumbing shared by the open-data interfaces: conditional GET, caching and absolute links.

Published data changes only when a release or an explanation is published, and the service that
publishes bumps the cache key ``portal:data-version``. A response is therefore fully determined by
that version and its URL, so the ETag is a hash of the two and a matching ``If-None-Match`` is
answered with 304 before the view runs — no database query at all.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from hashlib import sha256
from typing import Final

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, HttpResponseNotModified
from django.urls import reverse
from django.utils import translation
from django.utils.http import parse_etags

from tabyin.portal.services_release import data_version

CACHE_CONTROL: Final = "public, max-age=300"

type View = Callable[..., HttpResponseBase]


def data_etag(request: HttpRequest) -> str:
    version = data_version()
    digest = sha256(f"{version}\n{request.build_absolute_uri()}".encode()).hexdigest()
    return f'"{digest[:32]}"'


def _matches(header: str, etag: str) -> bool:
    # If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/"x" matches "x".
    tags = parse_etags(header)
    return "*" in tags or any(tag.removeprefix("W/") == etag.removeprefix("W/") for tag in tags)


def _public(response: HttpResponseBase, etag: str) -> None:
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    # Open data: any web page may read it with fetch(); no cookies are involved anywhere here.
    response["Access-Control-Allow-Origin"] = "*"


def cached_get(view: View) -> View:
    """ETag + ``Cache-Control: public, max-age=300`` on successful GETs, 304 on a match."""
    return _conditional(view, weak=False)


def weak_cached_get(view: View) -> View:
    """The same with a weak ETag, for files that embed their generation time (downloads): the
    data is the same for one data version, the bytes are not."""
    return _conditional(view, weak=True)


def _conditional(view: View, *, weak: bool) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        etag = ("W/" if weak else "") + data_etag(request)
        header = request.headers.get("If-None-Match")
        if header and _matches(header, etag):
            not_modified = HttpResponseNotModified()
            _public(not_modified, etag)
            return not_modified
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            _public(response, etag)
        return response

    return wrapped


def site_url(request: HttpRequest, route: str, /, **kwargs: object) -> str:
    """Absolute address of a named route, always in the default language.

    API responses must not depend on the client's Accept-Language (their ETag is the URL), so
    links to the pages and files under ``i18n_patterns`` are reversed in one fixed language.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return request.build_absolute_uri(reverse(route, kwargs=kwargs or None))


def publisher_name() -> str:
    # The deployment's public name stands in for the publishing organization until core offers a
    # public selector for the head office (see the portal data report).
    return str(settings.TABYIN_SITE_NAME)
