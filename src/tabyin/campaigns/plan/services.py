"""Writes of campaign planning: a campaign with its provinces and key messages, and its outcome
series (entered or imported). Every write is audited."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tabyin.campaigns import permissions
from tabyin.campaigns.enums import ProvinceRole, Segment
from tabyin.campaigns.plan.models import Campaign, CampaignProvince, KeyMessage, Material, OutcomePoint
from tabyin.core.enums import AuditAction, UnitKind
from tabyin.core.jalali import period_bounds
from tabyin.core.models import OrgUnit, User
from tabyin.core.persian_text import digits_to_ascii
from tabyin.core.registry import registry
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record


@dataclass(frozen=True)
class MaterialIn:
    kind: str
    title: str
    url: str = ""
    body: str = ""


def campaign_create(
    *,
    actor: User | None,
    title: str,
    aim: str,
    segments: list[str],
    starts_on: date,
    ends_on: date,
    outcome_name: str,
    treated: dict[OrgUnit, date],
    held_out: list[OrgUnit],
    key_messages: list[str],
    materials: list[MaterialIn] | None = None,
    is_sample: bool = False,
) -> Campaign:
    """``treated`` maps each campaign province to its launch month (first day): provinces may start
    at different months (staggered adoption). ``actor`` is ``None`` only for the demo loader."""
    if actor is not None:
        permissions.require(permissions.can_manage(scope_for(actor)))
    errors: dict[str, str] = {}
    if ends_on < starts_on:
        errors["ends_on"] = _("The campaign cannot end before it starts.")
    if not treated:
        errors["provinces"] = _("Choose at least one province for the campaign.")
    if set(treated) & set(held_out):
        errors["held_out"] = _("A province cannot both run the campaign and be held out.")
    unknown = [s for s in segments if s not in Segment.values]
    if unknown or not segments:
        errors["segments"] = _("Choose at least one audience segment.")
    if any(unit.kind != UnitKind.PROVINCE for unit in [*treated, *held_out]):
        errors["provinces"] = _("Only provinces can run or be held out of a campaign.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            title=title,
            aim=aim,
            segments=segments,
            starts_on=starts_on,
            ends_on=ends_on,
            outcome_name=outcome_name,
            is_sample=is_sample,
            created_by=actor,
        )
        CampaignProvince.objects.bulk_create(
            [
                *(
                    CampaignProvince(campaign=campaign, province=u, role=ProvinceRole.TREATED, launch_month=m)
                    for u, m in treated.items()
                ),
                *(
                    CampaignProvince(campaign=campaign, province=u, role=ProvinceRole.HELD_OUT)
                    for u in held_out
                ),
            ]
        )
        KeyMessage.objects.bulk_create(
            [
                KeyMessage(campaign=campaign, text=t.strip(), order=i)
                for i, t in enumerate(key_messages)
                if t.strip()
            ]
        )
        Material.objects.bulk_create(
            [
                Material(campaign=campaign, kind=m.kind, title=m.title, url=m.url, body=m.body)
                for m in materials or []
            ]
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=campaign,
            after={"title": title, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
        )
    return campaign


def _parse_outcome(text: str, provinces: dict[str, OrgUnit]) -> list[tuple[OrgUnit, date, float]]:
    """Lines ``province ISO code, Jalali month (YYYY-MM), value``; a header line is skipped.
    Every bad line is named, nothing is half-imported."""
    rows: list[tuple[OrgUnit, date, float]] = []
    problems: list[str] = []
    for number, cells in enumerate(csv.reader(io.StringIO(digits_to_ascii(text))), start=1):
        if not cells or not "".join(cells).strip():
            continue
        if number == 1 and cells[0].strip().lower() in {"province", "استان"}:
            continue
        if len(cells) != 3:
            problems.append(
                _("Line %(n)d: three values are needed (province, month, value).") % {"n": number}
            )
            continue
        code, month, value = (c.strip() for c in cells)
        unit = provinces.get(code.upper())
        if unit is None:
            problems.append(_("Line %(n)d: the province is not one of this campaign's.") % {"n": number})
            continue
        try:
            first, _last = period_bounds(month)
        except ValueError:
            problems.append(
                _("Line %(n)d: the month must be a Jalali month such as 1403-11.") % {"n": number}
            )
            continue
        try:
            figure = float(value.replace(",", ""))
        except ValueError:
            problems.append(_("Line %(n)d: the value is not a number.") % {"n": number})
            continue
        rows.append((unit, first, figure))
    if problems:
        raise ValidationError({"rows": problems[:20]})
    if not rows:
        raise ValidationError({"rows": _("No line to import.")})
    return rows


def outcome_import(*, actor: User, campaign: Campaign, text: str) -> int:
    """Replace the values named by ``text`` (other months stay); returns how many were written."""
    permissions.require(permissions.can_manage(scope_for(actor)))
    provinces = {
        cp.province.iso_code.upper(): cp.province for cp in campaign.provinces.select_related("province")
    }
    rows = _parse_outcome(text, provinces)
    return _outcome_write(actor=actor, campaign=campaign, rows=rows)


# Months before the start the import reaches back to: the past trend and the counterfactual need them.
SERIES_MONTHS_BEFORE = 36


def outcome_from_series(*, actor: User, campaign: Campaign, key: str) -> int:
    """Take the outcome from a published series another app offers through core's registry
    (the portal's indicators by province and month), for the campaign's provinces, from three
    years before the start to the end. Months it does not name keep their values."""
    permissions.require(permissions.can_manage(scope_for(actor)))
    first = campaign.starts_on - timedelta(days=round(SERIES_MONTHS_BEFORE * 30.44))
    found = registry.series_values(key, first, campaign.ends_on)
    if found is None:
        raise ValidationError({"series": _("This published series is not offered.")})
    provinces = {cp.province.iso_code: cp.province for cp in campaign.provinces.select_related("province")}
    rows = [(provinces[iso], month, value) for iso, month, value in found if iso in provinces]
    if not rows:
        raise ValidationError(
            {"series": _("The series has no published value for this campaign's provinces.")}
        )
    count = _outcome_write(actor=actor, campaign=campaign, rows=rows)
    if campaign.outcome_source != key:
        before = {"outcome_source": campaign.outcome_source}
        campaign.outcome_source = key
        campaign.save(update_fields=["outcome_source"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=campaign, before=before, after={"outcome_source": key}
        )
    return count


def _outcome_write(*, actor: User | None, campaign: Campaign, rows: list[tuple[OrgUnit, date, float]]) -> int:
    with transaction.atomic():
        OutcomePoint.objects.bulk_create(
            [OutcomePoint(campaign=campaign, province=u, month=m, value=v) for u, m, v in rows],
            update_conflicts=True,
            unique_fields=["campaign", "province", "month"],
            update_fields=["value"],
        )
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=campaign, after={"outcome_values": len(rows)}
        )
    return len(rows)


def outcome_load(*, campaign: Campaign, rows: list[tuple[OrgUnit, date, float]]) -> int:
    """The demo's simulated series (no actor)."""
    return _outcome_write(actor=None, campaign=campaign, rows=rows)
