"""Reads of the estimated effect."""

from __future__ import annotations

from django.db.models import Count, Max, Sum

from tabyin.campaigns.impact.models import EffectEstimate
from tabyin.campaigns.plan.models import Campaign, OutcomePoint


def fingerprint(*, campaign: Campaign) -> str:
    figures = OutcomePoint.objects.filter(campaign=campaign).aggregate(
        n=Count("pk"), s=Sum("value"), last=Max("pk")
    )
    total = round(figures["s"] or 0.0, 6)
    return f"{figures['n']}:{total}:{figures['last'] or 0}:{campaign.provinces.count()}"


def effect_of(*, campaign: Campaign) -> tuple[EffectEstimate | None, bool]:
    """The stored estimate and whether it is of the current outcome series."""
    found = EffectEstimate.objects.filter(campaign=campaign).first()
    return found, found is not None and found.fingerprint == fingerprint(campaign=campaign)
