from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from tabyin.core.auth import services as services_auth


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Password *and* second factor. A user who passed only the password is sent to step two."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or not user.is_active or not user.is_staff:
            return redirect(f"{reverse('core:login')}?{urlencode({'next': request.get_full_path()})}")
        if not services_auth.otp_is_verified(user):
            return redirect("core:otp")
        return view(request, *args, **kwargs)

    return wrapped
