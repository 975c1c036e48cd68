"""The map of Iran's 31 provinces, drawn on the server as SVG (a choropleth).

The boundaries come from ``data/provinces.geojson`` (OpenStreetMap, ODbL: every page that shows
the map credits "© OpenStreetMap contributors"). The file is read and projected once per process:
the path strings never change between requests, so only the fill classes are decided per page.

Pure: no database, no request. Values come in as a mapping from ISO code to number.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from html import escape
from pathlib import Path
from typing import Any, Final

from django.utils.safestring import SafeString

from tabyin.core.display import svg

GEOJSON: Final = Path(__file__).resolve().parent.parent / "data" / "provinces.geojson"
WIDTH: Final = 1000  # viewBox width; one unit is about 1.7 km, finer than the 100 m source is not needed
PAD: Final = 8
BUCKETS: Final = 5  # classes of the choropleth (quintiles); the CSS colours .q1 … .q5


@dataclass(frozen=True)
class Shape:
    iso: str
    name_fa: str
    name_en: str
    d: str  # SVG path data in the map's viewBox

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_fa


@dataclass(frozen=True)
class MapGeometry:
    width: int
    height: int
    shapes: tuple[Shape, ...]


def _rings(geometry: Mapping[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    raise ValueError(f"unexpected geometry type {geometry['type']!r}")


def _collinear(a: tuple[int, int], b: tuple[int, int], c: tuple[int, int]) -> bool:
    """True when b lies on the segment from a towards c (same direction, not a turn back)."""
    ux, uy, vx, vy = b[0] - a[0], b[1] - a[1], c[0] - b[0], c[1] - b[1]
    return ux * vy == uy * vx and ux * vx + uy * vy > 0


def _path(rings: Sequence[Sequence[tuple[int, int]]]) -> str:
    """Compact path data: an absolute move, then relative line-tos; a minus sign is a separator."""
    out: list[str] = []
    for ring in rings:
        x0, y0 = ring[0]
        out.append(f"M{x0} {y0}l")
        numbers: list[int] = []
        for (ax, ay), (bx, by) in itertools.pairwise(ring):
            numbers += [bx - ax, by - ay]
        out.append("".join(f"{n}" if n < 0 or i == 0 else f" {n}" for i, n in enumerate(numbers)))
        out.append("z")
    return "".join(out)


@cache
def geometry() -> MapGeometry:
    """Project the provinces once: equirectangular, x shrunk by cos(mid latitude).

    At Iran's size (25°–40° N) this keeps shapes close to what readers know from atlases, with
    no projection library; integer coordinates cut the page weight by more than half, and because
    shared borders have the same input points they round to the same output points (no gaps).
    """
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    features = data["features"]
    lons = [p[0] for f in features for ring in _rings(f["geometry"]) for p in ring]
    lats = [p[1] for f in features for ring in _rings(f["geometry"]) for p in ring]
    lon_min, lat_max = min(lons), max(lats)
    k = math.cos(math.radians((min(lats) + lat_max) / 2))
    scale = (WIDTH - 2 * PAD) / ((max(lons) - lon_min) * k)
    height = round((lat_max - min(lats)) * scale) + 2 * PAD

    def project(point: Sequence[float]) -> tuple[int, int]:
        return round(PAD + (point[0] - lon_min) * k * scale), round(PAD + (lat_max - point[1]) * scale)

    shapes = []
    for feature in features:
        props = feature["properties"]
        rings = []
        for ring in _rings(feature["geometry"]):
            points: list[tuple[int, int]] = []
            for p in map(project, ring):
                if points and p == points[-1]:
                    continue
                if len(points) >= 2 and _collinear(points[-2], points[-1], p):
                    points[-1] = p  # the dropped point lay on the straight line: same shape
                else:
                    points.append(p)
            if len(points) >= 4:  # a closed ring needs three corners plus the closing point
                rings.append(points)
        shapes.append(Shape(props["iso_3166_2"], props["name_fa"], props["name_en"], _path(rings)))
    shapes.sort(key=lambda s: s.iso)
    return MapGeometry(width=WIDTH, height=height, shapes=tuple(shapes))


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
