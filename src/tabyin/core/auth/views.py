"""Staff sign-in in two steps: password, then the authenticator code (enrolled on first use)."""

from __future__ import annotations

import segno
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from tabyin.core.auth import services as services_auth
from tabyin.core.auth import services_invite
from tabyin.core.auth.forms import LoginForm, OtpForm, PasswordForgotForm
from tabyin.core.enums import AuditAction
from tabyin.core.http import safe_next
from tabyin.core.models import User
from tabyin.core.services import auth_event_record

NEXT_KEY = "tabyin_next"


@never_cache
@sensitive_post_parameters("password")
def login(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            auth_login(request, user)
            request.session[NEXT_KEY] = safe_next(request, "/staff/")
            return redirect("core:otp")
        auth_event_record(
            user=None, action=AuditAction.LOGIN_FAILED, username=request.POST.get("username", "")
        )
    return render(request, "core/auth/login.html", {"form": form, "next": request.GET.get("next", "")})


@never_cache
def otp(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return redirect("core:login")
    if services_auth.otp_is_verified(user):
        return redirect(request.session.get(NEXT_KEY, "/staff/"))
    enrolling = not services_auth.otp_has_device(user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        device = (
            services_auth.otp_enroll_confirm(user=user, token=code)
            if enrolling
            else services_auth.otp_verify(user=user, token=code)
        )
        if device is not None:
            otp_login(request, device)
            auth_event_record(user=user, action=AuditAction.LOGIN)
            return redirect(request.session.pop(NEXT_KEY, "/staff/"))
        form.add_error("code", _wrong_code_message())
    context: dict[str, object] = {"form": form, "enrolling": enrolling}
    if enrolling:
        device = services_auth.otp_enroll_start(user=user)
        context["secret"] = _group(device.bin_key)
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(
            scale=4, dark="#111", light="#fff", omitsize=True
        )
    return render(request, "core/auth/otp.html", context)


def _wrong_code_message() -> str:
    from django.utils.translation import gettext

    return gettext("That code is not right. Check your phone's clock and try the newest code.")


def _group(key: bytes) -> str:
    from base64 import b32encode

    secret = b32encode(key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
def password_forgot(request: HttpRequest) -> HttpResponse:
    form = PasswordForgotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services_invite.password_forgot(
            email=form.cleaned_data["email"], base_url=request.build_absolute_uri("/")
        )
        return render(request, "core/auth/password_forgot.html", {"sent": True})
    return render(request, "core/auth/password_forgot.html", {"form": form})


password_set = auth_views.PasswordResetConfirmView.as_view(
    template_name="core/auth/password_set.html",
    success_url=reverse_lazy("core:password-set-done"),
    post_reset_login=False,
)
password_set_done = auth_views.PasswordResetCompleteView.as_view(
    template_name="core/auth/password_set_done.html"
)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    user = request.user if isinstance(request.user, User) else None
    if user is not None:
        auth_event_record(user=user, action=AuditAction.LOGOUT)
    auth_logout(request)
    return redirect("core:home")
