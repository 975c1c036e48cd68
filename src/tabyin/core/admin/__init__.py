"""The administrators' back office. Every write goes through the same services as the staff
pages (so it is scoped and audited); querysets come from the scoped selectors.

One module per sub-domain: ``site`` (the site and the permission bases), ``accounts`` (units,
users, memberships, audit log), ``notify`` and ``public`` (the two delivery ledgers),
``apiclients`` and ``workcal``. Django imports only this package (``admin.autodiscover`` in
config/urls.py), so the imports below are what registers every model on ``admin_site``; they also
keep every name importable from ``tabyin.core.admin``, where the module apps find the bases.
"""

from __future__ import annotations

from tabyin.core.admin.accounts import (
    AuditEntryAdmin,
    MembershipAdmin,
    MembershipForm,
    MembershipInline,
    OrgUnitAdmin,
    UserAdmin,
    UserCreateForm,
)
from tabyin.core.admin.apiclients import ApiClientAdmin, ApiKeyInline, ApiUsageInline
from tabyin.core.admin.notify import NotifyDeliveryAdmin
from tabyin.core.admin.public import PublicDeliveryAdmin
from tabyin.core.admin.site import NationalAdminsOnly, ScopedAdmin, TabyinAdminSite, admin_site
from tabyin.core.admin.workcal import HolidayAdmin, WorkScheduleAdmin

__all__ = [
    "ApiClientAdmin",
    "ApiKeyInline",
    "ApiUsageInline",
    "AuditEntryAdmin",
    "HolidayAdmin",
    "MembershipAdmin",
    "MembershipForm",
    "MembershipInline",
    "NationalAdminsOnly",
    "NotifyDeliveryAdmin",
    "OrgUnitAdmin",
    "PublicDeliveryAdmin",
    "ScopedAdmin",
    "TabyinAdminSite",
    "UserAdmin",
    "UserCreateForm",
    "WorkScheduleAdmin",
    "admin_site",
]
