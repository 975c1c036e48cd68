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


# What names the client or the way it came: never kept, never passed on. Matched by pattern too,
# since proxies invent new names (X-Original-Forwarded-For, Fastly-Client-IP, X-Envoy-External-Address).
_CLIENT_KEYS = frozenset({"REMOTE_HOST", "REMOTE_PORT", "HTTP_USER_AGENT", "HTTP_VIA", "HTTP_FORWARDED"})
_CLIENT_WORDS = ("FORWARDED", "CLIENT", "REAL_IP", "CONNECTING_IP", "EXTERNAL_ADDRESS")
# X-Forwarded-Proto/-Host/-Port say how the site was reached, not who reached it (SSL detection).
_ABOUT_THE_SITE = ("_PROTO", "_HOST", "_PORT", "_SSL")


def _names_the_client(key: str) -> bool:
    if key in _CLIENT_KEYS or key.startswith("HTTP_SEC_CH_UA"):
        return True
    return (
        key.startswith("HTTP_")
        and any(word in key for word in _CLIENT_WORDS)
        and not key.endswith(_ABOUT_THE_SITE)
    )


class NoClientAddressMiddleware:
    """First in the chain: the request forgets the client's address and user agent before any
    view, log line, error page or library can read them. Violation reporters must not be
    traceable through us, and nothing else on the site needs either value."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key in [key for key in request.META if _names_the_client(key)]:
            del request.META[key]
        request.META["REMOTE_ADDR"] = no_client_address(request)
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
