"""A campaign: its aim, segments, provinces (campaign or held out, each with its launch month),
materials, key messages and the outcome series it is judged by."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.campaigns.enums import MaterialKind, ProvinceRole
from tabyin.core.models import OrgUnit


class Campaign(models.Model):
    title = models.CharField(_("title"), max_length=200)
    aim = models.TextField(_("aim"))
    # Codes of enums.Segment.
    segments = models.JSONField(_("segments"), default=list)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    outcome_name = models.CharField(_("outcome measure"), max_length=200)
    # The published series the outcome was last imported from (``registry.series_catalog`` key,
    # e.g. "portal:main-insured"); empty when it was entered or pasted.
    outcome_source = models.CharField(_("outcome imported from"), max_length=120, blank=True, default="")
    is_sample = models.BooleanField(_("sample data"), default=False)
    # The one standing campaign that carries other apps' announcements (e.g. a challenge's winners),
    # created on demand; it has no provinces and no outcome to be judged by.
    standing = models.BooleanField(_("standing announcements"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        app_label = "campaigns"
        ordering = ("-starts_on", "-pk")

    def __str__(self) -> str:
        return self.title


class CampaignProvince(models.Model):
    """A province the campaign runs in (with the month it starts there) or holds out."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="provinces")
    province = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name=_("province"))
    role = models.CharField(_("role"), max_length=10, choices=ProvinceRole.choices)
    # First day of the month the campaign starts in this province; empty when held out.
    launch_month = models.DateField(_("launch month"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign province")
        verbose_name_plural = _("campaign provinces")
        app_label = "campaigns"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["campaign", "province"], name="campaign_province_once"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.province_id} ({self.role})"


class KeyMessage(models.Model):
    """A sentence the campaign wants people to take away; offered to other apps (pull-through)."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="key_messages")
    text = models.CharField(_("key message"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("key message")
        verbose_name_plural = _("key messages")
        app_label = "campaigns"
        ordering = ("order", "pk")

    def __str__(self) -> str:
        return self.text


class Material(models.Model):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=10, choices=MaterialKind.choices)
    title = models.CharField(_("title"), max_length=200)
    # A video link (or any address the material lives at); the text of a text material; an image
    # stored here after core's upload check judged its type from its bytes.
    url = models.URLField(_("address"), blank=True)
    body = models.TextField(_("text"), blank=True, default="")
    image = models.FileField(_("image"), upload_to="campaigns/materials/%Y/%m/", blank=True)
    image_type = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        app_label = "campaigns"
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.title


class OutcomePoint(models.Model):
    """One value of the outcome series: a province, a month (its first day) and the figure."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="outcome")
    province = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name=_("province"))
    month = models.DateField(_("month"))
    value = models.FloatField(_("value"))

    class Meta:
        verbose_name = _("outcome value")
        verbose_name_plural = _("outcome values")
        app_label = "campaigns"
        ordering = ("province_id", "month")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["campaign", "province", "month"], name="campaign_outcome_once"),
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.month}: {self.value}"
