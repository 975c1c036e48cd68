"""The open-data catalogue pages and the downloads (CSV, XLSX, JSON, Frictionless packages).

Downloads stream: CSV and JSON are written row by row from a server-side cursor
(``iterator(chunk_size=…)``), and XLSX is built in write-only mode in a temporary file that is
then sent in chunks. They share the filters and the error shape of /api/v1.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from tabyin.core.http import page_language
from tabyin.portal.api.errors import error_response
from tabyin.portal.api.http import publisher_name, site_url, weak_cached_get
from tabyin.portal.api.params import query_params
from tabyin.portal.models import Dataset, Indicator
from tabyin.portal.opendata.exports import MEDIA_TYPES, licence
from tabyin.portal.opendata.exports.datapackage import datapackage as package_descriptor
from tabyin.portal.opendata.exports.tabular import csv_chunks, json_chunks, xlsx_file
from tabyin.portal.opendata.selectors import catalogue
from tabyin.portal.opendata.selectors.filters import (
    ROW_FILTER_PARAMETERS,
    DataQueryError,
    RowFilter,
    not_found,
    row_filter,
)
from tabyin.portal.opendata.selectors.rows import COLUMNS, area_names, observations, table_rows

REVISIONS_SHOWN = 100
# Escapes that keep a JSON text inert inside <script>: no "</script>", no "<!--" (as json_script).
_SCRIPT_SAFE = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})


@dataclass(frozen=True)
class IndicatorEntry:
    indicator: Indicator
    name: str
    latest_period: str | None


@dataclass(frozen=True)
class DatasetEntry:
    dataset: Dataset
    title: str
    description: str
    theme_name: str
    first_period: str | None
    latest_period: str | None
    indicators: list[IndicatorEntry]
    licence_title: str
    licence_url: str


def _entry(ds: Dataset, ranges: dict[int, tuple[str, str]]) -> DatasetEntry:
    fa = page_language() == "fa"
    indicators = []
    for ind in ds.indicators.all():
        ind.dataset = ds  # the download links read indicator.dataset.slug: no query per indicator
        latest = ranges[ind.pk][1] if ind.pk in ranges else None
        indicators.append(IndicatorEntry(ind, ind.name_fa if fa else ind.name_en, latest))
    span = catalogue.dataset_range(ds, ranges)
    lic = licence(ds.license_id)
    return DatasetEntry(
        dataset=ds,
        title=ds.title_fa if fa else ds.title_en,
        description=ds.description_fa if fa else ds.description_en,
        theme_name=ds.theme.name_fa if fa else ds.theme.name_en,
        first_period=span[0] if span else None,
        latest_period=span[1] if span else None,
        indicators=indicators,
        licence_title=lic.title,
        licence_url=lic.url,
    )


def datasets(request: HttpRequest) -> HttpResponse:
    found = catalogue.datasets()
    ranges = catalogue.period_ranges()
    themes: dict[str, tuple[str, list[DatasetEntry]]] = {}
    for ds in found:
        entry = _entry(ds, ranges)
        themes.setdefault(ds.theme.code, (entry.theme_name, []))[1].append(entry)
    return render(request, "portal/data/datasets.html", {"themes": list(themes.values())})


def dataset(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        ds = catalogue.dataset(slug)
    except DataQueryError:
        raise Http404 from None
    indicators = catalogue.dataset_indicators(ds)
    ranges = catalogue.period_ranges([i.pk for i in indicators])
    entry = _entry(ds, ranges)
    revisions = catalogue.dataset_revisions(ds, limit=REVISIONS_SHOWN)
    areas, english = area_names(), page_language() == "en"
    context = {
        "entry": entry,
        "ds": ds,
        "releases": catalogue.published_releases(ds),
        "revisions": revisions,
        # Each revision with its area's name: the reader sees "تهران", not "IR-23".
        "revision_rows": [
            (rev, areas.get(rev.observation.area, (rev.observation.area,) * 2)[english]) for rev in revisions
        ],
        "revisions_limited": len(revisions) == REVISIONS_SHOWN,
        "api_rows": site_url(request, "api-v1:dataset-rows", slug=ds.slug),
        "jsonld": _jsonld(request, entry),
    }
    return render(request, "portal/data/dataset.html", context)


def _jsonld(request: HttpRequest, entry: DatasetEntry) -> SafeString:
    """schema.org ``Dataset`` for search engines' dataset search."""
    ds = entry.dataset
    other = ds.title_en if page_language() == "fa" else ds.title_fa
    files = [
        {
            "@type": "DataDownload",
            "encodingFormat": MEDIA_TYPES[fmt],
            "contentUrl": site_url(request, "portal:dataset-download", slug=ds.slug, fmt=fmt),
        }
        for fmt in ("csv", "xlsx", "json")
    ]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": entry.title,
        "alternateName": other,
        "description": entry.description or entry.title,
        "url": request.build_absolute_uri(),
        "identifier": ds.slug,
        "keywords": [str(k) for k in ds.keywords] + [i.name for i in entry.indicators],
        "inLanguage": ["fa", "en"],
        "isAccessibleForFree": True,
        "publisher": {"@type": "Organization", "name": publisher_name()},
        "spatialCoverage": {"@type": "Place", "name": "Iran"},
        "variableMeasured": [i.name for i in entry.indicators],
        "distribution": files,
    }
    if entry.licence_url:
        data["license"] = entry.licence_url
    modified = getattr(ds, "released_at", None) or ds.updated_at
    data["dateModified"] = modified.isoformat(timespec="seconds")
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE))  # noqa: S308 (escaped above)


