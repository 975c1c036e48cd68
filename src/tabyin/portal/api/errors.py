"""The error object of the portal's plain Django data views (downloads, catalogues); the API
sends the same object inside its problem details (``DataQueryError.as_problem``). CKAN keeps
CKAN's shape.

``{"error": {"code", "message", "message_fa", "parameter"}}``: a stable code to branch on, the
message in both languages whatever the request's language (an API has no language of its own),
and the query parameter at fault, if any.
"""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse

from tabyin.portal.opendata.selectors.filters import DataQueryError


def error_body(exc: DataQueryError) -> dict[str, Any]:
    return {
        "error": {
            "code": exc.code,
            "message": exc.text("en"),
            "message_fa": exc.text("fa"),
            "parameter": exc.parameter,
        }
    }


def error_response(exc: DataQueryError) -> JsonResponse:
    """For the plain Django views (downloads, catalogues) that share the API's error shape."""
    return JsonResponse(error_body(exc), status=exc.status, json_dumps_params={"ensure_ascii": False})
