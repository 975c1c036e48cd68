"""The notification ledger of staff notices: what reached whom (the public notices' ledger is in
``public``)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tabyin.core.admin.site import NationalAdminsOnly, admin_site
from tabyin.core.models import NotifyDelivery


@admin.register(NotifyDelivery, site=admin_site)
class NotifyDeliveryAdmin(NationalAdminsOnly):
    """The notification ledger: what reached whom. Titles name work across every province, so only
    national administrators read it; nobody edits it."""

    list_display = ("created_at", "recipient", "channel", "state", "sent_at", "detail")
    list_filter = ("channel", "state")
    readonly_fields = ("item", "channel", "state", "target", "detail", "created_at", "sent_at")

    @admin.display(description=_("user"))
    def recipient(self, obj: NotifyDelivery) -> str:
        return obj.item.user.get_username()

    def get_queryset(self, request: HttpRequest) -> QuerySet[NotifyDelivery]:
        return super().get_queryset(request).select_related("item__user")
