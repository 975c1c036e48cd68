from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.core.enums import AuditAction, Role, UnitKind
from tabyin.core.models_api import ApiClient as ApiClient  # noqa: PLC0414 (re-exported)
from tabyin.core.models_api import ApiKey as ApiKey  # noqa: PLC0414 (re-exported)
from tabyin.core.models_api import ApiUsage as ApiUsage  # noqa: PLC0414 (re-exported)
from tabyin.core.models_notify import InboxItem as InboxItem  # noqa: PLC0414 (re-exported)
from tabyin.core.models_notify import NotifyDelivery as NotifyDelivery  # noqa: PLC0414 (re-exported)
from tabyin.core.models_notify import NotifyPreference as NotifyPreference  # noqa: PLC0414 (re-exported)
from tabyin.core.models_otp import SealedTotpDevice as SealedTotpDevice  # noqa: PLC0414 (re-exported)
from tabyin.core.models_public import PublicDelivery as PublicDelivery  # noqa: PLC0414 (re-exported)
from tabyin.core.models_public import PublicMailbox as PublicMailbox  # noqa: PLC0414 (re-exported)
from tabyin.core.models_public import PublicNotice as PublicNotice  # noqa: PLC0414 (re-exported)
from tabyin.core.workcal.models import Holiday as Holiday  # noqa: PLC0414 (re-exported)
from tabyin.core.workcal.models import WorkSchedule as WorkSchedule  # noqa: PLC0414 (re-exported)


class OrgUnit(models.Model):
    """A unit of the organization: HQ, a provincial directorate, a branch or a special unit.

    ``province`` is denormalized (a province points to itself, HQ to nothing) so that every
    scoped query is one indexed filter instead of a tree walk.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    province = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    name_fa = models.CharField(_("Persian name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=8, blank=True, default="")
    population_2016 = models.PositiveBigIntegerField(_("population (2016 census)"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["kind", "code"]
        verbose_name = _("organization unit")
        verbose_name_plural = _("organization units")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["iso_code"],
                condition=~models.Q(iso_code=""),
                name="core_orgunit_unique_iso_code",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="hq", parent__isnull=True)
                | (~models.Q(kind="hq") & models.Q(parent__isnull=False)),
                name="core_orgunit_only_hq_is_root",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["province", "kind"])]

    def __str__(self) -> str:
        return self.name_fa

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_fa


# django-stubs cannot type the reverse manager of SealedTotpDevice (its manager is django-otp's, untyped).
class User(AbstractUser):  # type: ignore[django-manager-missing]
    """A staff account. Citizens never have one: public pages work without an account."""

    display_name = models.CharField(_("display name"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class Membership(models.Model):
    """A role that a user holds in one unit; scope follows the unit."""

    user = models.ForeignKey(User, models.CASCADE, related_name="memberships", verbose_name=_("user"))
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="memberships", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="core_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("the audit log is append-only")


class AuditEntry(models.Model):
    """One staff change. Written only by ``core.services.audit_record``; never changed.

    On PostgreSQL a trigger refuses UPDATE and DELETE as well, so not even raw SQL from the
    application's role can rewrite history.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    # Kept as text too so the entry still says who after the account is gone.
    actor_username = models.CharField(_("actor"), max_length=150, blank=True, default="")
    unit = models.ForeignKey(
        OrgUnit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    province = models.ForeignKey(
        OrgUnit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, default="")
    object_repr = models.CharField(_("object"), max_length=300, blank=True, default="")
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes: ClassVar = [models.Index(fields=["province", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("the audit log is append-only")


class Heartbeat(models.Model):
    """The last time a background job of a kind completed: proof that workers are working."""

    key = models.CharField(max_length=64, unique=True)
    beat_at = models.DateTimeField()
    token = models.CharField(max_length=64, blank=True, default="")
    worker = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.key} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
