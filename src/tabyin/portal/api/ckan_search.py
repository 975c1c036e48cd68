"""CKAN's ``package_search`` over the catalogue, without Solr.

The catalogue is small (a handful of datasets), so the search runs in Python over the package
shapes. What CKAN's Solr query language offers is narrowed to what harvesters and clients send:
free text (every word must match), ``field:value`` terms (quoted or not, ``+``/``-`` prefixes,
joined by spaces, AND or OR) and ``[from TO to]`` ranges on the dates, in ``q``, ``fq`` and
``fq_list``. Anything else is CKAN's
Search Query Error (400) naming what is supported, never a silent "no results".
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Final

from django.http import HttpRequest

from tabyin.portal.api.ckan_common import (
    boolean,
    integer,
    invalid,
    json_list,
    search_query_error,
    string_list,
    text,
)
from tabyin.portal.api.ckan_package import package
from tabyin.portal.opendata.selectors import catalogue

ROWS_MAX: Final = 1000
FACET_LIMIT: Final = 50  # CKAN's search.facets.limit
FACETS: Final = ("organization", "groups", "tags", "license_id", "res_format")
TERM_FIELDS: Final = (*FACETS, "name", "id", "owner_org", "capacity", "state", "type")
RANGE_FIELDS: Final = ("metadata_modified", "metadata_created")
DEFAULT_SORT: Final = "score desc, metadata_modified desc"
SORT_FIELDS: Final = {
    "id": "id",  # the CKAN harvester pages with sort=id asc
    "name": "name",
    "title_string": "title",
    "metadata_modified": "metadata_modified",
    "metadata_created": "metadata_created",
}
# Solr parameters CKAN passes through; those that only tune Solr's ranking are accepted and have
# no effect here. Anything else is CKAN's "Invalid search parameters".
ACCEPTED: Final = frozenset({
    "q", "fq", "fq_list", "rows", "start", "sort", "facet", "facet.field", "facet.limit",
    "facet.mincount", "fl", "include_private", "include_drafts", "include_deleted",
    "use_default_schema", "qf", "wt", "bf", "boost", "tie", "defType", "mm", "df", "extras",
})  # fmt: skip
_KEYWORD: Final = re.compile(r"\s*(AND|OR)\s+")
_SOLR_TIME: Final = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z?")
_TERM: Final = re.compile(
    r"\s*(?P<sign>[+-]?)(?P<field>[A-Za-z_]+):"
    r'(?:"(?P<quoted>[^"]*)"|\[(?P<low>\S+) TO (?P<high>\S+)\]|(?P<bare>[^\s"\[]+))\s*'
)

type Term = tuple[bool, str, str | tuple[str, str]]  # (negated, field, value or (low, high))


def _values(pkg: dict[str, Any], field: str) -> list[str]:
    if field in ("organization", "owner_org"):
        return [pkg["organization"]["name"]]
    if field == "groups":
        return [g["name"] for g in pkg["groups"]]
    if field == "tags":
        return [t["name"] for t in pkg["tags"]]
    if field == "res_format":
        return [r["format"] for r in pkg["resources"]]
    if field == "capacity":
        return ["private" if pkg["private"] else "public"]
    return [str(pkg.get(field))]


def _time_bound(value: str, parameter: str) -> str:
    if value != "*" and not _SOLR_TIME.fullmatch(value):
        raise search_query_error(f"{parameter}: range bounds are * or a UTC time like 2024-01-31T00:00:00Z")
    return value.removesuffix("Z")  # the package shape has naive UTC times


def parse_terms(query: str, parameter: str) -> list[list[Term]]:
    """Terms joined by spaces (or AND) must all hold; terms joined by OR form one group of which
    one must hold, as the CKAN harvester writes ``organization:a OR organization:b``."""
    groups: list[list[Term]] = []
    position, joined = 0, False
    while position < len(query):
        keyword = _KEYWORD.match(query, position)
        if keyword is not None:
            if not groups:
                raise search_query_error(f"{parameter}: a query cannot start with {keyword.group(1)}")
            joined = keyword.group(1) == "OR"
            position = keyword.end()
            continue
        match = _TERM.match(query, position)
        if match is None or match.group("field") not in (*TERM_FIELDS, *RANGE_FIELDS):
            raise search_query_error(
                f"{parameter}: only field:value terms on {', '.join(TERM_FIELDS)} and "
                f"[from TO to] ranges on {', '.join(RANGE_FIELDS)} are supported"
            )
        field = match.group("field")
        value: str | tuple[str, str]
        if match.group("low") is not None:
            if field not in RANGE_FIELDS:
                raise search_query_error(f"{parameter}: ranges are supported on {', '.join(RANGE_FIELDS)}")
            value = (_time_bound(match.group("low"), parameter), _time_bound(match.group("high"), parameter))
        elif field in RANGE_FIELDS:
            raise search_query_error(f"{parameter}: give {field} as a [from TO to] range")
        elif match.group("quoted") is not None:
            value = match.group("quoted")
        elif match.group("bare").startswith("("):
            raise search_query_error(f"{parameter}: write field:a OR field:b instead of field:(a OR b)")
        else:
            value = match.group("bare")
        term: Term = (match.group("sign") == "-", field, value)
        if joined:
            groups[-1].append(term)
        else:
            groups.append([term])
        joined = False
        position = match.end()
    return groups


def _matches(pkg: dict[str, Any], term: Term) -> bool:
    negated, field, value = term
    if isinstance(value, tuple):
        low, high = value
        moment = str(pkg.get(field) or "")
        found = (low == "*" or moment >= low) and (high == "*" or moment <= high)
    else:
        found = value == "*" or value in _values(pkg, field)
    return found != negated


def _sort_keys(sort: str) -> list[tuple[str, bool]]:
    """``"name asc, metadata_modified desc"`` → [(package key, descending)]; ``score`` (Solr's
    relevance) keeps the catalogue order, which is what a text match without ranking has."""
    keys = []
    for clause in (c.strip() for c in sort.split(",")):
        field, _, direction = clause.partition(" ")
        direction = direction.strip().lower() or "asc"
        if direction not in ("asc", "desc") or (field != "score" and field not in SORT_FIELDS):
            raise search_query_error(
                'Invalid "sort" parameter: sort by '
                + ", ".join(("score", *SORT_FIELDS))
                + " with asc or desc"
            )
        if field != "score":
            keys.append((SORT_FIELDS[field], direction == "desc"))
    return keys


def _facets(
    packages: list[dict[str, Any]], fields: list[str], *, limit: int, mincount: int
) -> tuple[dict[str, dict[str, int]], dict[str, Any]]:
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, Any] = {}
    titles = {g["name"]: g["title"] for p in packages for g in (*p["groups"], p["organization"])}
    licences = {p["license_id"]: p["license_title"] for p in packages}
    for field in fields:
        if field not in FACETS:
            raise search_query_error(f"facet.field: facets are available on {', '.join(FACETS)}")
        counts = Counter(v for p in packages for v in _values(p, field))
        # Solr's facet order: count descending, then the value; facet.limit < 0 is unlimited.
        ordered = sorted(((v, n) for v, n in counts.items() if n >= mincount), key=lambda vn: (-vn[1], vn[0]))
        if limit >= 0:
            ordered = ordered[:limit]
        facets[field] = dict(ordered)
        names = titles if field in ("groups", "organization") else licences if field == "license_id" else {}
        items = [{"name": v, "display_name": names.get(v) or v, "count": n} for v, n in ordered]
        # CKAN sorts the items by display name, descending, after restructuring them.
        items.sort(key=lambda item: str(item["display_name"]), reverse=True)
        search_facets[field] = {"title": field, "items": items}
    return facets, search_facets


def _facet_limit(params: dict[str, Any]) -> int:
    raw = params.get("facet.limit", FACET_LIMIT)
    value = str(raw).strip()
    if isinstance(raw, bool) or not re.fullmatch(r"-?\d{1,9}", value):
        raise invalid("facet.limit", "Invalid integer")
    return int(value)


def _fq_list(raw: object) -> list[str]:
    """Filter queries, one per item; a single string (a GET) is one filter query, not a list of
    its characters as CKAN would read it."""
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        return list(raw)
    raise invalid("fq_list", "Not a list of strings")


def package_search(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """Search datasets. Parameters: q (words, or field:value terms), fq and fq_list (field:value
    terms on name, id, organization, owner_org, groups, tags, license_id, res_format, capacity,
    state, type, joined by spaces, AND or OR; [from TO to] ranges on metadata_modified and
    metadata_created), rows (default 10, at most 1000), start, sort (id, name, title_string,
    metadata_modified, metadata_created, score; asc or desc; several joined by commas), facet,
    facet.field, facet.limit, facet.mincount, fl, include_private, include_drafts,
    include_deleted."""
    unknown = sorted(k for k in params if k not in ACCEPTED and not str(k).startswith("ext_"))
    if unknown:
        raise search_query_error(f"Invalid search parameters: {unknown}")
    q = text(params, "q").strip()
    terms = parse_terms(text(params, "fq"), "fq")
    for extra in _fq_list(params.get("fq_list")):
        terms += parse_terms(extra, "fq_list")
    rows = integer(params, "rows", 10, maximum=ROWS_MAX)
    start = integer(params, "start", 0)
    sort = text(params, "sort").strip() or DEFAULT_SORT
    order = _sort_keys(sort)
    facet_on = boolean(params, "facet", True)
    facet_fields = json_list(params, "facet.field") or []
    facet_limit = _facet_limit(params)
    mincount = integer(params, "facet.mincount", 1)
    fl = string_list(params, "fl", separators=", ")
    for flag in ("include_private", "include_drafts", "include_deleted", "use_default_schema"):
        boolean(params, flag, False)  # every dataset is public and active: nothing more to include
    words = ""
    if q and q not in ("*:*", '""', "''"):
        if _TERM.match(q):  # a fielded query, as clients write `q=tags:economy`
            terms += parse_terms(q, "q")
        else:
            words = q
    packages = [package(request, ds) for ds in catalogue.datasets(words)]
    packages = [p for p in packages if all(any(_matches(p, t) for t in group) for group in terms)]
    for key, descending in reversed(order):
        packages.sort(key=lambda p: str(p.get(key) or ""), reverse=descending)
    facets, search_facets = _facets(
        packages, facet_fields if facet_on else [], limit=facet_limit, mincount=mincount
    )
    results = packages[start : start + rows]
    if fl:
        results = [{field: p.get(field) for field in fl} for p in results]
    return {
        "count": len(packages),
        "facets": facets,
        "results": results,
        "sort": sort,
        "search_facets": search_facets,
    }
