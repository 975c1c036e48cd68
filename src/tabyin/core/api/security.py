"""Client keys on the public API: who is asking, how fast, and whether they may write.

Every /api/v1/ request passes ``with_client`` first (outside any response cache, so cached answers
are counted and limited too): a key in ``X-Api-Key`` or ``Authorization: Bearer`` is checked (a
wrong one is a 401 even on a read), its client's rate limit applied (django-ninja's throttle, in
the default cache) and the request counted. Reads need no key; every write of a router that takes
client keys has ``ClientKey``/``ClientBearer`` as its django-ninja auth, so the OpenAPI document
says so and a write without a valid key is a 401.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps
from typing import Any, Final

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyHeader, HttpBearer
from ninja.throttling import SimpleRateThrottle

from tabyin.core.api import problems
from tabyin.core.apiclients import selectors, services
from tabyin.core.models_api import ApiClient

View = Callable[..., HttpResponseBase]
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
_ATTRIBUTE: Final = "api_client"


def presented_key(request: HttpRequest) -> str | None:
    key = request.headers.get("X-Api-Key", "").strip()
    if key:
        return key
    scheme, _sep, value = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def client_of(request: HttpRequest) -> ApiClient | None:
    found = getattr(request, _ATTRIBUTE, None)
    return found if isinstance(found, ApiClient) else None


class _ClientThrottle(SimpleRateThrottle):
    """One client's own rate (``ApiClient.rate``), counted under its id."""

    scope = "api-client"

    def __init__(self, client: ApiClient) -> None:
        self.client = client
        super().__init__(rate=client.rate)

    def get_cache_key(self, request: HttpRequest) -> str:
        # The creation time too: a database restored from a backup (or a test's rolled-back one)
        # may give a new client an old client's id, never its history.
        ident = f"{self.client.pk}-{self.client.created_at.timestamp()}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


def _unauthorized(request: HttpRequest) -> HttpResponseBase:
    return problems.response(
        request,
        problems.Problem(
            401,
            _("This client key is not valid: it is unknown, revoked or past its grace period."),
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        ),
    )


def with_client(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = presented_key(request)
        if key is not None:
            client = selectors.client_for_key(key)
            if client is None:
                return _unauthorized(request)
            setattr(request, _ATTRIBUTE, client)
            services.record_use(client)
            throttle = _ClientThrottle(client)
            if not throttle.allow_request(request):
                wait = throttle.wait()
                seconds = math.ceil(wait) if wait is not None else 1
                return problems.response(
                    request,
                    problems.Problem(
                        429,
                        _("This client app sent more requests than its limit allows; try again later."),
                        headers={"Retry-After": str(seconds)},
                    ),
                )
        return view(request, *args, **kwargs)

    return wrapped


class ClientKey(APIKeyHeader):
    """A registered client's key in the ``X-Api-Key`` header (checked by ``with_client``)."""

    param_name = "X-Api-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiClient | None:
        return client_of(request)


class ClientBearer(HttpBearer):
    """The same key as ``Authorization: Bearer <key>``."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        return client_of(request)


CLIENT_AUTH: Final = [ClientKey(), ClientBearer()]


def require_keys_for_writes(router: Any) -> None:
    """Give every write of ``router`` (a ``ninja.Router``) that has no auth of its own the client
    key; reads keep none. Done on the router before it is mounted."""
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            if set(operation.methods) - SAFE_METHODS and not operation.auth_callbacks:
                operation.auth_param = CLIENT_AUTH
                operation._set_auth(CLIENT_AUTH)
