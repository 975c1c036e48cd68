"""The working calendar (holidays, the weekly schedule), edited by national administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tabyin.core import services
from tabyin.core.admin.site import NationalAdminsOnly, admin_site
from tabyin.core.enums import AuditAction
from tabyin.core.http import staff_user
from tabyin.core.models import Holiday, WorkSchedule


class _CalendarAdmin(NationalAdminsOnly):
    """The working calendar (issue 20): national administrators correct a holiday that moved with
    the moon's sighting or make Thursday a day off; every change is audited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._national_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._national_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._national_admin(request)

    def _kept(self, obj: Any) -> dict[str, str]:
        # The fields people edit, as ISO text; not the row's id or its update time.
        row = type(obj).objects.filter(pk=obj.pk).values().first() or {}
        return {
            k: v.isoformat() if hasattr(v, "isoformat") else str(v)
            for k, v in row.items()
            if k not in {"id", "updated_at"}
        }

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = self._kept(obj)
        super().save_model(request, obj, form, change)
        after = self._kept(obj)
        services.audit_record(
            actor=staff_user(request),
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            obj=obj,
            before=before,
            after=after,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.audit_record(
            actor=staff_user(request), action=AuditAction.DELETE, obj=obj, before={"repr": str(obj)}
        )
        super().delete_model(request, obj)


@admin.register(Holiday, site=admin_site)
class HolidayAdmin(_CalendarAdmin):
    list_display = ("day", "name_fa", "name_en", "origin")
    list_filter = ("origin",)
    search_fields = ("name_fa", "name_en")


@admin.register(WorkSchedule, site=admin_site)
class WorkScheduleAdmin(_CalendarAdmin):
    list_display = ("day_start", "day_end", "thursday", "thursday_end")
