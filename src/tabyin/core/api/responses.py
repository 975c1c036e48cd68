"""JSON answers built by an API view itself (when it sets its own headers), encoded as the API's
renderer does (UTF-8 Persian rather than \\u escapes, Django's encoder for dates and decimals), and
the headers of a deprecated operation."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, Final

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import http_date

# The shortest life of a deprecated field or operation before its sunset (docs/modules/api.md).
MIN_DEPRECATION: Final = timedelta(days=182)


def json_response(data: Any, status: int = 200) -> HttpResponse:
    content = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return HttpResponse(content, status=status, content_type="application/json; charset=utf-8")


def deprecated(
    since: datetime, sunset: datetime, doc: str = "/api/v1/docs"
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """A view decorator for a deprecated operation (docs/modules/api.md, Versioning): every answer
    says since when (``Deprecation``, RFC 9745), until when (``Sunset``, RFC 8594) and where the
    replacement is described. On a ninja operation: ``@decorate_view(deprecated(...))`` and
    ``deprecated=True`` in the route, so the document says it too."""
    if sunset - since < MIN_DEPRECATION:
        raise ValueError("a deprecated operation lives at least 6 months (docs/modules/api.md)")
    headers = {
        "Deprecation": f"@{int(since.timestamp())}",
        "Sunset": http_date(sunset.timestamp()),
        "Link": f'<{doc}>; rel="deprecation"',
    }

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            for name, value in headers.items():
                response[name] = value
            return response

        return wrapped

    return decorate
