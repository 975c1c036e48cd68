"""Background task of the effect estimation (the name is fixed: see ``core.background``)."""

from __future__ import annotations

from tabyin.campaigns import task_refs
from tabyin.campaigns.impact import services
from tabyin.core.background import task


@task(task_refs.estimate_effect)
def estimate_effect(*, campaign_id: int) -> None:
    services.effect_refresh(campaign_id=campaign_id)