type DataView = Callable[..., HttpResponseBase]


def _answers_errors(view: DataView) -> DataView:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except DataQueryError as exc:
            return error_response(exc)

    return wrapped


def _table(
    request: HttpRequest,
    *,
    ds: Dataset,
    indicators: list[Indicator],
    flt: RowFilter,
    fmt: str,
    name: str,
    bom: bool = False,
) -> HttpResponseBase:
    qs = observations(indicators, flt)  # raises before anything is sent
    rows = table_rows(qs, indicators, area_names())
    generated = timezone.now().isoformat(timespec="seconds")
    lic = licence(ds.license_id)
    sources = sorted({i.source_en or i.source_fa for i in indicators})
    response: HttpResponseBase
    if fmt == "csv":
        response = StreamingHttpResponse(csv_chunks(rows, bom=bom), content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        meta = {
            "dataset": ds.slug,
            "title": ds.title_en,
            "title_fa": ds.title_fa,
            "license": {"id": lic.id, "title": lic.title, "url": lic.url},
            "sources": sources,
            "generated_at": generated,
            "filters": dict(flt.describe()),
            "fields": list(COLUMNS),
        }
        response = StreamingHttpResponse(
            json_chunks(meta, rows), content_type="application/json; charset=utf-8"
        )
    else:
        about = [
            ("title_fa", ds.title_fa),
            ("title_en", ds.title_en),
            ("dataset", ds.slug),
            ("licence", f"{lic.title} {lic.url}".strip()),
            ("source", "; ".join(sources)),
            ("publisher", publisher_name()),
            ("generated_at", generated),
            ("address", request.build_absolute_uri()),
            *flt.describe(),
        ]
        response = FileResponse(xlsx_file(rows, about), content_type=MEDIA_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _dataset_or_404(slug: str) -> tuple[Dataset, list[Indicator]]:
    ds = catalogue.dataset(slug)
    return ds, catalogue.dataset_indicators(ds)


def _filter(request: HttpRequest, fmt: str, *, per_indicator: bool) -> tuple[RowFilter, bool]:
    names = [p for p in ROW_FILTER_PARAMETERS if not (per_indicator and p == "indicator")]
    params = query_params(request, [*names, "bom"] if fmt == "csv" else names)
    bom = params.get("bom", "0").strip() in ("1", "true")
    return row_filter(params), bom


@weak_cached_get
@_answers_errors
def dataset_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponseBase:
    """``/data/<slug>.csv|xlsx|json``: the dataset's figures, optionally filtered."""
    flt, bom = _filter(request, fmt, per_indicator=False)
    ds, indicators = _dataset_or_404(slug)
    return _table(request, ds=ds, indicators=indicators, flt=flt, fmt=fmt, name=ds.slug, bom=bom)


@weak_cached_get
@_answers_errors
def indicator_download(request: HttpRequest, slug: str, indicator: str, fmt: str) -> HttpResponseBase:
    """``/data/<slug>/<indicator>.csv|xlsx|json``: one indicator's figures."""
    flt, bom = _filter(request, fmt, per_indicator=True)
    ds, indicators = _dataset_or_404(slug)
    chosen = [i for i in indicators if i.code == indicator]
    if not chosen:
        raise not_found(catalogue.NO_INDICATOR, "indicator")
    return _table(request, ds=ds, indicators=chosen, flt=flt, fmt=fmt, name=f"{ds.slug}-{indicator}", bom=bom)


@weak_cached_get
@_answers_errors
def datapackage(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The Frictionless data package of the whole dataset (every published figure)."""
    query_params(request, ())
    ds, indicators = _dataset_or_404(slug)
    descriptor = package_descriptor(
        ds,
        indicators,
        package_url=request.build_absolute_uri(),
        homepage=site_url(request, "portal:dataset", slug=ds.slug),
        publisher=publisher_name(),
        generated_at=timezone.now(),
    )
    body = json.dumps(descriptor, ensure_ascii=False, indent=2)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@weak_cached_get
@_answers_errors
def datapackage_csv(request: HttpRequest, slug: str, file: str) -> HttpResponseBase:
    """The CSV resource of the package, at the relative path the descriptor gives."""
    query_params(request, ())
    if file != slug:
        raise Http404
    ds, indicators = _dataset_or_404(slug)
    return _table(request, ds=ds, indicators=indicators, flt=RowFilter(), fmt="csv", name=ds.slug)
