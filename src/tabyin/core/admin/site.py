"""The back office's site and the two permission bases every admin class builds on, here and in the
module apps (``tabyin.core.admin`` re-exports them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from tabyin.core import permissions
from tabyin.core.auth import services as services_auth
from tabyin.core.enums import Role
from tabyin.core.http import staff_user
from tabyin.core.models import User
from tabyin.core.scoping import scope_for


class TabyinAdminSite(OTPAdminSite):  # type: ignore[misc]
    site_header = _("Tabyin administration")
    site_title = _("Tabyin administration")
    login_template = None

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return (
            isinstance(user, User)
            and user.is_active
            and services_auth.otp_is_verified(user)
            and permissions.can_administer(scope_for(user))
        )

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        from django.shortcuts import redirect, render
        from django.utils.http import urlencode

        if request.user.is_authenticated and services_auth.otp_is_verified(request.user):
            return render(request, "core/staff/forbidden.html", status=403)
        return redirect(f"/staff/login/?{urlencode({'next': request.GET.get('next', '/staff/admin/')})}")


admin_site = TabyinAdminSite(name="admin")


class ScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Administrators hold every model permission inside their scope; nobody deletes."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return admin_site.has_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin_site.has_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NationalAdminsOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    """Models whose rows span every province (the notification ledger, API clients, the working
    calendar): only national administrators see them; each subclass says what they may change."""

    def _national_admin(self, request: HttpRequest) -> bool:
        if not admin_site.has_permission(request):
            return False
        return scope_for(staff_user(request)).has_national_role(Role.ADMINISTRATOR)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._national_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._national_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
