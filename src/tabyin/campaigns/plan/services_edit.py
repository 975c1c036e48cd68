"""Edits of a campaign's plan after it was created: its provinces (each with its own launch month,
or held out), the balanced hold-out the tool suggests, and its materials. Every write is audited;
the suggestion writes nothing (the organizer accepts or edits it, then saves)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import pandas as pd
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from tabyin.campaigns import permissions
from tabyin.campaigns.effects.holdout import balance, past_trends, suggest_holdout
from tabyin.campaigns.effects.panel import PanelError
from tabyin.campaigns.enums import MaterialKind, ProvinceRole
from tabyin.campaigns.plan.models import Campaign, CampaignProvince, Material, OutcomePoint
from tabyin.core.enums import AuditAction, UnitKind
from tabyin.core.files.uploads import UploadRefusedError, check_upload
from tabyin.core.models import OrgUnit, User
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record

IMAGE_TYPES: Final[dict[str, str]] = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
IMAGE_MAX_BYTES: Final = 8 * 1024 * 1024


def provinces_set(
    *, actor: User, campaign: Campaign, treated: dict[OrgUnit, date], held_out: list[OrgUnit]
) -> None:
    """Replace the campaign's provinces: ``treated`` maps each to its own launch month (first day),
    so provinces may start at different months (staggered adoption)."""
    permissions.require(permissions.can_manage(scope_for(actor)))
    errors: dict[str, str] = {}
    if not treated:
        errors["__all__"] = _("Choose at least one province for the campaign.")
    if set(treated) & set(held_out):
        errors["__all__"] = _("A province cannot both run the campaign and be held out.")
    if any(unit.kind != UnitKind.PROVINCE for unit in [*treated, *held_out]):
        errors["__all__"] = _("Only provinces can run or be held out of a campaign.")
    late = [u for u, m in treated.items() if not campaign.starts_on <= m <= campaign.ends_on]
    if late:
        errors["__all__"] = _("Every launch month must fall within the campaign's schedule.")
    if errors:
        raise ValidationError(errors)
    before = {cp.province.iso_code: cp.launch_month.isoformat() if cp.launch_month else "held_out"
              for cp in campaign.provinces.select_related("province")}  # fmt: skip
    after = {u.iso_code: m.isoformat() for u, m in treated.items()} | {
        u.iso_code: "held_out" for u in held_out
    }
    with transaction.atomic():
        campaign.provinces.all().delete()
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
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=campaign, before={"provinces": before},
            after={"provinces": after},
        )  # fmt: skip


@dataclass(frozen=True)
class Suggestion:
    held_out: list[OrgUnit]
    balance: float  # largest standardized difference (SD) of log population and past trend
    with_trend: bool  # false: no outcome months before the launch, population alone


def holdout_suggest(
    *, actor: User, campaign: Campaign, units: list[OrgUnit], count: int, seed: int
) -> Suggestion:
    """``count`` of ``units`` to hold out, balanced on log population (2016 census) and the past
    trend of the campaign's outcome before it starts (``effects.holdout``: rerandomization). When
    a unit has fewer than two outcome months before the start, the trend is left out for all."""
    permissions.require(permissions.can_manage(scope_for(actor)))
    missing = [u.name_fa for u in units if not u.population_2016]
    if missing:
        raise ValidationError(
            {"count": _("The population of %(names)s is not known.") % {"names": "، ".join(missing)}}
        )
    points = pd.DataFrame(
        OutcomePoint.objects.filter(
            campaign=campaign, month__lt=campaign.starts_on, province__in=units
        ).values_list("province__iso_code", "month", "value"),
        columns=["province", "month", "outcome"],
    )
    sizes = points.groupby("province").size() if len(points) else pd.Series(dtype=int)
    with_trend = all(sizes.get(u.iso_code, 0) >= 2 for u in units)
    trends: dict[str, float] = dict(past_trends(points).itertuples(index=False)) if with_trend else {}
    table = pd.DataFrame(
        [(u.iso_code, float(u.population_2016 or 0), trends.get(u.iso_code, 0.0)) for u in units],
        columns=["province", "population", "past_trend"],
    )
    try:
        codes = suggest_holdout(table, count, seed)
    except PanelError as error:
        raise ValidationError({"count": str(error)}) from None
    by_code = {u.iso_code: u for u in units}
    return Suggestion([by_code[c] for c in codes], round(balance(table, codes), 3), with_trend)


def material_add(
    *, actor: User, campaign: Campaign, kind: str, title: str, body: str = "", url: str = "",
    image: UploadedFile[Any] | None = None,
) -> Material:  # fmt: skip
    """A text (its words), an image (checked by its bytes, never its name) or a video link."""
    permissions.require(permissions.can_manage(scope_for(actor)))
    title = title.strip()
    if kind not in MaterialKind.values or not title:
        raise ValidationError({"title": _("Give the material a title.")})
    material = Material(campaign=campaign, kind=kind, title=title[:200])
    if kind == MaterialKind.TEXT:
        if not body.strip():
            raise ValidationError({"body": _("Write the text of the material.")})
        material.body = body.strip()
    elif kind == MaterialKind.VIDEO:
        if not url.startswith("https://"):
            raise ValidationError({"url": _("Give the video's address (https://…).")})
        material.url = url
    else:
        if image is None:
            raise ValidationError({"image": _("Choose the image file.")})
        head = image.read(8192)
        image.seek(0)
        try:
            info = check_upload(
                image.name or "", head, image.size or 0, allowed=IMAGE_TYPES, max_bytes=IMAGE_MAX_BYTES,
                kinds=_("a JPEG, PNG or WebP image"),
            )  # fmt: skip
        except UploadRefusedError as refusal:
            raise ValidationError({"image": str(refusal)}) from None
        material.image_type = info.content_type
        material.image.save(f"material.{info.extension}", image, save=False)
    with transaction.atomic():
        material.save()
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=material,
            after={"campaign": campaign.pk, "kind": kind, "title": material.title},
        )  # fmt: skip
    return material


def material_edit(*, actor: User, material: Material, title: str, body: str = "", url: str = "") -> Material:
    permissions.require(permissions.can_manage(scope_for(actor)))
    if not title.strip():
        raise ValidationError({"title": _("Give the material a title.")})
    if material.kind == MaterialKind.VIDEO and not url.startswith("https://"):
        raise ValidationError({"url": _("Give the video's address (https://…).")})
    if material.kind == MaterialKind.TEXT and not body.strip():
        raise ValidationError({"body": _("Write the text of the material.")})
    before = {"title": material.title, "body": material.body, "url": material.url}
    material.title = title.strip()[:200]
    if material.kind == MaterialKind.TEXT:
        material.body = body.strip()
    if material.kind == MaterialKind.VIDEO:
        material.url = url
    with transaction.atomic():
        material.save(update_fields=["title", "body", "url"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=material, before=before,
            after={"title": material.title, "body": material.body, "url": material.url},
        )  # fmt: skip
    return material


def material_remove(*, actor: User, material: Material) -> None:
    permissions.require(permissions.can_manage(scope_for(actor)))
    with transaction.atomic():
        audit_record(
            actor=actor, action=AuditAction.DELETE, obj=material,
            before={"campaign": material.campaign_id, "kind": material.kind, "title": material.title},
        )  # fmt: skip
        if material.image:
            material.image.delete(save=False)
        material.delete()
