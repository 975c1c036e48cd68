"""Units, accounts, memberships and the audit log: scoped to the administrator's provinces, every
write through the same services as the staff pages (so it is scoped and audited)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tabyin.core import selectors, services
from tabyin.core.admin.site import ScopedAdmin, admin_site
from tabyin.core.auth import services as services_auth
from tabyin.core.auth import services_invite
from tabyin.core.enums import Role
from tabyin.core.http import staff_user
from tabyin.core.models import AuditEntry, Membership, OrgUnit, User


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
