"""CKAN's organization, group and tag actions: the publisher is the one organization, the
themes are the groups, the tags are the datasets' keywords and indicator codes."""

from __future__ import annotations

from collections import Counter
from typing import Any, Final

from django.http import HttpRequest

from tabyin.portal.api.ckan_common import (
    ORGANIZATION_NAME,
    boolean,
    integer,
    invalid,
    not_found,
    required,
    string_list,
    text,
)
from tabyin.portal.api.ckan_package import group, organization, package, tag_names
from tabyin.portal.models import Dataset, Theme
from tabyin.portal.opendata.selectors import catalogue
from tabyin.portal.public.selectors import themes

LIST_MAX: Final = 1000  # ckan.group_and_organization_list_max
LIST_ALL_FIELDS_MAX: Final = 25  # ckan.group_and_organization_list_all_fields_max
DATASETS_SHOWN: Final = 1000  # CKAN shows at most the first 1000 datasets of a group
SORTS: Final = ("name", "title", "package_count", "packages")


def _sort(params: dict[str, Any]) -> tuple[str, bool]:
    """CKAN's group sort: ``title asc`` by default; ``packages`` alone means most datasets first."""
    raw = text(params, "sort") or text(params, "order_by") or "title"
    field, _, direction = raw.strip().partition(" ")
    if field in ("packages", "package_count") and not direction:
        direction = "desc"
    direction = direction.strip().lower() or "asc"
    if field not in SORTS or direction not in ("asc", "desc"):
        raise invalid("sort", "Sort by name, title or package_count, asc or desc")
    return ("package_count" if field == "packages" else field), direction == "desc"


def _listing(
    params: dict[str, Any], entries: list[dict[str, Any]], *, names_key: str
) -> list[dict[str, Any]]:
    """Filter (``q``, the list of names), sort and page group-like entries as CKAN's
    ``_group_or_org_list`` does."""
    all_fields = boolean(params, "all_fields", False)
    wanted = string_list(params, names_key)
    if wanted is not None:
        entries = [e for e in entries if e["name"] in wanted]
    q = text(params, "q").strip().lower()
    if q:
        entries = [
            e for e in entries if any(q in str(e[k]).lower() for k in ("name", "title", "description"))
        ]
    field, descending = _sort(params)
    entries.sort(key=lambda e: e[field], reverse=descending)
    maximum = LIST_ALL_FIELDS_MAX if all_fields else LIST_MAX
    limit = min(integer(params, "limit", maximum) or maximum, maximum)
    offset = integer(params, "offset", 0)
    return entries[offset : offset + limit]


def _counts(datasets: list[Dataset]) -> Counter[str]:
    return Counter(ds.theme.code for ds in datasets)


def _with_count(entry: dict[str, Any], count: int, params: dict[str, Any]) -> dict[str, Any]:
    if boolean(params, "include_dataset_count", True):
        entry["package_count"] = count
    for key in ("extras", "groups", "tags"):
        entry[key] = []
    entry["num_followers"] = 0
    return entry


def _show(
    request: HttpRequest, params: dict[str, Any], entry: dict[str, Any], datasets: list[Dataset]
) -> dict[str, Any]:
    entry = _with_count(entry, len(datasets), params)
    entry["users"] = []
    if boolean(params, "include_datasets", False):
        entry["packages"] = [package(request, ds) for ds in datasets[:DATASETS_SHOWN]]
    return entry


def group_list(request: HttpRequest, params: dict[str, Any]) -> list[Any]:
    """The themes, as groups. Parameters: all_fields, sort (name, title, package_count; asc or
    desc; default title asc), limit, offset, groups (names to keep), q."""
    theme_list: list[Theme] = themes()
    counts = _counts(catalogue.datasets())
    entries = [{**group(t), "package_count": counts[t.code]} for t in theme_list]
    page = _listing(params, entries, names_key="groups")
    if not boolean(params, "all_fields", False):
        return [e["name"] for e in page]
    return [_with_count(e, e.pop("package_count"), params) for e in page]


def group_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """One theme, as a group. Parameters: id (its code), include_datasets,
    include_dataset_count."""
    code = required(params, "id")
    found = [t for t in themes() if t.code == code]
    if not found:
        raise not_found("Group was not found.")
    datasets = [ds for ds in catalogue.datasets() if ds.theme.code == code]
    return _show(request, params, group(found[0]), datasets)


def organization_list(request: HttpRequest, params: dict[str, Any]) -> list[Any]:
    """The publishing organization. Parameters: all_fields, sort, limit, offset,
    organizations, q."""
    datasets = catalogue.datasets()
    entries = [{**organization(), "package_count": len(datasets)}]
    page = _listing(params, entries, names_key="organizations")
    if not boolean(params, "all_fields", False):
        return [e["name"] for e in page]
    return [_with_count(e, e.pop("package_count"), params) for e in page]


def organization_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """The publishing organization. Parameters: id, include_datasets, include_dataset_count."""
    if required(params, "id") != ORGANIZATION_NAME:
        raise not_found("Organization was not found.")
    return _show(request, params, organization(), catalogue.datasets())


def tag_list(request: HttpRequest, params: dict[str, Any]) -> list[Any]:
    """Tags of all datasets (keywords and indicator codes), by name. Parameters: query (or q):
    names containing it; all_fields; vocabulary_id (there are no vocabularies)."""
    if text(params, "vocabulary_id"):
        raise not_found("Could not find vocabulary")
    query = (text(params, "query") or text(params, "q")).strip()
    names = sorted({t for ds in catalogue.datasets() for t in tag_names(ds)})
    if query:
        names = [n for n in names if query.lower() in n.lower()]
    if not boolean(params, "all_fields", False):
        return names
    return [{"id": n, "name": n, "display_name": n, "vocabulary_id": None} for n in names]
