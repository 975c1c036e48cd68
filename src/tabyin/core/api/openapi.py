"""The problem shape in the OpenAPI document: one ``Problem`` component, and every error response
of every operation pointing at it as ``application/problem+json`` (pure code over the document)."""

from __future__ import annotations

import copy
from typing import Any, Final

from tabyin.core.api.problems import MEDIA_TYPE

PROBLEM: Final[dict[str, Any]] = {
    "title": "Problem",
    "description": "RFC 9457 problem details. `title` and `detail` follow Accept-Language (Persian "
    "unless English is preferred). Members an app adds beside them (such as the open-data `error` "
    "object) are extensions a client may ignore.",
    "type": "object",
    "required": ["type", "title", "status", "detail", "instance"],
    "additionalProperties": True,
    "properties": {
        "type": {
            "type": "string",
            "format": "uri-reference",
            "description": "The problem's type: its entry on the API reference page.",
        },
        "title": {"type": "string", "description": "The same for every problem of this type."},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string", "description": "What went wrong this time, and what to do."},
        "instance": {"type": "string", "format": "uri-reference", "description": "The address asked for."},
        "errors": {
            "type": "array",
            "description": "Validation problems (422) only: one entry per field at fault.",
            "items": {
                "type": "object",
                "required": ["loc", "msg", "type"],
                "properties": {
                    "loc": {
                        "type": "array",
                        "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                        "description": 'Where: ["body", "payload", "text"], ["query", "q"], …',
                    },
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
}
DESCRIPTIONS: Final = {
    "400": "The request is not valid (see detail), or its body could not be read as JSON.",
    "401": "A write without a valid client key, or a key that is unknown, revoked or expired.",
    "404": "Nothing at this address.",
    "422": "A field of the request is missing or has the wrong type (see errors).",
    "429": "Past the client's rate limit; Retry-After says when to try again.",
    "500": "A server error (logged).",
}


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def with_problems(schema: Any) -> dict[str, Any]:
    """The document with every 4xx/5xx response as a problem; 401, 422, 429 and 500 added to every
    operation (any request may carry a wrong key, break a limit or meet a bug), 400 to those with a
    body (it may not be JSON) and 404 to those with a path parameter (it may name nothing)."""
    doc: dict[str, Any] = copy.deepcopy(dict(schema))
    doc.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    for methods in doc.get("paths", {}).values():
        for operation in methods.values():
            # ninja keys statuses by int; JSON turns them into strings: one kind, or "401" twice.
            responses = {str(k): v for k, v in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for status, answer in list(responses.items()):
                if status[0] in "45":
                    responses[status] = _problem_response(
                        answer.get("description") or DESCRIPTIONS.get(str(status), "")
                    )
            for status in ("401", "422", "429", "500"):
                responses.setdefault(status, _problem_response(DESCRIPTIONS[status]))
            if "requestBody" in operation:  # a body that is not JSON at all
                responses.setdefault("400", _problem_response(DESCRIPTIONS["400"]))
            if any(p.get("in") == "path" for p in operation.get("parameters", [])):
                responses.setdefault("404", _problem_response(DESCRIPTIONS["404"]))  # nothing by that name
    return doc
