"""One error shape for every machine interface of the portal (except CKAN, which keeps CKAN's).

``{"error": {"code", "message", "message_fa", "parameter"}}``: a stable code to branch on, the
message in both languages whatever the request's language (an API has no language of its own),
and the query parameter at fault, if any.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

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


def install_handlers(api: NinjaAPI) -> None:
    # ninja types a handler's second argument as "the exception or its class", hence ``object``.
    def data_error(request: HttpRequest, exc: object) -> HttpResponse:
        assert isinstance(exc, DataQueryError)
        return api.create_response(request, error_body(exc), status=exc.status)

    def validation_error(request: HttpRequest, exc: object) -> HttpResponse:
        assert isinstance(exc, ValidationError)
        # Every query parameter is declared as text and checked by selectors_data, so this is a
        # safety net; it still answers in our shape instead of ninja's 422.
        location = exc.errors[0].get("loc", ()) if exc.errors else ()
        parameter = str(location[-1]) if location else None
        error = DataQueryError(
            "invalid_parameter", _("This parameter has a value that is not valid."), parameter
        )
        return data_error(request, error)

    api.add_exception_handler(DataQueryError, data_error)
    api.add_exception_handler(ValidationError, validation_error)
