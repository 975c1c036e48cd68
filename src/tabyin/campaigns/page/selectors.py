"""What the managers' campaign page shows, read in one place: plan, messages with their ledger,
reach per channel, the outcome series by month, and the estimated effect where it can be made."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tabyin.campaigns.enums import ProvinceRole
from tabyin.campaigns.impact.models import EffectEstimate
from tabyin.campaigns.impact.selectors import effect_of
from tabyin.campaigns.outbox import selectors as outbox
from tabyin.campaigns.outbox.models import Message
from tabyin.campaigns.plan import selectors as plan
from tabyin.campaigns.plan.models import Campaign, CampaignProvince, Material
from tabyin.core.jalali import TEHRAN
from tabyin.core.registry import KeyMessageFigures, KeyMessageRef, registry


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


METHOD_NAMES: dict[str, Promise] = {
    "staggered": _("Difference in differences, staggered launches (Callaway–Sant'Anna)"),
    "did": _("Difference in differences against the held-out provinces"),
    "synth": _("Synthetic control"),
    "its": _("Interrupted time series per province"),
}


@dataclass(frozen=True)
class MethodRow:
    method: str
    name: Promise
    available: bool
    reason: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    placebos: list[dict[str, object]]
    sentence: str
    recommended: bool


@dataclass(frozen=True)
class Effect:
    stored: EffectEstimate | None
    current: bool
    methods: list[MethodRow]
    # The recommended method's observed and counterfactual paths (for the chart).
    months: list[date]
    observed: list[float]
    counterfactual: list[float]


def _recommended(methods: dict[str, dict[str, object]], staggered: bool) -> str | None:
    """The method to read first: staggered launches need the staggered estimator; held-out
    provinces make DiD the plain reading; without them, the synthetic control, then the ITS."""
    order = ["staggered", "did", "synth", "its"] if staggered else ["did", "staggered", "synth", "its"]
    return next((m for m in order if methods.get(m, {}).get("available")), None)


def effect(*, campaign: Campaign) -> Effect:
    stored, current = effect_of(campaign=campaign)
    methods: dict[str, dict[str, object]] = (stored.result.get("methods", {}) if stored else {}) or {}
    chosen = _recommended(methods, bool(stored and stored.result.get("staggered_launch")))
    rows = [
        MethodRow(
            method=m,
            name=METHOD_NAMES[m],
            available=bool(data.get("available")),
            reason=str(data.get("reason") or ""),
            estimate=data.get("estimate"),  # type: ignore[arg-type]
            ci_low=data.get("ci_low"),  # type: ignore[arg-type]
            ci_high=data.get("ci_high"),  # type: ignore[arg-type]
            placebos=list(data.get("placebos") or []),  # type: ignore[call-overload]
            sentence=str(data.get("sentence") or ""),
            recommended=m == chosen,
        )
        for m in METHOD_NAMES
        if (data := methods.get(m)) is not None
    ]
    path = methods.get(chosen or "", {})
    return Effect(
        stored=stored,
        current=current,
        methods=rows,
        months=[date.fromisoformat(str(d)) for d in path.get("months", [])],  # type: ignore[attr-defined]
        observed=list(path.get("observed", [])),  # type: ignore[call-overload]
        counterfactual=list(path.get("counterfactual", [])),  # type: ignore[call-overload]
    )


@dataclass(frozen=True)
class KeyMessageRow:
    text: str
    figures: KeyMessageFigures | None  # None: no app measured it (unknown, not zero)


def key_message_rows(*, campaign: Campaign) -> list[KeyMessageRow]:
    """Each key message with its pull-through and fidelity as reception measures them (through
    core's registry) over the campaign's schedule (Tehran days, the last one included)."""
    refs = [
        KeyMessageRef(key=f"campaigns:{pk}", text=text, context=campaign.title)
        for pk, text in campaign.key_messages.values_list("pk", "text")
    ]
    start = datetime.combine(campaign.starts_on, time(), tzinfo=TEHRAN)
    end = datetime.combine(campaign.ends_on + timedelta(days=1), time(), tzinfo=TEHRAN)
    found = registry.figures_of_key_messages(refs, start, end) if refs else {}
    return [KeyMessageRow(ref.text, found.get(ref.key)) for ref in refs]


@dataclass(frozen=True)
class CampaignPage:
    campaign: Campaign
    treated: list[CampaignProvince]
    held_out: list[CampaignProvince]
    key_messages: list[KeyMessageRow]
    materials: list[Material]
    outcome_source_label: str
    messages: list[SentMessage]
    reach: list[outbox.Reach]
    posts: list[outbox.Post]
    outcome: OutcomeSeries
    effect: Effect


def campaign_page(*, campaign: Campaign) -> CampaignPage:
    provinces = plan.campaign_provinces(campaign=campaign)
    return CampaignPage(
        campaign=campaign,
        treated=[cp for cp in provinces if cp.role == ProvinceRole.TREATED],
        held_out=[cp for cp in provinces if cp.role == ProvinceRole.HELD_OUT],
        key_messages=key_message_rows(campaign=campaign),
        materials=list(campaign.materials.all()),
        outcome_source_label=next(
            (str(r.label) for r in registry.series_catalog() if r.key == campaign.outcome_source),
            campaign.outcome_source,
        ),
        messages=[
            SentMessage(message=m, ledger=outbox.ledger(message=m))
            for m in outbox.messages_of(campaign=campaign)
        ],
        reach=outbox.reach(campaign=campaign),
        posts=outbox.posts(campaign=campaign),
        outcome=outcome_series(campaign=campaign, provinces=provinces),
        effect=effect(campaign=campaign),
    )
