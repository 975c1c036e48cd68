"""A read-only CKAN-compatible Action API at /api/3/action/<name>.

Harvesters and tools built for CKAN (ckanapi, the European Data Portal's harvester, ckanr) can
read the catalogue without knowing Tabyin. Each dataset is a CKAN package with one resource whose
id is the dataset's slug; the resource is in the "datastore", so ``datastore_search`` serves its
rows. Titles and descriptions are Persian (the primary language) with both languages in
``title_translated``/``notes_translated``, the convention of ckanext-fluent.

Supported actions: package_list, package_show, package_search, organization_list,
organization_show, datastore_search, help_show. ``_links`` in datastore_search are relative
paths, as CKAN writes them (clients prefix them with the site address).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from typing import Any, Final

from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

from tabyin.portal.api.ckan_common import (
    ORGANIZATION_NAME,
    CkanError,
    allow_only,
    ckan_time,
    envelope,
    error_envelope,
    integer,
    invalid,
    not_found,
    text,
)
from tabyin.portal.api.ckan_common import action_params as read_params
from tabyin.portal.api.ckan_datastore import datastore_search
from tabyin.portal.api.http import cached_get, publisher_name, site_url
from tabyin.portal.api.serialize import dataset_modified
from tabyin.portal.exports import licence
from tabyin.portal.models import Dataset
from tabyin.portal.selectors_data import catalogue

type Action = Callable[[HttpRequest, dict[str, Any]], Any]

OPEN_LICENCES: Final = {"CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "ODbL-1.0", "PDDL-1.0"}
_FQ_TERM: Final = re.compile(r'\s*\+?(?P<field>[a-z_]+):(?:"(?P<quoted>[^"]*)"|(?P<bare>[^\s"]+))\s*')
FACETS: Final = ("organization", "groups", "tags", "license_id", "res_format")
SORTS: Final = {
    "name asc": ("slug", False),
    "name desc": ("slug", True),
    "title_string asc": ("title_fa", False),
    "title_string desc": ("title_fa", True),
    "metadata_modified asc": ("modified", False),
    "metadata_modified desc": ("modified", True),
}
DEFAULT_SORT: Final = "score desc, metadata_modified desc"


def organization(*, full: bool = True) -> dict[str, Any]:
    name = publisher_name()
    org: dict[str, Any] = {
        "id": ORGANIZATION_NAME,
        "name": ORGANIZATION_NAME,
        "title": name,
        "display_name": name,
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "description": "",
    }
    return org if full else {k: org[k] for k in ("id", "name", "title", "display_name")}


def package(request: HttpRequest, ds: Dataset) -> dict[str, Any]:
    lic = licence(ds.license_id)
    indicators = list(ds.indicators.all())
    modified = ckan_time(dataset_modified(ds))
    tags = [str(k) for k in ds.keywords] + [i.code for i in indicators]
    resource = {
        "id": ds.slug,
        "package_id": ds.slug,
        "name": ds.title_fa,
        "name_translated": {"fa": ds.title_fa, "en": ds.title_en},
        "description": ds.description_fa,
        "format": "CSV",
        "mimetype": "text/csv",
        "url": site_url(request, "portal:dataset-download", slug=ds.slug, fmt="csv"),
        "url_type": None,
        "datastore_active": True,
        "state": "active",
        "position": 0,
        "created": ckan_time(ds.created_at),
        "last_modified": modified,
        "metadata_modified": modified,
    }
    return {
        "id": ds.slug,
        "name": ds.slug,
        "title": ds.title_fa,
        "title_translated": {"fa": ds.title_fa, "en": ds.title_en},
        "notes": ds.description_fa,
        "notes_translated": {"fa": ds.description_fa, "en": ds.description_en},
        "type": "dataset",
        "state": "active",
        "private": False,
        "isopen": lic.id in OPEN_LICENCES,
        "license_id": lic.id,
        "license_title": lic.title,
        "license_url": lic.url,
        "metadata_created": ckan_time(ds.created_at),
        "metadata_modified": modified,
        "url": site_url(request, "portal:dataset", slug=ds.slug),
        "version": str(getattr(ds, "release_number", None) or "") or None,
        "author": None,
        "maintainer": None,
        "owner_org": ORGANIZATION_NAME,
        "organization": organization(),
        "groups": [
            {
                "id": ds.theme.code,
                "name": ds.theme.code,
                "title": ds.theme.name_fa,
                "display_name": ds.theme.name_fa,
            }
        ],
        "tags": [{"name": t, "display_name": t, "state": "active", "vocabulary_id": None} for t in tags],
        "num_tags": len(tags),
        "extras": [{"key": "theme", "value": ds.theme.code}, {"key": "language", "value": "fa,en"}],
        "resources": [resource],
        "num_resources": 1,
    }


def package_list(request: HttpRequest, params: dict[str, Any]) -> list[str]:
    """Names of all datasets. Parameters: limit, offset."""
    allow_only(params, {"limit", "offset"})
    names = [ds.slug for ds in catalogue.datasets()]
    offset = integer(params, "offset", 0)
    limit = integer(params, "limit", len(names))
    return names[offset : offset + limit]


def package_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """One dataset. Parameters: id (the dataset's name)."""
    allow_only(params, {"id", "use_default_schema", "include_tracking"})
    slug = text(params, "id")
    if not slug:
        raise invalid("id", "Missing value")
    found = [ds for ds in catalogue.datasets() if ds.slug == slug]
    if not found:
        raise not_found("Dataset not found")
    return package(request, found[0])


def _fq_matches(pkg: dict[str, Any], field: str, value: str) -> bool:
    values = _facet_values(pkg, field)
    return value in values


def _facet_values(pkg: dict[str, Any], field: str) -> list[str]:
    if field == "organization":
        return [ORGANIZATION_NAME]
    if field == "groups":
        return [g["name"] for g in pkg["groups"]]
    if field == "tags":
        return [t["name"] for t in pkg["tags"]]
    if field == "res_format":
        return [r["format"] for r in pkg["resources"]]
    return [str(pkg.get(field))]


def _parse_fq(fq: str) -> list[tuple[str, str]]:
    terms, position = [], 0
    while position < len(fq):
        match = _FQ_TERM.match(fq, position)
        if match is None or match.group("field") not in (*FACETS, "name"):
            raise invalid(
                "fq", "Only field:value terms on name, organization, groups, tags, license_id, res_format."
            )
        value = match.group("quoted") if match.group("quoted") is not None else match.group("bare")
        terms.append((match.group("field"), value))
        position = match.end()
    return terms


def package_search(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """Search datasets. Parameters: q, fq, rows (≤ 1000), start, sort, facet.field."""
    allow_only(
        params, {"q", "fq", "rows", "start", "sort", "facet", "facet.field", "facet.limit", "include_private"}
    )
    q = text(params, "q").strip()
    terms = _parse_fq(text(params, "fq"))
    rows = integer(params, "rows", 10, maximum=1000)
    start = integer(params, "start", 0)
    sort = text(params, "sort", DEFAULT_SORT).strip() or DEFAULT_SORT
    if sort != DEFAULT_SORT and sort not in SORTS:
        raise invalid("sort", f"Sort by one of: {DEFAULT_SORT}; " + "; ".join(SORTS))
    facet_fields = _facet_fields(params.get("facet.field"))
    found = catalogue.datasets("" if q in ("", "*:*") else q)
    packages = [(ds, package(request, ds)) for ds in found]
    packages = [(ds, p) for ds, p in packages if all(_fq_matches(p, f, v) for f, v in terms)]
    if sort in SORTS:
        key, reverse = SORTS[sort]
        packages.sort(key=lambda pair: _sort_value(pair, key), reverse=reverse)
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, Any] = {}
    for field in facet_fields:
        counts = Counter(v for _, p in packages for v in _facet_values(p, field))
        facets[field] = dict(counts)
        search_facets[field] = {
            "title": field,
            "items": [{"name": v, "display_name": v, "count": n} for v, n in counts.most_common()],
        }
    return {
        "count": len(packages),
        "sort": sort,
        "facets": facets,
        "search_facets": search_facets,
        "results": [p for _, p in packages[start : start + rows]],
    }


def _sort_value(pair: tuple[Dataset, dict[str, Any]], key: str) -> str:
    return str(pair[1]["metadata_modified"] if key == "modified" else getattr(pair[0], key))


def _facet_fields(raw: object) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise invalid("facet.field", "Not a JSON list") from None
    if not isinstance(raw, list) or any(f not in FACETS for f in raw):
        raise invalid("facet.field", f"A JSON list of: {', '.join(FACETS)}")
    return [str(f) for f in raw]


def organization_list(request: HttpRequest, params: dict[str, Any]) -> list[Any]:
    """The publishing organization. Parameters: all_fields."""
    allow_only(params, {"all_fields", "limit", "offset", "sort"})
    all_fields = str(params.get("all_fields", "false")).lower() in ("true", "1")
    return [organization()] if all_fields else [ORGANIZATION_NAME]


def organization_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """The publishing organization. Parameters: id."""
    allow_only(params, {"id", "include_datasets"})
    if text(params, "id") != ORGANIZATION_NAME:
        raise not_found("Organization was not found")
    org = organization()
    org["package_count"] = len(catalogue.datasets())
    return org


def help_show(request: HttpRequest, params: dict[str, Any]) -> str:
    """What an action does. Parameters: name."""
    allow_only(params, {"name"})
    name = text(params, "name")
    if name not in ACTIONS:
        raise not_found(f"Action function not found: {name}")
    return (ACTIONS[name].__doc__ or "").strip()


ACTIONS: Final[dict[str, Action]] = {
    "package_list": package_list,
    "package_show": package_show,
    "package_search": package_search,
    "organization_list": organization_list,
    "organization_show": organization_show,
    "datastore_search": datastore_search,
    "help_show": help_show,
}


@csrf_exempt  # read-only, no cookies: CKAN clients POST their parameters as JSON
@cached_get
def action(request: HttpRequest, name: str) -> HttpResponseBase:
    if request.method not in ("GET", "POST"):
        return error_envelope(request, name, CkanError("Bad Request", "Bad request - only GET and POST"))
    if name not in ACTIONS:
        return error_envelope(
            request, name, CkanError("Bad Request", f"Bad request - Action name not known: {name}")
        )
    try:
        return envelope(request, name, ACTIONS[name](request, read_params(request)))
    except CkanError as exc:
        return error_envelope(request, name, exc)
