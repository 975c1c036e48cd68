"""The ledger of notices to the public in the back office (ADR 0040): read-only, for national
administrators, without the person's number or push address (only their keyed hash is stored)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tabyin.core.admin.site import NationalAdminsOnly, admin_site
from tabyin.core.models import PublicDelivery


@admin.register(PublicDelivery, site=admin_site)
class PublicDeliveryAdmin(NationalAdminsOnly):
    list_display = ("created_at", "mailbox", "channel", "state", "attempts", "tried_at", "sent_at", "result")
    list_filter = ("channel", "state")
    readonly_fields = (
        "notice",
        "channel",
        "state",
        "attempts",
        "target_hash",
        "result",
        "created_at",
        "tried_at",
        "sent_at",
    )

    @admin.display(description=_("public mailbox"))
    def mailbox(self, obj: PublicDelivery) -> str:
        return f"{obj.notice.mailbox.app} {obj.notice.mailbox.ref}"

    def get_queryset(self, request: HttpRequest) -> QuerySet[PublicDelivery]:
        return super().get_queryset(request).select_related("notice__mailbox")
