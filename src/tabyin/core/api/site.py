"""/api/v1/: one django-ninja API for every app, one OpenAPI document (/api/v1/openapi.json), one
reference page (/api/v1/docs), one error shape (``core.api.problems``).

Apps contribute ``ninja.Router``s through ``registry.add_api_router`` (core never imports them by
name). Each router's routes keep the URL names they had when the app served its own API
(``scorecard-api-v1:period``): they are included under the namespace the app gives. An app's old
document and reference addresses (/api/v1/scorecards/openapi.json, …/docs) redirect to the one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.operation import Operation
from ninja.renderers import JSONRenderer

from tabyin.core.api import openapi, problems
from tabyin.core.api.security import require_keys_for_writes
from tabyin.core.registry import ApiRouter, registry

NAMESPACE: Final = "api-v1"
DESCRIPTION: Final = """The public API of Tabyin: open data, the scorecard, violation reports and
more, for the organization's mobile app and anyone else. ASCII digits, ISO dates and times.

Reads need no key. Every write needs a registered client's key, in `X-Api-Key` or as
`Authorization: Bearer <key>`; each client has its own rate limit (429 with Retry-After past it).
Every error is an RFC 9457 problem (`application/problem+json`), its title and detail in Persian
or English by Accept-Language. Versioning and deprecation: docs/modules/api.md."""

logger = logging.getLogger("tabyin.api")


class _Renderer(JSONRenderer):
    # Persian as UTF-8 rather than \u escapes: half the size and readable in a terminal.
    json_dumps_params: Mapping[str, Any] = MappingProxyType({"ensure_ascii": False})


class PublicApi(NinjaAPI):
    _schema: dict[str, Any] | None = None
    _schema_lock = threading.Lock()

    def get_openapi_operation_id(self, operation: Operation) -> str:
        # "reports_categories" rather than the module path: readable names in generated clients.
        app = operation.view_func.__module__.split(".")[1]
        return f"{app}_{operation.view_func.__name__}"

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """Built once per process: the routes do not change while it runs."""
        if path_prefix is not None or path_params:
            return openapi.with_problems(super().get_openapi_schema(path_prefix=path_prefix))
        with self._schema_lock:
            if self._schema is None:
                self._schema = openapi.with_problems(super().get_openapi_schema())
            return self._schema


def _install_handlers(api: NinjaAPI) -> None:
    def problem(request: HttpRequest, exc: object) -> HttpResponse:
        assert isinstance(exc, problems.ProblemError)
        return problems.response(request, exc.problem)

    def validation(request: HttpRequest, exc: object) -> HttpResponse:
        assert isinstance(exc, ValidationError)
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in exc.errors
        ]
        detail = _("Some fields of the request are missing or not valid: see errors.")
        return problems.response(request, problems.Problem(422, detail, errors=errors))

    def unauthorized(request: HttpRequest, exc: object) -> HttpResponse:
        detail = _("Send a registered client's key in X-Api-Key or as Authorization: Bearer <key>.")
        return problems.response(
            request, problems.Problem(401, detail, headers={"WWW-Authenticate": 'Bearer realm="api"'})
        )

    def throttled(request: HttpRequest, exc: object) -> HttpResponse:
        return problems.response(request, problems.Problem(429, _("Too many requests; try again later.")))

    def http_error(request: HttpRequest, exc: object) -> HttpResponse:
        assert isinstance(exc, HttpError)
        details = {403: _("This request is not allowed (for example, a missing CSRF token).")}
        status = exc.status_code
        detail = details.get(status, problems.TITLES[problems.STATUS_TYPES.get(status, "bad-request")])
        return problems.response(request, problems.Problem(status, detail))

    def not_found(request: HttpRequest, exc: object) -> HttpResponse:
        return problems.response(request, problems.Problem(404, _("Nothing was found at this address.")))

    def anything(request: HttpRequest, exc: object) -> HttpResponse:
        assert isinstance(exc, Exception)
        as_problem = getattr(exc, "as_problem", None)
        if callable(as_problem):  # an app's own error that knows its problem (portal DataQueryError)
            found = as_problem()
            assert isinstance(found, problems.Problem)
            return problems.response(request, found)
        if isinstance(exc, RequestDataTooBig):
            detail = _("The request body is larger than this server takes; send smaller files.")
            limit = {"max_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
            return problems.response(request, problems.Problem(413, detail, extra=limit))
        logger.exception("API error on %s", request.path, exc_info=exc)
        return problems.response(request, problems.Problem(500, _("The error was logged; try again later.")))

    api.add_exception_handler(problems.ProblemError, problem)
    api.add_exception_handler(ValidationError, validation)
    api.add_exception_handler(AuthenticationError, unauthorized)
    api.add_exception_handler(Throttled, throttled)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(Exception, anything)


_api: PublicApi | None = None
_api_lock = threading.Lock()


def parts() -> list[tuple[ApiRouter, Router]]:
    found = []
    for part in registry.api_routers:
        router = import_string(part.router)
        assert isinstance(router, Router), part.router
        found.append((part, router))
    return found


def public_api() -> PublicApi:
    """The API with every contributed router mounted (built on first use, after apps are ready)."""
    global _api  # noqa: PLW0603 - one API per process, built lazily
    with _api_lock:
        if _api is None:
            api = PublicApi(
                urls_namespace=NAMESPACE,
                title="Tabyin public API",
                version="1",
                description=DESCRIPTION,
                docs_url=None,  # Swagger UI needs a CDN and inline styles: our own page instead
                renderer=_Renderer(),
            )
            _install_handlers(api)
            for part, router in parts():
                if part.client_keys:
                    require_keys_for_writes(router)
                api.add_router(part.prefix, router)
            _api = api
        return _api
