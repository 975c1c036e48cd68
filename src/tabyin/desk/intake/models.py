"""A communication request from a unit to PR, with its materials, the moves it made, the
conversation about it and what PR delivered."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import OrgUnit, User
from tabyin.desk.enums import Kind, State


class ServiceLevel(models.Model):
    """Working hours PR promises for a kind (editable; ``enums.SERVICE_LEVELS`` until a row exists)."""

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, unique=True)
    response_hours = models.PositiveSmallIntegerField(_("first response (working hours)"))
    delivery_hours = models.PositiveSmallIntegerField(_("delivery (working hours)"))

    class Meta:
        app_label = "desk"
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")

    def __str__(self) -> str:
        return f"{self.kind}: {self.response_hours}/{self.delivery_hours}"


class DeskRequest(models.Model):
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name=_("unit"))
    # The unit's province, kept so that a provincial PR officer's queue is one indexed filter.
    province = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    requester = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("requester"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    title_key = models.CharField(max_length=200, db_index=True)
    purpose = models.TextField(_("purpose"))
    audience = models.CharField(_("audience"), max_length=300)
    deadline = models.DateField(_("needed by"))
    contact = models.CharField(_("contact"), max_length=200)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.SUBMITTED)
    owner = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    duplicate_of = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("possible duplicate of"),
    )
    created_at = models.DateTimeField(_("filed at"))
    response_due = models.DateTimeField(_("first response due"))
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # What PR said when it asked for more or declined (the latest).
    reason = models.TextField(_("reason"), blank=True, default="")
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_note = models.TextField(_("about the result"), blank=True, default="")

    class Meta:
        app_label = "desk"
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("communication request")
        verbose_name_plural = _("communication requests")
        indexes: ClassVar = [
            models.Index(fields=["province", "state"]),
            models.Index(fields=["unit", "kind", "created_at"]),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="desk_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return self.title


class FileRole(models.TextChoices):
    MATERIAL = "material", _("Material from the requester")
    DELIVERY = "delivery", _("Delivered by PR")


def _upload_to(instance: RequestFile, filename: str) -> str:
    # Named by a random token and the extension the bytes showed; the uploader's name is the label.
    return f"desk/{instance.request_id}/{filename}"


class RequestFile(models.Model):
    request = models.ForeignKey(DeskRequest, models.CASCADE, related_name="files", verbose_name=_("request"))
    role = models.CharField(max_length=16, choices=FileRole.choices)
    token = models.CharField(max_length=32, unique=True)
    label = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    file = models.FileField(upload_to=_upload_to, max_length=200)
    added_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        app_label = "desk"
        ordering: ClassVar = ["added_at", "id"]
        verbose_name = _("request file")
        verbose_name_plural = _("request files")

    def __str__(self) -> str:
        return self.label


class Delivery(models.Model):
    """What PR delivered: a link to what was published (a campaign, a portal explanation, a post)
    or a reference another app gave (``campaigns:12``), with a note."""

    request = models.ForeignKey(
        DeskRequest, models.CASCADE, related_name="deliveries", verbose_name=_("request")
    )
    url = models.URLField(_("link"), max_length=500, blank=True, default="")
    ref = models.CharField(_("reference in Tabyin"), max_length=100, blank=True, default="")
    note = models.TextField(_("note"), blank=True, default="")
    added_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        app_label = "desk"
        ordering: ClassVar = ["added_at", "id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return self.url or self.ref


class Comment(models.Model):
    request = models.ForeignKey(
        DeskRequest, models.CASCADE, related_name="comments", verbose_name=_("request")
    )
    author = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField()

    class Meta:
        app_label = "desk"
        ordering: ClassVar = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:50]


class Move(models.Model):
    """One change of state: who, when, from what to what, and why."""

    request = models.ForeignKey(DeskRequest, models.CASCADE, related_name="moves", verbose_name=_("request"))
    actor = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    from_state = models.CharField(max_length=16, choices=State.choices)
    to_state = models.CharField(max_length=16, choices=State.choices)
    note = models.TextField(blank=True, default="")
    at = models.DateTimeField()

    class Meta:
        app_label = "desk"
        ordering: ClassVar = ["at", "id"]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")

    def __str__(self) -> str:
        return f"{self.from_state} -> {self.to_state}"
