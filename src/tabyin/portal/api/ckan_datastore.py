"""CKAN's ``datastore_search`` over a dataset's published rows (resource id = dataset slug).

Parameters and result follow ckanext-datastore 2.11 (``datastore_search_schema`` and the
PostgreSQL backend's ``search_data``): the validated parameters are echoed back with ``fields``
(id and type), ``records``, ``total``, ``total_was_estimated`` and ``_links``. An unexpected
parameter is CKAN's ``__junk`` Validation Error; the messages say what is wrong in words.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from typing import Any, Final
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest

from tabyin.core.persian_text import search_key
from tabyin.portal.api.ckan_common import (
    boolean,
    from_query_error,
    integer,
    invalid,
    not_found,
    string_list,
    text,
)
from tabyin.portal.models import Indicator, Observation
from tabyin.portal.opendata.exports.tabular import json_row
from tabyin.portal.opendata.selectors import catalogue, datastore
from tabyin.portal.opendata.selectors.filters import (
    PERIOD_RE,
    DataQueryError,
    RowFilter,
    clean_area,
    clean_code,
    clean_int,
    clean_period,
    clean_status,
    normalise,
)
from tabyin.portal.opendata.selectors.rows import area_names, observations

DEFAULT_LIMIT: Final = 100
MAX_LIMIT: Final = 1000  # ckan.datastore.search.rows_max of this site
FIELD_IDS: Final = tuple(name for name, _ in datastore.FIELDS)
TYPES: Final = dict(datastore.FIELDS)
FILTERABLE: Final = ("indicator", "area", "period", "status", "release")
SEARCHABLE: Final = ("indicator", "area", "area_name_fa", "area_name_en", "period", "status")
FORMATS: Final = ("objects", "lists", "csv", "tsv")
ALLOWED: Final = frozenset({
    "resource_id", "id", "filters", "q", "full_text", "plain", "language", "limit", "offset",
    "sort", "fields", "distinct", "include_total", "total_estimation_threshold", "records_format",
})  # fmt: skip


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
            raise invalid(
                "filters", f'field "{str(field)[:50]}" not in resource or not filterable '
                f"(filter on {', '.join(FILTERABLE)})",
            )  # fmt: skip
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


def _sort(clauses: list[str]) -> list[tuple[str, bool]]:
    order = []
    for clause in clauses:
        field, _, direction = clause.strip().partition(" ")
        field = field.strip('"')
        # Gaps (nulls) always sort last here, so CKAN's "nulls last" is accepted as said.
        direction = direction.strip().lower().removesuffix("nulls last").strip() or "asc"
        if field not in datastore.SORTABLE or direction not in ("asc", "desc"):
            raise invalid(
                "sort", f'field "{clause[:50]}" not in resource or not sortable '
                f"(sort on {', '.join(datastore.SORTABLE)}, asc or desc)",
            )  # fmt: skip
        order.append((field, direction == "desc"))
    return order


def _fields(chosen: list[str] | None) -> list[str]:
    if not chosen:
        return list(FIELD_IDS)
    unknown = [f for f in chosen if f not in FIELD_IDS]
    if unknown:
        raise invalid("fields", f'field "{unknown[0][:50]}" not in resource')
    return chosen


def _query(params: dict[str, Any]) -> str:
    """The free-text query: ``q`` given as text, and ``full_text``; both must match."""
    if params.get("plain") is not None and not boolean(params, "plain", True):
        raise invalid("plain", "Only plain-text search is supported (plain=false is PostgreSQL syntax)")
    text(params, "language")  # accepted; matching uses Persian and English normalisation
    words = [text(params, "full_text").strip()]
    if not isinstance(params.get("q"), dict):
        words.append(text(params, "q").strip())
    return " ".join(w for w in words if w)


def _narrow[T](current: tuple[T, ...], found: list[T]) -> tuple[T, ...] | None:
    """Codes allowed by both the filters (empty: any) and a field search; None: nothing is."""
    kept = [c for c in current if c in found] if current else found
    return tuple(kept) or None


def _area_text(field: str, code: str, fa: str, en: str) -> str:
    return {"area_name_fa": fa, "area_name_en": en}.get(field, f"{code} {fa} {en}")


def _narrow_by(
    field: str, value: str, flt: RowFilter, indicators: list[Indicator], names: dict[str, tuple[str, str]]
) -> RowFilter | None:
    key = search_key(value)
    if field == "indicator":
        found = [i.code for i in indicators if key in i.search_text or key in i.code]
        codes = _narrow(flt.indicators, found)
        return replace(flt, indicators=codes) if codes else None
    if field == "period":
        period = normalise(value).strip()
        if re.fullmatch(r"[0-9]{4}", period):  # a year: its twelve months
            return replace(flt, period_gte=f"{period}-01", period_lte=f"{period}-12")
        periods = _narrow(flt.periods, [period]) if PERIOD_RE.fullmatch(period) else None
        return replace(flt, periods=periods) if periods else None
    if field == "status":
        known = key in ("final", "provisional") and flt.status in (None, key)
        return replace(flt, status=key) if known else None
    found = [code for code, (fa, en) in names.items() if key in search_key(_area_text(field, code, fa, en))]
    areas = _narrow(flt.areas, found)
    return replace(flt, areas=areas) if areas else None


def _field_search(
    raw: object, flt: RowFilter, indicators: list[Indicator], names: dict[str, tuple[str, str]]
) -> RowFilter | None:
    """CKAN's ``q`` as an object, ``{"area": "تهران", "period": "1403"}``: each field must match
    its text (Persian-normalised, a part of a code or name; a year or a month for ``period``).
    Returns the narrowed filter, or None when no row can match."""
    if not isinstance(raw, dict):
        return flt
    narrowed: RowFilter | None = flt
    for field, value in raw.items():
        if field not in SEARCHABLE:
            searchable = ", ".join(SEARCHABLE)
            raise invalid("q", f'field "{str(field)[:50]}" cannot be searched (search {searchable})')
        if not isinstance(value, str):
            raise invalid("q", f'field "{field}": give the text to search as a string')
        if narrowed is not None:
            narrowed = _narrow_by(field, value, narrowed, indicators, names)
    return narrowed


def _records(rows: list[dict[str, Any]], fields: list[str], records_format: str) -> Any:
    if records_format == "objects":
        return rows
    if records_format == "lists":
        return [[row[f] for f in fields] for row in rows]
    out = io.StringIO()  # PostgreSQL's COPY … csv, as CKAN writes it: no header, t/f, null empty
    writer = csv.writer(out, delimiter="\t" if records_format == "tsv" else ",", lineterminator="\n")
    for row in rows:
        writer.writerow(
            ["" if row[f] is None else ("t" if row[f] else "f") if isinstance(row[f], bool) else row[f]
             for f in fields]
        )  # fmt: skip
    return out.getvalue()


def _links(request: HttpRequest, params: dict[str, Any], limit: int, offset: int) -> dict[str, str]:
    """CKAN's start/next (and prev when ``offset - limit > 0``) links, relative to the site, on
    the route that was called. They carry every parameter (CKAN copies only the query string, so
    its links lose a POSTed body), which makes them work as plain GETs."""
    given = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items() if k != "offset"}
    path = request.path
    links = {
        "start": f"{path}?{urlencode(given)}",
        "next": f"{path}?{urlencode({**given, 'offset': offset + limit})}",
    }
    if offset - limit > 0:
        links["prev"] = f"{path}?{urlencode({**given, 'offset': offset - limit})}"
    return links


def _rows(
    qs: QuerySet[Observation],
    indicators: list[Indicator],
    names: dict[str, tuple[str, str]],
    *,
    order: list[tuple[str, bool]],
    fields: list[str],
    distinct: bool,
    offset: int,
    limit: int,
    count: bool,
) -> tuple[list[dict[str, Any]], int]:
    """The page of records (the chosen fields only) and, if ``count``, the number of matching
    records (a second query CKAN also skips when include_total is false)."""
    if distinct and "_id" not in fields:
        # DISTINCT over the chosen columns: every matching row is read and projected (a dataset
        # is tens of thousands of rows at most), then the page is cut from the distinct rows.
        every = datastore.slice_rows(qs, indicators, names, order=order, offset=0, limit=qs.count())
        unique: dict[str, dict[str, Any]] = {}
        for row in every:
            full = json_row(row)
            record = {name: full[name] for name in fields}
            unique.setdefault(json.dumps(record, sort_keys=True), record)
        distinct_rows = list(unique.values())
        return distinct_rows[offset : offset + limit], len(distinct_rows)
    rows = []
    for row in datastore.slice_rows(qs, indicators, names, order=order, offset=offset, limit=limit):
        record = {"_id": row.id, **json_row(row)}
        rows.append({name: record[name] for name in fields})
    return rows, (qs.count() if count else 0)


def datastore_search(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """Rows of a resource (a dataset). Parameters: resource_id (or id), filters (JSON object:
    indicator, area, period, status, release; a value or a list), q / full_text (words matched
    against area codes and names, indicator codes and names, periods; q as an object searches
    field by field), limit (default 100, at
    most 1000), offset, sort ("field desc, field2" or a list), fields (comma-separated or a
    list), distinct, include_total, records_format (objects, lists, csv, tsv)."""
    junk = sorted(str(k) for k in params if k not in ALLOWED)
    if junk:
        raise invalid("__junk", f"The input field {junk[0][:50]} was not expected.")
    resource_id = text(params, "resource_id") or text(params, "id")
    if not resource_id.strip():
        raise invalid("resource_id", "Missing value")
    q = _query(params)
    flt, echoed = _filters(params.get("filters"))
    limit = integer(params, "limit", DEFAULT_LIMIT, maximum=MAX_LIMIT)
    offset = integer(params, "offset", 0, message="Must be a whole number, 0 or more")
    sort = string_list(params, "sort") or []
    order = _sort(sort)
    fields = _fields(string_list(params, "fields"))
    distinct = boolean(params, "distinct", False)
    include_total = boolean(params, "include_total", True)
    records_format = text(params, "records_format", "objects") or "objects"
    if records_format not in FORMATS:
        raise invalid("records_format", f"Value must be one of {', '.join(FORMATS)}")
    try:
        ds = catalogue.dataset(resource_id)
    except DataQueryError:
        raise not_found(f'Resource "{resource_id[:100]}" was not found.') from None
    indicators = catalogue.dataset_indicators(ds)
    names = area_names()
    narrowed = _field_search(params.get("q"), flt, indicators, names)
    try:
        qs = observations(indicators, narrowed or flt)
    except DataQueryError as exc:
        raise from_query_error(exc, "filters") from None
    if narrowed is None:
        qs = qs.none()
    if q:
        qs = datastore.text_match(qs, indicators, names, q)
    rows, total = _rows(
        qs,
        indicators,
        names,
        order=order,
        fields=fields,
        distinct=distinct,
        offset=offset,
        limit=limit,
        count=include_total,
    )
    result: dict[str, Any] = {
        "resource_id": ds.slug,
        "include_total": include_total,
        "limit": limit,
        "offset": offset,
        "records_format": records_format,
        "total_estimation_threshold": None,
        "filters": echoed,
        "fields": [{"id": name, "type": TYPES[name]} for name in fields],
        "records": _records(rows, fields, records_format),
        "_links": _links(request, params, limit, offset),
    }
    for key in ("q", "full_text", "sort", "distinct", "plain", "language"):
        if key in params:
            result[key] = params[key]
    if include_total:
        result["total"] = total
        result["total_was_estimated"] = False
    return result
