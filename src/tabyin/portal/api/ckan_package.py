"""CKAN's package (dataset), resource, organization and group shapes, and the actions that show
them: ``package_list``, ``package_show``, ``resource_show``.

Each dataset is a CKAN package with one resource whose id is the dataset's slug; the resource is
in the "datastore", so ``datastore_search`` serves its rows. The publishing organization is the
one CKAN organization; each theme is a CKAN group. Titles and descriptions are Persian (the
primary language) with both languages in ``*_translated``, the convention of ckanext-fluent.
"""

from __future__ import annotations

from typing import Any, Final

from django.http import HttpRequest

from tabyin.portal.api.ckan_common import (
    ORGANIZATION_NAME,
    ckan_time,
    integer,
    not_found,
    required,
)
from tabyin.portal.api.http import publisher_name, site_url
from tabyin.portal.api.serialize import dataset_modified
from tabyin.portal.models import Dataset, Theme
from tabyin.portal.opendata.exports import licence
from tabyin.portal.opendata.selectors import catalogue

OPEN_LICENCES: Final = {"CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "ODbL-1.0", "PDDL-1.0"}
ORGANIZATION_FIELDS: Final = ("id", "name", "title", "display_name")


def organization(*, full: bool = True) -> dict[str, Any]:
    name = publisher_name()
    org: dict[str, Any] = {
        "id": ORGANIZATION_NAME,
        "name": ORGANIZATION_NAME,
        "title": name,
        "display_name": name,
        "description": "",
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "image_display_url": "",
        "created": None,
    }
    return org if full else {k: org[k] for k in ORGANIZATION_FIELDS}


def group(theme: Theme, *, full: bool = True) -> dict[str, Any]:
    """A theme as a CKAN group (``group_dictize``'s core fields)."""
    short = {
        "id": theme.code,
        "name": theme.code,
        "title": theme.name_fa,
        "display_name": theme.name_fa,
        "description": theme.summary_fa,
        "image_display_url": "",
    }
    if not full:
        return short
    return {
        **short,
        "title_translated": {"fa": theme.name_fa, "en": theme.name_en},
        "description_translated": {"fa": theme.summary_fa, "en": theme.summary_en},
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "created": None,
    }


def tag_names(ds: Dataset) -> list[str]:
    return [str(k) for k in ds.keywords] + [i.code for i in ds.indicators.all()]


def resource(request: HttpRequest, ds: Dataset) -> dict[str, Any]:
    modified = ckan_time(dataset_modified(ds))
    return {
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


def package(request: HttpRequest, ds: Dataset) -> dict[str, Any]:
    lic = licence(ds.license_id)
    tags = tag_names(ds)
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
        "metadata_modified": ckan_time(dataset_modified(ds)),
        "url": site_url(request, "portal:dataset", slug=ds.slug),
        "version": str(getattr(ds, "release_number", None) or "") or None,
        "author": None,
        "author_email": None,
        "maintainer": None,
        "maintainer_email": None,
        "owner_org": ORGANIZATION_NAME,
        "organization": organization(),
        "groups": [group(ds.theme, full=False)],
        "tags": [
            {"id": t, "name": t, "display_name": t, "state": "active", "vocabulary_id": None} for t in tags
        ],
        "num_tags": len(tags),
        "extras": [{"key": "theme", "value": ds.theme.code}, {"key": "language", "value": "fa,en"}],
        "resources": [resource(request, ds)],
        "num_resources": 1,
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }


def _dataset(slug: str) -> Dataset | None:
    found = [ds for ds in catalogue.datasets() if ds.slug == slug]
    return found[0] if found else None


def package_list(request: HttpRequest, params: dict[str, Any]) -> list[str]:
    """Names of all datasets, in name order. Parameters: limit, offset (0 or absent: no limit,
    as in CKAN). Other parameters (``include_private`` …) are ignored, as CKAN ignores them."""
    names = sorted(ds.slug for ds in catalogue.datasets())
    limit = integer(params, "limit", 0)
    offset = integer(params, "offset", 0)
    names = names[offset:]
    return names[:limit] if limit else names


def package_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """One dataset. Parameters: id (the dataset's name or id, which are the same)."""
    ds = _dataset(required(params, "id"))
    if ds is None:
        raise not_found("Dataset not found")
    return package(request, ds)


def resource_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """One resource. Parameters: id (a resource id, which is its dataset's name)."""
    ds = _dataset(required(params, "id"))
    if ds is None:
        raise not_found("Resource was not found.")
    return resource(request, ds)
