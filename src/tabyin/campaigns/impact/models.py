"""The campaign's estimated effect, as last computed (estimating takes seconds: never on a page)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.campaigns.plan.models import Campaign


class EffectEstimate(models.Model):
    campaign = models.OneToOneField(Campaign, models.CASCADE, related_name="effect")
    # What the outcome series was when this was computed (count, sum, last id): a different one now
    # means the estimate is out of date and being recomputed.
    fingerprint = models.CharField(max_length=100)
    # Every method's result (see ``impact.services.as_json``), or an empty dict with ``error``.
    result = models.JSONField(default=dict)
    error = models.CharField(_("why no estimate"), max_length=500, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("effect estimate")
        verbose_name_plural = _("effect estimates")
        app_label = "campaigns"

    def __str__(self) -> str:
        return f"{self.campaign_id} @ {self.computed_at:%Y-%m-%d %H:%M}"
