"""The DCAT-AP catalogue of the published datasets: /catalog.jsonld and /catalog.ttl.

One Python graph (compact JSON-LD) is built per request and written as JSON-LD or, through our
own small writer, as Turtle, so both always say the same thing. Identifiers are the public
pages' addresses; vocabularies are the ones DCAT-AP 2 asks for (EU file types, IANA media types,
EU frequency, language and country authorities).
"""

from __future__ import annotations

from typing import Any, Final

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse

from tabyin.core.jalali import period_bounds
from tabyin.portal.api.errors import error_response
from tabyin.portal.api.http import publisher_name, site_url
from tabyin.portal.api.params import query_params
from tabyin.portal.api.serialize import dataset_modified
from tabyin.portal.api.turtle import to_turtle
from tabyin.portal.models import Dataset
from tabyin.portal.opendata.exports import MEDIA_TYPES, licence
from tabyin.portal.opendata.selectors import catalogue
from tabyin.portal.opendata.selectors.filters import DataQueryError

CONTEXT: Final = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU: Final = "http://publications.europa.eu/resource/authority/"
FILE_TYPES: Final = {"csv": "CSV", "xlsx": "XLSX", "json": "JSON"}
# Catalogue metadata are data in both languages, not interface text: both always appear.
CATALOG_TITLE: Final = {"fa": "داده‌های باز", "en": "Open data"}
CATALOG_DESCRIPTION: Final = {
    "fa": "آمار منتشرشده به تفکیک استان و ماه، با شرح هر شاخص و تاریخچهٔ بازنگری‌ها.",
    "en": "Published figures by province and month, with what each indicator means and its revision history.",
}


def both(fa: str, en: str) -> list[dict[str, str]]:
    """Language-tagged literals; an empty text (an untranslated description) is left out."""
    return [{"@value": v, "@language": lang} for lang, v in (("fa", fa), ("en", en)) if v]


def timestamp(value: str) -> dict[str, str]:
    return {"@value": value, "@type": "xsd:dateTime"}


def _distributions(request: HttpRequest, ds: Dataset, page: str, licence_ref: Any) -> list[dict[str, Any]]:
    files = []
    for fmt, file_type in FILE_TYPES.items():
        url = site_url(request, "portal:dataset-download", slug=ds.slug, fmt=fmt)
        files.append(
            {
                "@id": url,
                "@type": "dcat:Distribution",
                "dct:title": both(f"{ds.title_fa} ({file_type})", f"{ds.title_en} ({file_type})"),
                "dcat:accessURL": {"@id": page},
                "dcat:downloadURL": {"@id": url},
                "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{MEDIA_TYPES[fmt]}"},
                "dct:format": {"@id": f"{EU}file-type/{file_type}"},
                "dct:license": licence_ref,
            }
        )
    package = site_url(request, "portal:datapackage", slug=ds.slug)
    files.append(
        {
            "@id": package,
            "@type": "dcat:Distribution",
            "dct:title": both(
                f"{ds.title_fa} (Frictionless data package)", f"{ds.title_en} (Frictionless data package)"
            ),
            "dcat:accessURL": {"@id": page},
            "dcat:downloadURL": {"@id": package},
            "dcat:mediaType": {"@id": "https://www.iana.org/assignments/media-types/application/json"},
            "dct:format": {"@id": f"{EU}file-type/JSON"},
            "dct:conformsTo": {"@id": "https://specs.frictionlessdata.io/data-package/"},
            "dct:license": licence_ref,
        }
    )
    return files


