"""CKAN's Action API envelope, errors and parameter reading, shared by the CKAN actions.

Responses are ``{"help", "success": true, "result"}``. Errors are what CKAN's ``api.action`` view
answers (ckan/views/api.py): ``{"help", "success": false, "error": {"__type", "message"}}`` with
404 (Not Found Error) or 400 (Search Query Error), and for a Validation Error (409) the fields in
error, each with a list of messages: ``{"__type": "Validation Error", "limit": ["..."]}``. An
unknown action or an unreadable body is a 400 whose body is a bare JSON string ("Bad request -
..."), exactly as CKAN answers it.

Parameters are read as CKAN reads them for read-only actions: a form-encoded POST body, else the
query string, else a JSON object body. A repeated query key becomes a list, as in CKAN, and then
fails the validator of a field that wants one value.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Final

from django.http import HttpRequest, JsonResponse, QueryDict

from tabyin.portal.opendata.selectors.filters import DataQueryError, normalise

ORGANIZATION_NAME: Final = "publisher"
HELP_PATH: Final = "/api/3/action/help_show"
# CKAN's HTTP status per error type (ckan/views/api.py); Search Query Error and the rest are 400.
STATUS: Final = {"Not Found Error": 404, "Validation Error": 409, "Internal Server Error": 500}
_TRUE: Final = frozenset({"true", "yes", "on", "y", "t", "1"})
_FALSE: Final = frozenset({"false", "no", "off", "n", "f", "0"})


class CkanError(Exception):
    """An error an action raises; ``kind`` is CKAN's ``__type``."""

    def __init__(self, kind: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind  # "Not Found Error" | "Validation Error" | "Search Query Error"
        self.message = message
        self.field = field

    @property
    def status(self) -> int:
        return {"Not Found Error": 404, "Validation Error": 409, "Internal Server Error": 500}.get(
            self.kind, 400
        )


class BadRequestError(Exception):
    """Refused before any action runs (unknown action, unreadable body): CKAN's bare-string 400."""


def not_found(message: str) -> CkanError:
    return CkanError("Not Found Error", f"Not found: {message}")


def invalid(field: str, message: str) -> CkanError:
    return CkanError("Validation Error", message, field)


def search_query_error(message: str) -> CkanError:
    # CKAN prefixes the exception text the same way (the repr of its args, which we spare clients).
    return CkanError("Search Query Error", f"Search Query is invalid: {message}")


def from_query_error(exc: DataQueryError, field: str | None = None) -> CkanError:
    if exc.status == 404:
        return not_found(exc.text("en"))
    return invalid(field or exc.parameter or "__all__", exc.text("en"))


def help_url(request: HttpRequest, action: str) -> str:
    # CKAN's help link names the versioned route whichever route was called.
    return request.build_absolute_uri(f"{HELP_PATH}?name={action}")


def envelope(request: HttpRequest, action: str, result: Any) -> JsonResponse:
    body = {"help": help_url(request, action), "success": True, "result": result}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def error_envelope(request: HttpRequest, action: str, exc: CkanError) -> JsonResponse:
    error: dict[str, Any] = {"__type": exc.kind}
    if exc.kind == "Validation Error" and exc.field:
        error[exc.field] = [exc.message]
    else:
        error["message"] = exc.message
    body = {"help": help_url(request, action), "success": False, "error": error}
    return JsonResponse(body, status=exc.status, json_dumps_params={"ensure_ascii": False})


def bad_request(message: str) -> JsonResponse:
    return JsonResponse(f"Bad request - {message}", status=400, safe=False)


def _mixed(query: QueryDict) -> dict[str, Any]:
    """CKAN's ``mixed()``: one value stays a string, a repeated key becomes a list."""
    return {key: (values[0] if len(values) == 1 else values) for key, values in query.lists()}


def _json_object(raw: bytes | str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadRequestError("JSON Error: Error decoding JSON data.") from None
    if not isinstance(data, dict):
        raise BadRequestError(
            f"JSON Error: Request data JSON decoded to {type(data).__name__} but it needs to be a dictionary."
        )
    return data


def action_params(request: HttpRequest) -> dict[str, Any]:
    """The action's parameters, read in CKAN's order (``_get_request_data`` with URL parameters
    allowed, as for every read-only action)."""
    content_type = request.content_type or ""
    params: dict[str, Any]
    if request.method == "POST" and content_type == "application/x-www-form-urlencoded" and request.POST:
        values = [v for _, vs in request.POST.lists() for v in vs]
        if len(values) == 1 and values[0] in ("1", ""):
            # `curl -d '{"id": "x"}'` sends JSON as a form key; the raw body is the JSON itself.
            try:
                params = _json_object(request.body)
            except BadRequestError:
                params = _json_object(next(iter(request.POST)))
        else:
            params = _mixed(request.POST)
    elif request.method == "POST" and content_type == "multipart/form-data" and request.POST:
        params = _mixed(request.POST)
    elif request.GET:
        params = _mixed(request.GET)
    elif request.method == "POST" and request.body and content_type != "multipart/form-data":
        params = _json_object(request.body)
    else:
        params = {}
    params.pop("callback", None)  # CKAN drops the JSONP callback name; we answer plain JSON
    for key, value in params.items():
        if isinstance(value, str) and "\x00" in value:
            raise invalid(str(key)[:100], "Invalid value.")
    return params


def integer(
    params: dict[str, Any],
    name: str,
    default: int,
    *,
    maximum: int | None = None,
    message: str = "Must be a natural number",
) -> int:
    """CKAN's natural_number_validator (a whole number ≥ 0); larger than ``maximum`` is capped, as
    CKAN caps ``rows``/``limit`` at its configured maximum instead of failing."""
    raw = params.get(name, default)
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise invalid(name, message)
    text = normalise(str(raw)).strip()  # Persian digits are read as ASCII, as everywhere in the APIs
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        raise invalid(name, message)
    number = int(text)
    return min(number, maximum) if maximum is not None else number


def boolean(params: dict[str, Any], name: str, default: bool) -> bool:
    raw = params.get(name, default)
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    raise invalid(name, "Must be true or false")


def text(params: dict[str, Any], name: str, default: str = "") -> str:
    value = params.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise invalid(name, "Must be a string")
    return value


def required(params: dict[str, Any], name: str) -> str:
    """CKAN's ``get_or_bust``: a missing or empty value is a Validation Error on that field."""
    value = text(params, name)
    if not value.strip():
        raise invalid(name, "Missing value")
    return value


def string_list(params: dict[str, Any], name: str, *, separators: str = ",") -> list[str] | None:
    """A list of strings given as a JSON list, a list (a repeated key) or one separated string."""
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        for separator in separators[1:]:
            raw = raw.replace(separator, separators[0])
        return [part.strip() for part in raw.split(separators[0]) if part.strip()]
    if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        return [item.strip() for item in raw]
    raise invalid(name, "Not a list of strings")


def json_list(params: dict[str, Any], name: str) -> list[str] | None:
    """CKAN's ``convert_to_json_if_string`` + ``list_of_strings`` (``facet.field``)."""
    raw = params.get(name)
    if raw is None:
        return None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            # One plain name, as a GET with a repeated key of one value sends it (`requests`
            # writes ["tags"] as facet.field=tags); CKAN would refuse it, nothing is lost here.
            if not raw.replace("_", "").replace(".", "").isalnum():
                raise invalid(name, "Could not parse as valid JSON") from None
            raw = [raw]
    if not isinstance(raw, list):
        raise invalid(name, "Not a list")
    for item in raw:
        if not isinstance(item, str):
            raise invalid(name, f"Not a string: {str(item)[:50]}")
    return list(raw)


def ckan_time(moment: datetime | None) -> str | None:
    """CKAN writes naive UTC times with microseconds; clients parse exactly that."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
