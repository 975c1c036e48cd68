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
