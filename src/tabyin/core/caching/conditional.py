"""Conditional GET for public, cookie-free data interfaces (the portal's and the scorecard's APIs).

An app's response is fully determined by its URL and a *data version* the app computes (a cache
key bumped on publication, or the set of published runs). The ETag hashes the two, and a matching
``If-None-Match`` is answered 304 before the view runs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from hashlib import sha256
from typing import Final

from django.http import HttpRequest, HttpResponseBase, HttpResponseNotModified
from django.utils.http import parse_etags

CACHE_CONTROL: Final = "public, max-age=300"

type View = Callable[..., HttpResponseBase]


def etag_for(version: object, request: HttpRequest) -> str:
    digest = sha256(f"{version}\n{request.build_absolute_uri()}".encode()).hexdigest()
    return f'"{digest[:32]}"'


def matches(header: str, etag: str) -> bool:
    # If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/"x" matches "x".
    tags = parse_etags(header)
    return "*" in tags or any(tag.removeprefix("W/") == etag.removeprefix("W/") for tag in tags)


def public_headers(response: HttpResponseBase, etag: str) -> None:
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    # Open data: any web page may read it with fetch(); no cookies are involved anywhere here.
    response["Access-Control-Allow-Origin"] = "*"


def not_modified(etag: str) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    public_headers(response, etag)
    return response


def conditional_get(version: Callable[[], object], *, weak: bool = False) -> Callable[[View], View]:
    """ETag + ``Cache-Control: public, max-age=300`` on successful GETs, 304 on a match. ``weak``
    is for files that embed their generation time: the data is the same for one version, the
    bytes are not."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            etag = ("W/" if weak else "") + etag_for(version(), request)
            header = request.headers.get("If-None-Match")
            if header and matches(header, etag):
                return not_modified(etag)
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                public_headers(response, etag)
            return response

        return wrapped

    return decorate
