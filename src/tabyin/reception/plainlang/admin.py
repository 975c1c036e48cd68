"""The term list in the administrators' back office: add, correct, switch off (never delete)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tabyin.core.admin import ScopedAdmin, admin_site
from tabyin.core.http import staff_user
from tabyin.reception.plainlang.models import JargonEntry
from tabyin.reception.plainlang.services import jargon_entry_save


@admin.register(JargonEntry, site=admin_site)
class JargonEntryAdmin(ScopedAdmin):
    list_display = ("number", "term", "plain", "note", "active", "updated_at")
    list_filter = ("active",)
    search_fields = ("term", "plain", "note")
    ordering = ("number",)
    fields = ("number", "term", "plain", "note", "active")

    def save_model(self, request: HttpRequest, obj: JargonEntry, form: Any, change: bool) -> None:
        jargon_entry_save(actor=staff_user(request), entry=obj, is_new=not change)
