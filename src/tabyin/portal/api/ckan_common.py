"""CKAN's Action API envelope, errors and parameter reading, shared by the CKAN actions.

Responses are ``{"help", "success", "result"}``; errors are ``{"help", "success": false,
"error": {"__type", "message", <field>: [messages]}}`` with 404 (Not Found Error) or 409
(Validation Error), as CKAN answers. Actions take GET query strings or, as CKAN clients such as
ckanapi send them, a POST with a JSON object body.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Final

from django.http import HttpRequest, JsonResponse

from tabyin.portal.selectors_data.filters import DataQueryError, normalise

ORGANIZATION_NAME: Final = "publisher"


class CkanError(Exception):
    def __init__(self, kind: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind  # "Not Found Error" | "Validation Error" | "Bad Request"
        self.message = message
        self.field = field

    @property
    def status(self) -> int:
        return {"Not Found Error": 404, "Validation Error": 409}.get(self.kind, 400)


def not_found(message: str) -> CkanError:
    return CkanError("Not Found Error", f"Not found: {message}")


def invalid(field: str, message: str) -> CkanError:
    return CkanError("Validation Error", message, field)


def from_query_error(exc: DataQueryError, field: str | None = None) -> CkanError:
    if exc.status == 404:
        return not_found(exc.text("en"))
    return invalid(field or exc.parameter or "__all__", exc.text("en"))


def help_url(request: HttpRequest, action: str) -> str:
    return request.build_absolute_uri(f"/api/3/action/help_show?name={action}")


def envelope(request: HttpRequest, action: str, result: Any) -> JsonResponse:
    body = {"help": help_url(request, action), "success": True, "result": result}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def error_envelope(request: HttpRequest, action: str, exc: CkanError) -> JsonResponse:
    error: dict[str, Any] = {"__type": exc.kind, "message": exc.message}
    if exc.field:
        error[exc.field] = [exc.message]
    body = {"help": help_url(request, action), "success": False, "error": error}
    return JsonResponse(body, status=exc.status, json_dumps_params={"ensure_ascii": False})


def action_params(request: HttpRequest) -> dict[str, Any]:
    """GET query values (strings; a repeated key is refused) or a POSTed JSON object."""
    if request.method == "POST":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise CkanError("Bad Request", "Bad request - JSON Error: could not read the body") from None
        if not isinstance(data, dict):
            raise CkanError("Bad Request", "Bad request - JSON Error: the body must be an object")
        params = data
    else:
        params = {}
        for key in request.GET:
            values = request.GET.getlist(key)
            if len(values) > 1:
                raise invalid(key[:100], "Give this parameter only once.")
            params[key] = values[0]
    for key, value in params.items():
        if isinstance(value, str) and "\x00" in value:
            raise invalid(str(key)[:100], "Invalid value.")
    return params


def allow_only(params: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise invalid(str(unknown[0])[:100], "The following fields are not allowed here.")


def integer(params: dict[str, Any], name: str, default: int, *, maximum: int | None = None) -> int:
    """CKAN's int_validator: a whole number ≥ 0; larger than ``maximum`` is capped, as CKAN caps
    ``rows``/``limit`` at its configured maximum instead of failing."""
    raw = params.get(name, default)
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise invalid(name, "Invalid integer")
    text = normalise(str(raw))  # Persian digits are read as ASCII, as everywhere in the data APIs
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        raise invalid(name, "Invalid integer")
    number = int(text)
    return min(number, maximum) if maximum is not None else number


def text(params: dict[str, Any], name: str, default: str = "") -> str:
    value = params.get(name, default)
    if not isinstance(value, str):
        raise invalid(name, "Must be a string")
    return value


def ckan_time(moment: datetime | None) -> str | None:
    """CKAN writes naive UTC times with microseconds; clients parse exactly that."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
