"""The portal in the administrators' back office (``tabyin.core.admin.admin_site``).

National administrators edit the catalogue (themes, datasets, indicators) here; each save is
checked, keeps the search text in step and leaves an audit entry. Releases, figures, revisions
and explanations are read-only: they change only through their workflows on the staff pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from tabyin.core.admin import ScopedAdmin, admin_site
from tabyin.core.http import staff_user
from tabyin.core.scoping import scope_for
from tabyin.portal.catalog.services import catalog_entry_save
from tabyin.portal.models import Dataset, Explanation, Indicator, Observation, Release, Revision, Theme


def _national_admin(request: HttpRequest) -> bool:
    return admin_site.has_permission(request) and scope_for(staff_user(request)).national


class CatalogAdmin(ScopedAdmin):
    """Every administrator reads the catalogue; national administrators change it."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _national_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _national_admin(request)

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        catalog_entry_save(
            actor=staff_user(request), obj=obj, changed=list(form.changed_data), is_new=not change
        )


@admin.register(Theme, site=admin_site)
class ThemeAdmin(CatalogAdmin):
    list_display = ("code", "name_fa", "name_en", "order")
    search_fields = ("code", "name_fa", "name_en")
    ordering = ("order", "code")


@admin.register(Dataset, site=admin_site)
class DatasetAdmin(CatalogAdmin):
    list_display = ("slug", "title_fa", "title_en", "theme", "license_id", "updated_at")
    list_filter = ("theme",)
    list_select_related = ("theme",)
    search_fields = ("slug", "title_fa", "title_en")
    fields = (
        "slug", "theme", "title_fa", "title_en", "description_fa", "description_en", "license_id", "keywords",
    )  # fmt: skip


@admin.register(Indicator, site=admin_site)
class IndicatorAdmin(CatalogAdmin):
    list_display = ("code", "name_fa", "name_en", "dataset", "kind", "direction", "headline_order")
    list_filter = ("theme", "kind", "direction")
    list_select_related = ("dataset",)
    search_fields = ("code", "name_fa", "name_en")


class ReadOnlyAdmin(ScopedAdmin):
    """Administrators may look; changes go through the workflow pages only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Release, site=admin_site)
class ReleaseAdmin(ReadOnlyAdmin):
    list_display = ("dataset", "number", "state", "status", "row_count", "created_at", "published_at")
    list_filter = ("state", "status", "dataset")
    list_select_related = ("dataset",)


@admin.register(Observation, site=admin_site)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "area", "period", "value", "status", "suppressed", "release")
    list_filter = ("status", "suppressed")
    list_select_related = ("indicator", "release__dataset")
    search_fields = ("indicator__code", "area", "period")
    show_full_result_count = False


@admin.register(Revision, site=admin_site)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ("observation", "old_value", "new_value", "old_status", "new_status", "created_at")
    list_select_related = ("observation", "release__dataset")


@admin.register(Explanation, site=admin_site)
class ExplanationAdmin(ReadOnlyAdmin):
    list_display = ("thread", "version", "title_fa", "indicator", "area", "period", "kind", "state")
    list_filter = ("state", "kind")
    list_select_related = ("indicator",)
    search_fields = ("title_fa", "title_en")
