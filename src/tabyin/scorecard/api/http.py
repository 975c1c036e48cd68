"""Conditional GET and caching headers for /api/v1/scorecards/, as on the portal's API.

A response is fully determined by its URL and by which periods are public with which current
run (publishing, finalizing and rescoring change that), so the ETag hashes the two and a matching
``If-None-Match`` is answered 304 after one small query, before the view runs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from hashlib import sha256
from typing import Final

from django.http import HttpRequest, HttpResponseBase, HttpResponseNotModified
from django.utils.http import parse_etags

from tabyin.scorecard import selectors

CACHE_CONTROL: Final = "public, max-age=300"

type View = Callable[..., HttpResponseBase]


def _version() -> str:
    rows = selectors.public_periods().filter(runs__is_current=True).values_list("code", "state", "runs__pk")
    return repr(sorted(rows))


def data_etag(request: HttpRequest) -> str:
    digest = sha256(f"{_version()}\n{request.build_absolute_uri()}".encode()).hexdigest()
    return f'"{digest[:32]}"'


def _matches(header: str, etag: str) -> bool:
    tags = parse_etags(header)
    return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)


def _public(response: HttpResponseBase, etag: str) -> None:
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    response["Access-Control-Allow-Origin"] = "*"  # open data, no cookies involved


def cached_get(view: View) -> View:
    """ETag and ``Cache-Control: public, max-age=300`` on successful GETs; 304 on a match."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        etag = data_etag(request)
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
