"""Client apps of the public API: their keys (prefixes only), requests per day, and revoking."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tabyin.core.admin.site import NationalAdminsOnly, admin_site
from tabyin.core.apiclients import services as apiclient_services
from tabyin.core.http import staff_user
from tabyin.core.models import ApiClient, ApiKey, ApiUsage


class _ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin_site.has_permission(request)  # shown inside ApiClientAdmin, which checks more


class ApiKeyInline(_ReadOnlyInline):
    model = ApiKey
    fields = readonly_fields = ("prefix", "created_at", "expires_at", "revoked_at")


class ApiUsageInline(_ReadOnlyInline):
    model = ApiUsage
    fields = readonly_fields = ("day", "requests")
    max_num = 30


@admin.register(ApiClient, site=admin_site)
class ApiClientAdmin(NationalAdminsOnly):
    """Client apps of the public API: each one's keys (prefixes only) and requests per day, and
    revoking. Registered and rotated with ``tabyin manage api_clients`` (the key is printed once,
    on the administrator's terminal); national administrators only."""

    list_display = ("name", "rate", "requests_today", "last_used_at", "created_at", "revoked_at")
    readonly_fields = ("name", "contact", "rate", "created_at", "last_used_at", "revoked_at")
    inlines = (ApiKeyInline, ApiUsageInline)
    actions = ("revoke",)

    @admin.display(description=_("requests today"))
    def requests_today(self, obj: ApiClient) -> int:
        row = obj.usage.filter(day=timezone.localdate()).first()
        return row.requests if row else 0

    @admin.action(description=_("Revoke the selected client apps (every key stops at once)"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        count = 0
        for client in queryset.filter(revoked_at=None):
            apiclient_services.client_revoke(actor=staff_user(request), client=client)
            count += 1
        self.message_user(request, _("Client apps revoked: %(count)s") % {"count": count}, messages.SUCCESS)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Read-only form; the revoke action needs the change permission.
        return self._national_admin(request)

    # No add (the key is shown once: registered from the command line), no delete.
