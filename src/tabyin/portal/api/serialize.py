"""Model rows → the JSON dicts of /api/v1 (shapes in ``schemas``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest

from tabyin.portal.api.http import site_url
from tabyin.portal.models import Dataset, Explanation, Indicator, Release, Revision
from tabyin.portal.opendata.exports import licence
from tabyin.portal.opendata.exports.tabular import json_number
from tabyin.portal.opendata.selectors.rows import round_value

INDICATOR_FIELDS = (
    "code", "name_fa", "name_en", "kind", "unit_fa", "unit_en", "what_fa", "what_en", "why_fa", "why_en",
    "how_to_read_fa", "how_to_read_en", "numerator_fa", "numerator_en", "denominator_fa", "denominator_en",
    "factor", "decimals", "direction", "frequency", "source_fa", "source_en", "source_url", "suppress_below",
)  # fmt: skip


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


def dataset_links(request: HttpRequest, slug: str) -> dict[str, str]:
    links = {
        "self": site_url(request, "api-v1:dataset", slug=slug),
        "rows": site_url(request, "api-v1:dataset-rows", slug=slug),
        "aggregates": site_url(request, "api-v1:dataset-aggregates", slug=slug),
        "page": site_url(request, "portal:dataset", slug=slug),
        "datapackage": site_url(request, "portal:datapackage", slug=slug),
    }
    for fmt in ("csv", "xlsx", "json"):
        links[fmt] = site_url(request, "portal:dataset-download", slug=slug, fmt=fmt)
    return links


def dataset_modified(ds: Dataset) -> datetime:
    released: datetime | None = getattr(ds, "released_at", None)
    return released or ds.updated_at


def dataset_out(request: HttpRequest, ds: Dataset, ranges: dict[int, tuple[str, str]]) -> dict[str, Any]:
    indicators = list(ds.indicators.all())
    own = [ranges[i.pk] for i in indicators if i.pk in ranges]
    lic = licence(ds.license_id)
    return {
        "slug": ds.slug,
        "title_fa": ds.title_fa,
        "title_en": ds.title_en,
        "description_fa": ds.description_fa,
        "description_en": ds.description_en,
        "theme": {"code": ds.theme.code, "name_fa": ds.theme.name_fa, "name_en": ds.theme.name_en},
        "license": {"id": lic.id, "title": lic.title, "url": lic.url},
        "keywords": [str(k) for k in ds.keywords],
        "indicators": [i.code for i in indicators],
        "first_period": min(first for first, _ in own) if own else None,
        "latest_period": max(last for _, last in own) if own else None,
        "latest_release": getattr(ds, "release_number", None),
        "modified": iso(dataset_modified(ds)),
        "links": dataset_links(request, ds.slug),
    }


def indicator_out(request: HttpRequest, ind: Indicator, ranges: dict[int, tuple[str, str]]) -> dict[str, Any]:
    first, last = ranges.get(ind.pk, (None, None))
    slug = ind.dataset.slug
    links = {
        "self": site_url(request, "api-v1:indicator", code=ind.code),
        "rows": site_url(request, "api-v1:dataset-rows", slug=slug)
        + "?"
        + urlencode({"indicator": ind.code}),
        "dataset": site_url(request, "api-v1:dataset", slug=slug),
    }
    for fmt in ("csv", "xlsx", "json"):
        links[fmt] = site_url(request, "portal:indicator-download", slug=slug, indicator=ind.code, fmt=fmt)
    out: dict[str, Any] = {name: getattr(ind, name) for name in INDICATOR_FIELDS}
    out.update(dataset=slug, theme=ind.theme.code, first_period=first, latest_period=last, links=links)
    return out


def release_out(release: Release) -> dict[str, Any]:
    return {
        "number": release.number,
        "status": release.status,
        "published_at": iso(release.published_at),
        "period_first": release.period_first or None,
        "period_last": release.period_last or None,
        "is_correction": release.is_correction,
        "reason": release.reason,
        "note": release.note,
        "row_count": release.row_count,
    }


def explanation_out(item: Explanation) -> dict[str, Any]:
    return {
        "id": item.pk,
        "thread": item.thread,
        "version": item.version,
        "indicator": item.indicator.code,
        "area": item.area or None,
        "period": item.period or None,
        "kind": item.kind,
        "title_fa": item.title_fa,
        "title_en": item.title_en,
        "body_fa": item.body_fa,
        "body_en": item.body_en,
        "action_fa": item.action_fa,
        "action_en": item.action_en,
        "evidence": [e for e in item.evidence if isinstance(e, dict)],
        "published_at": iso(item.published_at),
    }


def revision_out(item: Revision) -> dict[str, Any]:
    obs = item.observation
    decimals = obs.indicator.decimals
    # A figure that is suppressed now stays hidden in its history too.
    hidden = obs.suppressed
    return {
        "id": item.pk,
        "dataset": obs.indicator.dataset.slug,
        "indicator": obs.indicator.code,
        "area": obs.area,
        "period": obs.period,
        "period_start": obs.period_start.isoformat(),
        "old_value": None if hidden else json_number(round_value(item.old_value, decimals), decimals),
        "new_value": None if hidden else json_number(round_value(item.new_value, decimals), decimals),
        "old_status": item.old_status,
        "new_status": item.new_status,
        "reason": item.reason,
        "release": item.release.number,
        "created_at": iso(item.created_at),
    }