def _dataset(
    request: HttpRequest, ds: Dataset, ranges: dict[int, tuple[str, str]], ids: dict[str, str]
) -> Any:
    page = site_url(request, "portal:dataset", slug=ds.slug)
    lic = licence(ds.license_id)
    licence_ref: Any = {"@id": lic.url} if lic.url else lic.id
    indicators = list(ds.indicators.all())
    keywords = [str(k) for k in ds.keywords]
    node: dict[str, Any] = {
        "@id": page,
        "@type": "dcat:Dataset",
        "dct:identifier": ds.slug,
        "dct:title": both(ds.title_fa, ds.title_en),
        "dct:description": both(ds.description_fa or ds.title_fa, ds.description_en or ds.title_en),
        "dct:publisher": {"@id": ids["publisher"]},
        "dct:license": licence_ref,
        "dct:issued": timestamp(ds.created_at.isoformat(timespec="seconds")),
        "dct:modified": timestamp(dataset_modified(ds).isoformat(timespec="seconds")),
        "dct:language": [{"@id": f"{EU}language/FAS"}, {"@id": f"{EU}language/ENG"}],
        "dct:spatial": {"@id": f"{EU}country/IRN"},
        "dct:accrualPeriodicity": {"@id": f"{EU}frequency/MONTHLY"},
        "dcat:theme": {"@id": f"{ids['themes']}-{ds.theme.code}"},
        "dcat:keyword": [{"@value": k, "@language": "fa"} for k in keywords]
        + [kw for i in indicators for kw in both(i.name_fa, i.name_en)],
        "dcat:landingPage": {"@id": page},
        "dcat:contactPoint": {
            "@type": "vcard:Organization",
            "vcard:fn": publisher_name(),
            "vcard:hasURL": {"@id": ids["home"]},
        },
        "dcat:distribution": _distributions(request, ds, page, licence_ref),
    }
    span = catalogue.dataset_range(ds, ranges)
    if span is not None:
        node["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": period_bounds(span[0])[0].isoformat(), "@type": "xsd:date"},
            "dcat:endDate": {"@value": period_bounds(span[1])[1].isoformat(), "@type": "xsd:date"},
        }
    return node


def catalog_graph(request: HttpRequest) -> dict[str, Any]:
    found = catalogue.datasets()
    ranges = catalogue.period_ranges()
    home = site_url(request, "portal:datasets")
    ids = {"home": home, "publisher": f"{home}#publisher", "themes": f"{home}#theme"}
    themes = {ds.theme.code: ds.theme for ds in found}
    modified = max((dataset_modified(ds) for ds in found), default=None)
    catalog: dict[str, Any] = {
        "@id": f"{home}#catalog",
        "@type": "dcat:Catalog",
        "dct:title": both(CATALOG_TITLE["fa"], CATALOG_TITLE["en"]),
        "dct:description": both(CATALOG_DESCRIPTION["fa"], CATALOG_DESCRIPTION["en"]),
        "dct:publisher": {"@id": ids["publisher"]},
        "foaf:homepage": {"@id": home},
        "dct:language": [{"@id": f"{EU}language/FAS"}, {"@id": f"{EU}language/ENG"}],
        "dcat:themeTaxonomy": {"@id": ids["themes"]},
        "dcat:dataset": [_dataset(request, ds, ranges, ids) for ds in found],
    }
    if modified is not None:
        catalog["dct:modified"] = timestamp(modified.isoformat(timespec="seconds"))
    publisher = {"@id": ids["publisher"], "@type": "foaf:Agent", "foaf:name": publisher_name()}
    taxonomy = {
        "@id": ids["themes"],
        "@type": "skos:ConceptScheme",
        "skos:prefLabel": both("موضوع‌ها", "Themes"),
    }
    concepts = [
        {
            "@id": f"{ids['themes']}-{code}",
            "@type": "skos:Concept",
            "skos:prefLabel": both(theme.name_fa, theme.name_en),
            "skos:inScheme": {"@id": ids["themes"]},
        }
        for code, theme in themes.items()
    ]
    return {"@context": CONTEXT, "@graph": [catalog, publisher, taxonomy, *concepts]}


def catalog_jsonld(request: HttpRequest) -> HttpResponseBase:
    try:
        query_params(request, ())
    except DataQueryError as exc:
        return error_response(exc)
    return JsonResponse(
        catalog_graph(request),
        content_type="application/ld+json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )


def catalog_ttl(request: HttpRequest) -> HttpResponseBase:
    try:
        query_params(request, ())
    except DataQueryError as exc:
        return error_response(exc)
    return HttpResponse(to_turtle(catalog_graph(request)), content_type="text/turtle; charset=utf-8")
