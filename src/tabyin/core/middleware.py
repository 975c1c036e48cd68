from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


def no_client_address(request: HttpRequest) -> str:
    """What django-axes records as the client address: nothing that identifies anyone."""
    return "0.0.0.0"  # noqa: S104 (a placeholder value, not a bind address)


# Headers that name the client or the way it came: never kept, never passed on.
_CLIENT_HEADERS = (
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_X_CLIENT_IP",
)


class NoClientAddressMiddleware:
    """First in the chain: the request forgets the client's address and user agent before any
    view, log line, error page or library can read them. Violation reporters must not be
    traceable through us, and nothing else on the site needs either value."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META["REMOTE_ADDR"] = no_client_address(request)
        for header in _CLIENT_HEADERS:
            request.META.pop(header, None)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Headers Django's SecurityMiddleware does not set: Permissions-Policy, and no caching of
    staff pages by shared caches."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if "/staff/" in request.path:
            response.headers["Cache-Control"] = "no-store"
        return response
