"""Every error of the public API in one shape: RFC 9457 problem details.

``application/problem+json`` with ``type`` (a link to the problem's entry on /api/v1/docs),
``title`` (the same for every problem of that type), ``status``, ``detail`` (this occurrence) and
``instance`` (the address asked for); a validation problem adds ``errors``, one per field at fault.
Title and detail follow the request's Accept-Language (Persian unless English is preferred); an
app's own members (the open-data ``error`` object with both languages, the plain-language check's
``error`` code) stay beside them as extension members, so a client written for them keeps working.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MEDIA_TYPE: Final = "application/problem+json"
DOCS_PATH: Final = "/api/v1/docs"
LANGUAGES: Final = ("fa", "en")

logger = logging.getLogger("tabyin.api")

# The problem types, each with its title; the docs page lists them with their anchors.
TITLES: Final[dict[str, Promise]] = {
    "bad-request": _("The request is not valid"),
    "validation": _("Some fields of the request are not valid"),
    "unauthorized": _("A valid key or sign-in is needed"),
    "forbidden": _("This request is not allowed"),
    "not-found": _("Nothing was found at this address"),
    "method-not-allowed": _("This address does not take this method"),
    "conflict": _("This conflicts with what was already done"),
    "too-large": _("The request is too large"),
    "too-many-requests": _("Too many requests from this client"),
    "server-error": _("Something went wrong on the server"),
}
STATUS_TYPES: Final = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    422: "validation",
    429: "too-many-requests",
    500: "server-error",
}


@dataclass(frozen=True)
class Problem:
    """One error, before it is put in the request's language.

    ``detail`` may be a lazy translation: it is rendered in the language the client prefers.
    ``extra`` holds extension members, sent as given (already language-neutral)."""

    status: int
    detail: str | Promise
    kind: str = ""
    errors: list[dict[str, Any]] | None = None
    # Interpolated into ``detail`` after translation ("lazy % values" would freeze the language).
    values: Mapping[str, object] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def type_slug(self) -> str:
        return self.kind or STATUS_TYPES.get(self.status, "bad-request")


class ProblemError(Exception):
    """Raised by an API view to answer with a problem (``raise ProblemError(Problem(404, …))``)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.type_slug)
        self.problem = problem


def language(request: HttpRequest) -> str:
    """The first of Persian or English in Accept-Language by quality (ties: the order given);
    Persian when neither is asked for. The API is outside the language prefix, so Django's
    locale middleware leaves it in Persian whatever the header says."""
    best, best_q = "fa", -1.0
    for position, part in enumerate(request.headers.get("Accept-Language", "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        code = tag.strip().lower().split("-")[0]
        if code not in LANGUAGES:
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if quality > best_q and quality > 0:
            best, best_q = code, quality - position * 1e-6
    return best


def body(request: HttpRequest, problem: Problem) -> dict[str, Any]:
    slug = problem.type_slug
    with translation.override(language(request)):
        title = str(TITLES.get(slug, TITLES[STATUS_TYPES.get(problem.status, "bad-request")]))
        detail = str(problem.detail) % problem.values if problem.values else str(problem.detail)
    out: dict[str, Any] = {
        **problem.extra,
        "type": f"{DOCS_PATH}#problem-{slug}",
        "title": title,
        "status": problem.status,
        "detail": detail,
        "instance": request.get_full_path(),
    }
    if problem.errors is not None:
        out["errors"] = problem.errors
    return out


def response(request: HttpRequest, problem: Problem) -> HttpResponse:
    content = json.dumps(body(request, problem), ensure_ascii=False, default=str)
    answer = HttpResponse(content, status=problem.status, content_type=f"{MEDIA_TYPE}; charset=utf-8")
    answer["Content-Language"] = language(request)
    answer["Vary"] = "Accept-Language"
    for name, value in problem.headers.items():
        answer[name] = value
    return answer


def not_found_view(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    """Any /api/v1/ address no route answers: a problem rather than the site's HTML 404 page."""
    return response(request, Problem(404, _("The API has no address like this one.")))
