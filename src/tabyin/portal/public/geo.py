"""The map of Iran's 31 provinces, drawn on the server as SVG (a choropleth).

The geometry is core's (``core.display.geo``, from ``core/data/provinces.geojson``, OpenStreetMap,
ODbL: every page that shows the map credits "© OpenStreetMap contributors"), projected once per
process; only the fill classes are decided per page.

Pure: no database, no request. Values come in as a mapping from ISO code to number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Final

from django.utils.safestring import SafeString

from tabyin.core.display import svg
from tabyin.core.display.geo import GEOJSON, WIDTH, MapGeometry, Shape, geometry

__all__ = [
    "BUCKETS",
    "GEOJSON",
    "WIDTH",
    "LegendEntry",
    "MapArea",
    "MapGeometry",
    "Shape",
    "bucket_of",
    "choropleth",
    "geometry",
    "quantile_breaks",
]

BUCKETS: Final = 5  # classes of the choropleth (quintiles); the CSS colours .q1 … .q5


def quantile_breaks(values: Sequence[Decimal], buckets: int = BUCKETS) -> list[Decimal]:
    """Upper bounds of each class (the last is the maximum), by rank so each class holds about as
    many provinces. With fewer distinct values than classes, fewer classes are used."""
    ordered = sorted(values)
    if not ordered:
        return []
    breaks: list[Decimal] = []
    for i in range(1, buckets + 1):
        bound = ordered[max(0, math.ceil(i * len(ordered) / buckets) - 1)]
        if not breaks or bound > breaks[-1]:
            breaks.append(bound)
    return breaks


def bucket_of(value: Decimal, breaks: Sequence[Decimal]) -> int:
    """1-based class of a value; classes are spread over 1…5 so few classes still span the palette."""
    index = next((i for i, bound in enumerate(breaks) if value <= bound), len(breaks) - 1)
    if len(breaks) <= 1:
        return BUCKETS
    return 1 + round(index * (BUCKETS - 1) / (len(breaks) - 1))


@dataclass(frozen=True)
class LegendEntry:
    css_class: str
    low: Decimal | None  # None for the "no figure" entry
    high: Decimal | None


@dataclass(frozen=True)
class MapArea:
    iso: str
    value: Decimal | None
    label: str  # the accessible name: province, value, unit
    href: str


def choropleth(
    areas: Sequence[MapArea], *, title: str, desc: str, language: str
) -> tuple[SafeString, list[LegendEntry]]:
    """The map as one ``<svg>`` plus the legend entries (rendered as HTML text by the template, so
    the legend text has the page's own colours and contrast).

    Every province is a link to its page with a ``<title>`` naming it and its value: the map is
    usable by keyboard and screen reader, and the table beside it carries the same figures.
    """
    geo = geometry()
    by_iso = {a.iso: a for a in areas}
    known = [a.value for a in areas if a.value is not None]
    breaks = quantile_breaks(known)
    # A group, not an img, when provinces are links (an image's children are presentational).
    role = "group" if any(a.href for a in areas) else "img"
    parts = [
        svg.svg_open(
            "map", width=geo.width, height=geo.height, chart_id="map", title=title, desc=desc, role=role
        ),
        # Provinces without a figure are hatched, not just pale, so they never read as "low".
        (
            '<defs><pattern id="map-hatch" width="8" height="8" patternUnits="userSpaceOnUse">'
            '<path d="M0 8L8 0" stroke="#6b7280" stroke-width="1"/></pattern></defs>'
        ),
    ]
    for shape in geo.shapes:
        area = by_iso.get(shape.iso)
        value = area.value if area else None
        css = "nodata" if value is None else f"q{bucket_of(value, breaks)}"
        label = area.label if area else shape.name(language)
        title_tag = f"<title>{escape(label)}</title>"
        path = f'<path class="province {css}" d="{shape.d}">'
        if area and area.href:  # the title names the link itself
            parts.append(f'<a href="{escape(area.href)}">{title_tag}{path}</path></a>')
        else:
            parts.append(f"{path}{title_tag}</path>")
    legend: list[LegendEntry] = []
    low: Decimal | None = min(known) if known else None
    for i, bound in enumerate(breaks):
        css = f"q{bucket_of(bound, breaks)}"
        legend.append(LegendEntry(css, low if i == 0 else breaks[i - 1], bound))
    if len(known) < len(geo.shapes):
        legend.append(LegendEntry("nodata", None, None))
    return svg.svg_close(parts), legend  # every text above is escaped
