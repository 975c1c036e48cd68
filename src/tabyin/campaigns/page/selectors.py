"""What the managers' campaign page shows, read in one place: plan, messages with their ledger,
reach per channel, the outcome series by month, and the estimated effect where it can be made."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from tabyin.campaigns.enums import ProvinceRole
from tabyin.campaigns.outbox import selectors as outbox
from tabyin.campaigns.outbox.models import Message
from tabyin.campaigns.plan import selectors as plan
from tabyin.campaigns.plan.models import Campaign, CampaignProvince


@dataclass(frozen=True)
class SentMessage:
    message: Message
    ledger: list[outbox.ChannelLedger]


@dataclass(frozen=True)
class OutcomeSeries:
    months: list[date]
    treated: list[float | None]  # mean of the campaign provinces, per month
    held_out: list[float | None]
    first_launch: date | None


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def outcome_series(*, campaign: Campaign, provinces: list[CampaignProvince]) -> OutcomeSeries:
    panel = plan.outcome_panel(campaign=campaign)
    by_month: dict[date, dict[str, list[float]]] = defaultdict(lambda: {"t": [], "h": []})
    for iso, month, value in panel.rows:
        if iso in panel.treated:
            by_month[month]["t"].append(value)
        elif iso in panel.held_out:
            by_month[month]["h"].append(value)
    months = sorted(by_month)
    launches = [cp.launch_month for cp in provinces if cp.role == ProvinceRole.TREATED and cp.launch_month]
    return OutcomeSeries(
        months=months,
        treated=[_mean(by_month[m]["t"]) for m in months],
        held_out=[_mean(by_month[m]["h"]) for m in months],
        first_launch=min(launches, default=None),
    )


@dataclass(frozen=True)
class CampaignPage:
    campaign: Campaign
    treated: list[CampaignProvince]
    held_out: list[CampaignProvince]
    key_messages: list[str]
    messages: list[SentMessage]
    reach: list[outbox.Reach]
    outcome: OutcomeSeries


def campaign_page(*, campaign: Campaign) -> CampaignPage:
    provinces = plan.campaign_provinces(campaign=campaign)
    return CampaignPage(
        campaign=campaign,
        treated=[cp for cp in provinces if cp.role == ProvinceRole.TREATED],
        held_out=[cp for cp in provinces if cp.role == ProvinceRole.HELD_OUT],
        key_messages=list(campaign.key_messages.values_list("text", flat=True)),
        messages=[
            SentMessage(message=m, ledger=outbox.ledger(message=m))
            for m in outbox.messages_of(campaign=campaign)
        ],
        reach=outbox.reach(campaign=campaign),
        outcome=outcome_series(campaign=campaign, provinces=provinces),
    )
