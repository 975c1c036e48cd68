"""Service levels in the administrators' back office: the working hours PR promises per kind."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tabyin.core.admin import ScopedAdmin, admin_site
from tabyin.core.http import staff_user
from tabyin.desk.intake.models import ServiceLevel
from tabyin.desk.intake.services import service_level_save


@admin.register(ServiceLevel, site=admin_site)
class ServiceLevelAdmin(ScopedAdmin):
    list_display = ("kind", "response_hours", "delivery_hours")
    fields = ("kind", "response_hours", "delivery_hours")

    def save_model(self, request: HttpRequest, obj: ServiceLevel, form: Any, change: bool) -> None:
        service_level_save(actor=staff_user(request), row=obj)
