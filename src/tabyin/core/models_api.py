"""Client apps of the public API, their keys and their daily use (imported by ``core.models``;
the code that uses them is in ``core.apiclients``)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    """An app allowed to write through the public API (the organization's mobile app, a partner)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True, default="")
    # "<count>/<s|m|h|d>", as django-ninja's throttles read it.
    rate = models.CharField(_("rate limit"), max_length=20, default="600/m")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """One key of a client, kept only as an HMAC of the whole key under the server's pepper.

    ``prefix`` (shown in the key, not secret) finds the row; ``expires_at`` is set when the key is
    rotated out (the grace period) and ``revoked_at`` when it is cut off at once."""

    client = models.ForeignKey(ApiClient, models.CASCADE, related_name="keys", verbose_name=_("client"))
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.client} {self.prefix}"


class ApiUsage(models.Model):
    """Requests a client made on one day (server time zone), whatever their answer."""

    client = models.ForeignKey(ApiClient, models.CASCADE, related_name="usage", verbose_name=_("client"))
    day = models.DateField(_("day"))
    requests = models.PositiveIntegerField(_("requests"), default=0)

    class Meta:
        verbose_name = _("API usage")
        verbose_name_plural = _("API usage")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["client", "day"], name="core_apiusage_one_a_day")
        ]
        ordering: ClassVar = ["-day"]

    def __str__(self) -> str:
        return f"{self.client} {self.day}: {self.requests}"
