"""/api/v1: the open-data part of the public API (a django-ninja Router contributed through core's
registry; core builds the API, its one OpenAPI document at /api/v1/openapi.json and its reference
page at /api/v1/docs).

Conventions: ASCII digits, ISO dates and times, Jalali periods as separate ``YYYY-MM`` fields,
numbers as JSON numbers with the indicator's decimals, suppressed figures as null with
``suppressed: true``. Query parameters accept Persian digits (normalised before checking).
Errors are the API's problems (RFC 9457) with 400 or 404, carrying the open-data error object
``{"error": {"code", "message", "message_fa", "parameter"}}`` as an extension member.
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router

from tabyin.portal.api import schemas as s
from tabyin.portal.api.http import site_url
from tabyin.portal.api.pages import next_link
from tabyin.portal.api.params import decode_cursor, encode_cursor, page_size, query_params
from tabyin.portal.api.serialize import dataset_out, indicator_out, release_out
from tabyin.portal.opendata.exports.tabular import json_number, json_row
from tabyin.portal.opendata.selectors import catalogue
from tabyin.portal.opendata.selectors.filters import DataQueryError, clean_code, row_filter
from tabyin.portal.opendata.selectors.rows import (
    SORTS,
    aggregates,
    area_names,
    dump_sort_key,
    observations,
    parse_sort_key,
    rows_page,
)

router = Router()

ERRORS = {400: s.ErrorOut, 404: s.ErrorOut}


def _required(params: dict[str, str], name: str) -> str:
    if name not in params:
        raise DataQueryError("missing_parameter", _("This parameter is required."), name)
    return params[name]


@router.get("/", url_name="index", summary="Where everything is", tags=["about"])
def index(request: HttpRequest) -> dict[str, str]:
    return {
        "openapi": site_url(request, "api-v1:openapi-json"),
        "docs": site_url(request, "api-v1-docs"),
        "datasets": site_url(request, "api-v1:datasets"),
        "indicators": site_url(request, "api-v1:indicators"),
        "explanations": site_url(request, "api-v1:explanations"),
        "revisions": site_url(request, "api-v1:revisions"),
        "dcat": site_url(request, "dcat-jsonld"),
        "ckan": site_url(request, "ckan-action", name="package_list"),
    }


@router.get(
    "/datasets", response={200: s.DatasetListOut, 400: s.ErrorOut}, url_name="datasets", tags=["datasets"]
)
def datasets(request: HttpRequest, query: Query[s.DatasetsQuery]) -> dict[str, Any]:
    """Every dataset; `q` searches titles, descriptions and keywords with Persian spelling
    variants folded. The theme facet counts the datasets matching `q` in each theme, before the
    `theme` filter, so a client can show what the other themes would give."""
    params = query_params(request, s.accepted(s.DatasetsQuery))
    theme = clean_code(params["theme"], "theme") if "theme" in params else None
    found = catalogue.datasets(params.get("q", ""))
    ranges = catalogue.period_ranges()
    counts = Counter(ds.theme.code for ds in found)
    themes = {ds.theme.code: ds.theme for ds in found}
    shown = [ds for ds in found if theme is None or ds.theme.code == theme]
    return {
        "count": len(shown),
        "results": [dataset_out(request, ds, ranges) for ds in shown],
        "facets": {
            "theme": [
                {"code": code, "name_fa": t.name_fa, "name_en": t.name_en, "count": counts[code]}
                for code, t in themes.items()
            ]
        },
    }


@router.get(
    "/datasets/{slug}", response={200: s.DatasetDetailOut, **ERRORS}, url_name="dataset", tags=["datasets"]
)
def dataset(request: HttpRequest, slug: str) -> dict[str, Any]:
    """One dataset with its indicators in full and its published releases, newest first."""
    query_params(request, ())
    ds = catalogue.dataset(slug)
    indicators = catalogue.dataset_indicators(ds)
    ranges = catalogue.period_ranges([i.pk for i in indicators])
    for ind in indicators:
        ind.dataset = ds  # already loaded: no query per indicator for its links
    out = dataset_out(request, ds, ranges)
    out["indicators"] = [indicator_out(request, ind, ranges) for ind in indicators]
    out["releases"] = [release_out(r) for r in catalogue.published_releases(ds)]
    return out


@router.get(
    "/datasets/{slug}/rows", response={200: s.RowsOut, **ERRORS}, url_name="dataset-rows", tags=["datasets"]
)
def dataset_rows(request: HttpRequest, slug: str, query: Query[s.RowsQuery]) -> dict[str, Any]:
    """The published figures, one row per indicator × area × period, in pages.

    Paging is by keyset: follow `next` (an absolute address) until it is null. A page never
    repeats or skips a row, in either sort direction, and deep pages cost the same as the first.
    Suppressed figures sort last in both value orders."""
    params = query_params(request, s.accepted(s.RowsQuery))
    flt = row_filter(params)
    sort = params.get("_sort", "period").strip()
    if sort not in SORTS:
        raise DataQueryError(
            "invalid_sort", _("Sort by period, -period, value, -value, area or -area."), "_sort"
        )
    size = page_size(params)
    after = (
        decode_cursor(params["_after"], sort, partial(parse_sort_key, sort)) if "_after" in params else None
    )
    ds = catalogue.dataset(slug)
    indicators = catalogue.dataset_indicators(ds)
    qs = observations(indicators, flt)
    rows, position = rows_page(qs, indicators, area_names(), sort=sort, after=after, size=size)
    following = None
    if position is not None:
        following = next_link(request, encode_cursor(sort, dump_sort_key(position[0]), position[1]))
    return {
        "dataset": ds.slug,
        "sort": sort,
        "size": size,
        "next": following,
        "results": [json_row(r) for r in rows],
    }


@router.get(
    "/datasets/{slug}/aggregates",
    response={200: s.AggregatesOut, **ERRORS},
    url_name="dataset-aggregates",
    tags=["datasets"],
)
def dataset_aggregates(request: HttpRequest, slug: str, query: Query[s.AggregatesQuery]) -> dict[str, Any]:
    """Totals of one indicator per area or per period, with the numerator and denominator sums.

    A rate is recomputed as sum(numerator) / sum(denominator) × factor, never an average of
    rates. By period, national rows are left out unless `area` is given (so provinces are not
    added to their own total; ask `area=IR` for a national-only indicator). Suppressed figures
    are never summed; `suppressed_rows` says how many a group left out."""
    params = query_params(request, s.accepted(s.AggregatesQuery))
    by = _required(params, "by").strip().lower()
    code = clean_code(_required(params, "indicator"), "indicator")
    flt = row_filter(params)
    if by not in ("area", "period"):
        raise DataQueryError("invalid_group", _("Group by area or by period."), "by")
    ds = catalogue.dataset(slug)
    indicator = next((i for i in catalogue.dataset_indicators(ds) if i.code == code), None)
    if indicator is None:
        raise DataQueryError(
            "unknown_indicator", _("This dataset has no indicator with that code."), "indicator"
        )
    names = area_names()
    results = []
    for agg in aggregates(indicator, flt, by=by):
        fa, en = names.get(agg.group, ("", "")) if by == "area" else (None, None)
        results.append(
            {
                "area": agg.group if by == "area" else None,
                "area_name_fa": fa,
                "area_name_en": en,
                "period": agg.group if by == "period" else None,
                "period_start": agg.start.isoformat() if by == "period" else None,
                "value": json_number(agg.value, indicator.decimals),
                "numerator": json_number(agg.numerator),
                "denominator": json_number(agg.denominator),
                "rows": agg.rows,
                "suppressed_rows": agg.suppressed,
            }
        )
    return {
        "dataset": ds.slug,
        "indicator": indicator.code,
        "kind": indicator.kind,
        "factor": indicator.factor,
        "decimals": indicator.decimals,
        "by": by,
        "results": results,
    }
