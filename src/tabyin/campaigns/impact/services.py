"""Estimate a campaign's effect with ``campaigns.effects`` and keep the result.

The effects package takes months as Gregorian first days; our months are Jalali (each stored as
the Gregorian date of its first day). Each Jalali month starts in a different Gregorian month, in
order (Farvardin 1 ≈ 21 March … Esfand 1 ≈ 20 February), so the first day of that Gregorian month
is a faithful stand-in, mapped back for display.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

import pandas as pd
from django.utils import timezone

from tabyin.campaigns.effects.estimate import estimate
from tabyin.campaigns.effects.panel import PanelError
from tabyin.campaigns.effects.report import METHODS, EffectReport
from tabyin.campaigns.impact.models import EffectEstimate
from tabyin.campaigns.impact.selectors import fingerprint
from tabyin.campaigns.plan.models import Campaign
from tabyin.campaigns.plan.selectors import outcome_panel


def as_json(report: EffectReport, back: dict[date, date]) -> dict[str, Any]:
    methods: dict[str, Any] = {}
    for method in METHODS:
        result = report.get(method)
        fit = result.fit
        methods[method] = {
            "available": result.available,
            "reason": result.reason,
            "sentence": result.sentence_fa,
            "estimate": None if fit is None else fit.estimate,
            "ci_low": None if fit is None else fit.ci_low,
            "ci_high": None if fit is None else fit.ci_high,
            "placebos": [{**asdict(p), "passed": p.passed} for p in result.placebos],
            "months": [] if fit is None else [back.get(m, m).isoformat() for m in fit.months],
            "observed": [] if fit is None else list(fit.observed),
            "counterfactual": [] if fit is None else list(fit.counterfactual),
        }
    return {"methods": methods, "staggered_launch": report.staggered_launch, "seed": report.seed}


def effect_refresh(*, campaign_id: int) -> EffectEstimate | None:
    """Recompute unless the stored estimate is of the same outcome series. Idempotent."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return None
    current = fingerprint(campaign=campaign)
    kept = EffectEstimate.objects.filter(campaign=campaign, fingerprint=current).first()
    if kept is not None:
        return kept
    panel = outcome_panel(campaign=campaign)
    stand_in = {m: m.replace(day=1) for _iso, m, _v in panel.rows} | {
        m: m.replace(day=1) for m in panel.treated.values()
    }
    back = {v: k for k, v in stand_in.items()}
    frame = pd.DataFrame(
        [(iso, stand_in[m], v) for iso, m, v in panel.rows], columns=["province", "month", "outcome"]
    )
    result: dict[str, Any] = {}
    error = ""
    try:
        report = estimate(
            frame, {iso: stand_in[m] for iso, m in panel.treated.items()}, panel.held_out, seed=campaign.pk
        )
    except PanelError as refusal:
        error = str(refusal)
    else:
        result = as_json(report, back)
    found, _created = EffectEstimate.objects.update_or_create(
        campaign=campaign,
        defaults={
            "fingerprint": current,
            "result": result,
            "error": error[:500],
            "computed_at": timezone.now(),
        },
    )
    return found
