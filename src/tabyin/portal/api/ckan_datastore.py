"""CKAN's ``datastore_search`` over a dataset's published rows (resource id = dataset slug)."""

from __future__ import annotations

import json
from typing import Any, Final
from urllib.parse import urlencode

from django.http import HttpRequest

from tabyin.portal.api.ckan_common import allow_only, from_query_error, integer, invalid, not_found, text
from tabyin.portal.exports.tabular import json_row
from tabyin.portal.selectors_data import catalogue, datastore
from tabyin.portal.selectors_data.filters import (
    DataQueryError,
    RowFilter,
    clean_area,
    clean_code,
    clean_int,
    clean_period,
    clean_status,
)
from tabyin.portal.selectors_data.rows import area_names, observations

DEFAULT_LIMIT: Final = 100
MAX_LIMIT: Final = 1000
FIELD_IDS: Final = tuple(name for name, _ in datastore.FIELDS)
FILTERABLE: Final = ("indicator", "area", "period", "status", "release")
ALLOWED: Final = {
    "resource_id", "id", "filters", "q", "limit", "offset", "sort", "fields",
    "include_total", "records_format",
}  # fmt: skip


def _filters(raw: object) -> tuple[RowFilter, dict[str, Any]]:
    """``{"area": "IR-23", "period": ["1403-01", "1403-02"]}`` → a RowFilter (and the filters
    as given, echoed back in the result as CKAN does)."""
    if raw is None or raw == "":
        return RowFilter(), {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise invalid("filters", "Cannot parse JSON") from None
    if not isinstance(raw, dict):
        raise invalid("filters", "Not a JSON object")
    values: dict[str, tuple[str, ...]] = {}
    for field, value in raw.items():
        if field not in FILTERABLE:
            raise invalid("filters", f'field "{str(field)[:50]}" not in resource or not filterable')
        members = value if isinstance(value, list) else [value]
        if not members or len(members) > 50 or not all(isinstance(m, str | int) and not isinstance(m, bool)
                                                         for m in members):  # fmt: skip
            raise invalid("filters", f'field "{field}": give a value or a list of values')
        values[field] = tuple(str(m) for m in members)
    try:
        flt = RowFilter(
            indicators=tuple(clean_code(v, "filters") for v in values.get("indicator", ())),
            areas=tuple(clean_area(v, "filters") for v in values.get("area", ())),
            periods=tuple(clean_period(v, "filters") for v in values.get("period", ())),
            status=clean_status(values["status"][0], "filters") if "status" in values else None,
            releases=tuple(
                clean_int(v, "filters", minimum=1, maximum=10**9) for v in values.get("release", ())
            ),
        )
    except DataQueryError as exc:
        raise from_query_error(exc, "filters") from None
    if len(values.get("status", ())) > 1:
        raise invalid("filters", 'field "status": give one value')
    return flt, raw


def _sort(raw: str) -> list[tuple[str, bool]]:
    order = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        field, _, direction = part.partition(" ")
        direction = direction.strip().lower() or "asc"
        if field.strip('"') not in datastore.SORTABLE or direction not in ("asc", "desc"):
            raise invalid("sort", f'field "{part[:50]}" not in resource or not sortable')
        order.append((field.strip('"'), direction == "desc"))
    return order


def _fields(raw: str) -> list[str]:
    if not raw:
        return list(FIELD_IDS)
    chosen = [f.strip() for f in raw.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FIELD_IDS]
    if unknown:
        raise invalid("fields", f'field "{unknown[0][:50]}" not in resource')
    return chosen


def datastore_search(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """Rows of a resource (a dataset). Parameters: resource_id, filters (JSON object), q, limit
    (≤ 1000), offset, sort ("field desc, field2"), fields."""
    allow_only(params, ALLOWED)
    resource_id = text(params, "resource_id") or text(params, "id")
    if not resource_id:
        raise invalid("resource_id", "Missing value")
    if text(params, "records_format", "objects") != "objects":
        raise invalid("records_format", "Only objects are supported")
    flt, echoed = _filters(params.get("filters"))
    q = text(params, "q")
    limit = integer(params, "limit", DEFAULT_LIMIT, maximum=MAX_LIMIT)
    offset = integer(params, "offset", 0)
    sort = text(params, "sort")
    order = _sort(sort)
    fields = _fields(text(params, "fields"))
    try:
        ds = catalogue.dataset(resource_id)
    except DataQueryError:
        raise not_found(f'Resource "{resource_id[:100]}" was not found.') from None
    indicators = catalogue.dataset_indicators(ds)
    names = area_names()
    try:
        qs = observations(indicators, flt)
    except DataQueryError as exc:
        raise from_query_error(exc, "filters") from None
    if q:
        qs = datastore.text_match(qs, indicators, names, q)
    total = qs.count()
    records = []
    for row in datastore.slice_rows(qs, indicators, names, order=order, offset=offset, limit=limit):
        record = {"_id": row.id, **json_row(row)}
        records.append({name: record[name] for name in fields})
    link_params = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items() if k != "offset"}
    path = "/api/3/action/datastore_search"
    result: dict[str, Any] = {
        "include_total": True,
        "resource_id": ds.slug,
        "fields": [{"id": name, "type": kind} for name, kind in datastore.FIELDS if name in fields],
        "records_format": "objects",
        "records": records,
        "limit": limit,
        "offset": offset,
        "filters": echoed,
        "total": total,
        "total_was_estimated": False,
        "_links": {
            "start": f"{path}?{urlencode(link_params)}",
            "next": f"{path}?{urlencode({**link_params, 'offset': offset + limit})}",
        },
    }
    if q:
        result["q"] = q
    if sort:
        result["sort"] = sort
    return result
