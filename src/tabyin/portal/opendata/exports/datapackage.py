"""Frictionless data package descriptors (Data Package v1, tabular profile) for a dataset.

The package points at its CSV with the relative path ``data/<slug>.csv`` — the layout
Frictionless tools expect, and one that works the same on our server (the CSV is served beside
``datapackage.json``) and in a folder where someone saved both files. Persian titles and
descriptions travel as ``title_fa``/``description_fa``: the specification allows extra
properties, and ``title`` stays English for tools that show only one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tabyin.portal.enums import FigureStatus
from tabyin.portal.models import Dataset, Indicator
from tabyin.portal.opendata.exports import licence
from tabyin.portal.opendata.selectors.filters import AREA_RE, PERIOD_RE


def resource_path(slug: str) -> str:
    return f"data/{slug}.csv"


def _field(
    name: str, type_: str, title: str, title_fa: str, description: str, **extra: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "type": type_,
        "title": title,
        "title_fa": title_fa,
        "description": description,
        **extra,
    }


def table_schema(indicators: Sequence[Indicator]) -> dict[str, Any]:
    codes = sorted(i.code for i in indicators)
    decimals = ", ".join(f"{i.code}: {i.decimals}" for i in sorted(indicators, key=lambda i: i.code))
    required = {"required": True}
    return {
        "fields": [
            _field("indicator", "string", "Indicator", "شاخص", "Indicator code.",
                   constraints={**required, "enum": codes}),
            _field("area", "string", "Area", "منطقه",
                   "IR for the whole country, IR-00 to IR-30 for provinces (ISO 3166-2:IR).",
                   constraints={**required, "pattern": AREA_RE.pattern}),
            _field("area_name_fa", "string", "Area name (Persian)", "نام منطقه", "Persian name of the area."),
            _field("area_name_en", "string", "Area name (English)", "نام انگلیسی منطقه",
                   "English name of the area."),
            _field("period", "string", "Period", "دوره",
                   "Jalali (Solar Hijri) month, YYYY-MM, e.g. 1403-11.",
                   constraints={**required, "pattern": PERIOD_RE.pattern}),
            _field("period_start", "date", "Period start", "آغاز دوره",
                   "Gregorian date of the first day of the Jalali month.", format="default",
                   constraints=required),
            _field("value", "number", "Value", "مقدار",
                   f"The published figure, rounded to the indicator's decimals ({decimals}). Empty when "
                   "suppressed or not available."),
            _field("numerator", "number", "Numerator", "صورت", "Numerator of a rate; empty otherwise."),
            _field("denominator", "number", "Denominator", "مخرج", "Denominator of a rate; empty otherwise."),
            _field("status", "string", "Status", "وضعیت", "provisional or final.",
                   constraints={**required, "enum": list(FigureStatus.values)}),
            _field("suppressed", "boolean", "Suppressed", "پنهان‌شده",
                   "true when the figure is withheld because a small count could identify people.",
                   trueValues=["true"], falseValues=["false"], constraints=required),
            _field("release", "integer", "Release", "انتشار",
                   "Number of the release that published the figure.", constraints=required),
        ],
        "missingValues": [""],
        "primaryKey": ["indicator", "area", "period"],
    }  # fmt: skip


def datapackage(
    ds: Dataset,
    indicators: Sequence[Indicator],
    *,
    package_url: str,
    homepage: str,
    publisher: str,
    generated_at: datetime,
) -> dict[str, Any]:
    lic = licence(ds.license_id)
    licence_entry: dict[str, str] = {"name": lic.id, "title": lic.title}
    if lic.url:
        licence_entry["path"] = lic.url
    sources: dict[tuple[str, str, str], None] = {}
    for ind in indicators:
        sources[(ind.source_en or ind.source_fa, ind.source_fa, ind.source_url)] = None
    release_number = getattr(ds, "release_number", None)
    return {
        "profile": "tabular-data-package",
        "name": ds.slug,
        "id": package_url,
        "title": ds.title_en,
        "title_fa": ds.title_fa,
        "description": ds.description_en or ds.title_en,
        "description_fa": ds.description_fa or ds.title_fa,
        "homepage": homepage,
        "version": str(release_number or 0),
        "created": generated_at.isoformat(),
        "keywords": [str(k) for k in ds.keywords],
        "licenses": [licence_entry],
        "sources": [
            {"title": title, "title_fa": title_fa, **({"path": url} if url else {})}
            for title, title_fa, url in sources
        ],
        "contributors": [{"title": publisher, "role": "publisher"}],
        "resources": [
            {
                "name": ds.slug,
                "path": resource_path(ds.slug),
                "profile": "tabular-data-resource",
                "title": ds.title_en,
                "title_fa": ds.title_fa,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": table_schema(indicators),
            }
        ],
    }
