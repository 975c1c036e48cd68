"""The administrators' back office. Every write goes through the same services as the staff
pages (so it is scoped and audited); querysets come from the scoped selectors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from tabyin.core import permissions, selectors, services
from tabyin.core.apiclients import services as apiclient_services
from tabyin.core.auth import services as services_auth
from tabyin.core.auth import services_invite
from tabyin.core.enums import AuditAction, Role
from tabyin.core.http import staff_user
from tabyin.core.models import (
    ApiClient,
    ApiKey,
    ApiUsage,
    AuditEntry,
    Holiday,
    Membership,
    NotifyDelivery,
    OrgUnit,
    User,
    WorkSchedule,
)
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


@admin.register(OrgUnit, site=admin_site)
class OrgUnitAdmin(ScopedAdmin):
    list_display = ("code", "name_fa", "name_en", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name_fa", "name_en", "iso_code")
    list_select_related = ("parent",)
    fields = ("code", "kind", "parent", "name_fa", "name_en", "iso_code", "population_2016", "is_active")

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrgUnit]:
        return selectors.units_for(actor=staff_user(request))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("code", "kind", "parent") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: OrgUnit, form: Any, change: bool) -> None:
        actor = staff_user(request)
        if change:
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            services.org_unit_update(actor=actor, unit=OrgUnit.objects.get(pk=obj.pk), **changes)
        else:
            created = services.org_unit_create(
                actor=actor,
                code=obj.code,
                kind=obj.kind,  # type: ignore[arg-type]
                name_fa=obj.name_fa,
                name_en=obj.name_en,
                parent=obj.parent,
                iso_code=obj.iso_code,
                population_2016=obj.population_2016,
            )
            obj.pk = created.pk


class UserCreateForm(forms.ModelForm):  # type: ignore[type-arg]
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("Unit"))
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))

    class Meta:
        model = User
        fields = ("username", "display_name", "email")


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    fields = ("unit", "role", "created_at")
    readonly_fields = ("unit", "role", "created_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User, site=admin_site)
class UserAdmin(ScopedAdmin):
    list_display = ("username", "display_name", "email", "is_active", "last_login")
    search_fields = ("username", "display_name", "email")
    list_filter = ("is_active",)
    inlines = (MembershipInline,)
    actions = ("reset_second_factor",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return selectors.users_for(actor=staff_user(request))

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            form = UserCreateForm
            form.base_fields["unit"].queryset = selectors.units_for(actor=staff_user(request))  # type: ignore[attr-defined]
            return form
        kwargs["fields"] = ("is_active",)
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("username", "display_name", "email", "unit", "role")
        return ("username", "display_name", "email", "is_active", "last_login")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("username", "display_name", "email", "last_login") if obj is not None else ()

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        actor = staff_user(request)
        if change:
            services.user_set_active(
                actor=actor, user=User.objects.get(pk=obj.pk), active=form.cleaned_data["is_active"]
            )
            return
        # No password is set here: the person sets it through the reset link, then enrols 2FA.
        created = services.user_create(
            actor=actor,
            username=form.cleaned_data["username"],
            password=None,
            display_name=form.cleaned_data["display_name"],
            email=form.cleaned_data["email"],
            unit=form.cleaned_data["unit"],
            role=Role(form.cleaned_data["role"]),
        )
        obj.pk = created.pk
        if services_invite.password_link_send(user=created, base_url=request.build_absolute_uri("/")):
            self.message_user(
                request, _("A set-password link was e-mailed to %(email)s.") % {"email": created.email}
            )
        else:
            self.message_user(
                request,
                _("No e-mail address: set a password with `tabyin manage changepassword %(name)s`.")
                % {"name": created.username},
            )

    @admin.action(description=_("Reset the second factor (lost phone)"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services_auth.otp_reset(actor=staff_user(request), user=user)
        self.message_user(request, _("The next log-in of these accounts sets up a new authenticator app."))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Memberships change only through the membership admin (grant / revoke services)."""


class MembershipForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Membership
        fields = ("user", "unit", "role")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("user") and data.get("role"):
            services.membership_check(user=data["user"], role=data["role"])
        return data


@admin.register(Membership, site=admin_site)
class MembershipAdmin(ScopedAdmin):
    form = MembershipForm
    list_display = ("user", "unit", "role", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "unit")
    fields = ("user", "unit", "role")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        units = selectors.units_for(actor=staff_user(request))
        return Membership.objects.filter(unit__in=units).select_related("user", "unit")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin_site.has_permission(request)

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        created = services.membership_grant(
            actor=staff_user(request), user=obj.user, unit=obj.unit, role=Role(obj.role)
        )
        obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        services.membership_revoke(actor=staff_user(request), membership=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset:
            services.membership_revoke(actor=staff_user(request), membership=membership)


@admin.register(AuditEntry, site=admin_site)
class AuditEntryAdmin(ScopedAdmin):
    list_display = ("created_at", "actor_username", "action", "object_type", "object_repr", "unit")
    list_filter = ("action", "object_type")
    search_fields = ("actor_username", "object_repr")
    readonly_fields = (
        "created_at", "actor_username", "unit", "action", "object_type", "object_id",
        "object_repr", "before", "after",
    )  # fmt: skip
    exclude = ("actor", "province")

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        return selectors.audit_entries_for(actor=staff_user(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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


# The public notices' ledger (ADR 0040) is in its own file; imported here, where admin looks.
from tabyin.core import admin_public as _admin_public  # noqa: E402, F401
