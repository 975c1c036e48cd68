"""The map of Iran's 31 provinces, drawn on the server as SVG: the geometry every map shares, and a
locator map (every province drawn, some marked) for pages that say where something is.

The boundaries come from ``core/data/provinces.geojson`` (OpenStreetMap, ODbL: every page that
shows a map credits "© OpenStreetMap contributors"). The file is read and projected once per
process: the path strings never change between requests, so only the classes are decided per page.
The portal's choropleth (``portal.public.geo``) draws on the same geometry.

Pure: no database, no request.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any, Final

from django.utils.safestring import SafeString

from tabyin.core.display import svg

GEOJSON: Final = Path(__file__).resolve().parent.parent / "data" / "provinces.geojson"
WIDTH: Final = 1000  # viewBox width; one unit is about 1.7 km, finer than the 100 m source is not needed
PAD: Final = 8


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


@dataclass(frozen=True)
class Marked:
    """A province a locator map marks: its accessible name (``label``) and, optionally, a link."""

    iso: str
    label: str
    href: str = ""


def locator(
    marked: Sequence[Marked], *, title: str, desc: str, language: str, chart_id: str = "locator"
) -> SafeString:
    """Every province drawn pale, the ``marked`` ones filled (CSS ``.province.marked``), as one
    ``<svg>``. Each province has a ``<title>`` (its name, or the marked label); a marked province with
    an address is a link. The page says the same in words (a caption or a table): the map only
    shows where."""
    geo = geometry()
    by_iso = {m.iso: m for m in marked}
    role = "group" if any(m.href for m in marked) else "img"
    parts = [
        svg.svg_open(
            "map locator",
            width=geo.width,
            height=geo.height,
            chart_id=chart_id,
            title=title,
            desc=desc,
            role=role,
        )
    ]
    # Marked provinces last, so their outline is drawn over their neighbours'.
    for shape in sorted(geo.shapes, key=lambda s: s.iso in by_iso):
        mark = by_iso.get(shape.iso)
        title_tag = f"<title>{escape(mark.label if mark else shape.name(language))}</title>"
        path = f'<path class="province{" marked" if mark else ""}" d="{shape.d}">'
        if mark and mark.href:
            parts.append(f'<a href="{escape(mark.href)}">{title_tag}{path}</path></a>')
        else:
            parts.append(f"{path}{title_tag}</path>")
    return svg.svg_close(parts)  # every text above is escaped
