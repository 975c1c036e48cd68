"""Reads of campaign planning, for people who may see campaigns (national roles only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from tabyin.campaigns import permissions
from tabyin.campaigns.enums import ProvinceRole
from tabyin.campaigns.plan.models import Campaign, CampaignProvince, KeyMessage, OutcomePoint
from tabyin.core.models import User
from tabyin.core.scoping import scope_for


def campaigns_for(*, user: User) -> QuerySet[Campaign]:
    if not permissions.can_see(scope_for(user)):
        return Campaign.objects.none()
    return Campaign.objects.all()


def campaign_provinces(*, campaign: Campaign) -> list[CampaignProvince]:
    return list(campaign.provinces.select_related("province").order_by("role", "province__code"))


@dataclass(frozen=True)
class Panel:
    """The outcome series in the shape the effect estimation takes (``effects.estimate``)."""

    rows: list[tuple[str, date, float]]  # (province ISO code, month's first day, value)
    treated: dict[str, date]  # ISO code -> launch month
    held_out: list[str]


def outcome_panel(*, campaign: Campaign) -> Panel:
    provinces = campaign_provinces(campaign=campaign)
    treated = {
        cp.province.iso_code: cp.launch_month
        for cp in provinces
        if cp.role == ProvinceRole.TREATED and cp.launch_month is not None
    }
    held_out = [cp.province.iso_code for cp in provinces if cp.role == ProvinceRole.HELD_OUT]
    rows = [
        (iso, month, value)
        for iso, month, value in OutcomePoint.objects.filter(campaign=campaign)
        .order_by("province__iso_code", "month")
        .values_list("province__iso_code", "month", "value")
    ]
    return Panel(rows=rows, treated=treated, held_out=held_out)


def key_messages_everywhere() -> list[tuple[int, str, str]]:
    """Every campaign's key messages as (id, text, campaign title), for core's registry."""
    return list(
        KeyMessage.objects.order_by("campaign_id", "order", "pk").values_list("pk", "text", "campaign__title")
    )
