"""The radar chart: pure SVG, accessible, laid out the way the reader reads, Persian digits in
Persian, the previous period as a second (dashed) polygon, nothing that a strict CSP would block."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.utils import translation

from tabyin.scorecard.radar import CENTRE, RADIUS, Axis, describe, number, radar_svg

NS = {"s": "http://www.w3.org/2000/svg"}


def axes(previous: bool = True) -> list[Axis]:
    return [
        Axis(f"M{i:02d}", f"شاخص {i}", Decimal(i * 6), Decimal(i * 5) if previous else None)
        for i in range(1, 17)
    ]


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - our own output; also proves it is well-formed


def points(polygon: ElementTree.Element) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (p.split(",") for p in polygon.attrib["points"].split())]


def test_accessible_title_description_and_sixteen_labels() -> None:
    with translation.override("en"):
        svg = radar_svg(axes(), language="en", title="Scores of Tehran", id_prefix="r1")
    root = parse(svg)

    assert root.attrib["role"] == "img"
    assert root.attrib["aria-labelledby"] == "r1-title r1-desc"
    assert root.find("s:title", NS).text == "Scores of Tehran"  # type: ignore[union-attr]
    desc = root.find("s:desc", NS).text  # type: ignore[union-attr]
    assert desc is not None
    assert desc.startswith("Scores out of 100. M01 شاخص 1: 6.00 (previous period 5.00); M02 شاخص 2: 12.00")
    assert desc.endswith("M16 شاخص 16: 96.00 (previous period 80.00)")
    labels = [t.text for t in root.findall("s:text", NS) if t.text and t.text.startswith("M")]
    assert labels == [f"M{i:02d}" for i in range(1, 17)]


def test_two_polygons_current_filled_previous_dashed() -> None:
    root = parse(radar_svg(axes(), language="en"))
    current = root.find("s:polygon[@class='radar-current']", NS)
    previous = root.find("s:polygon[@class='radar-previous']", NS)

    assert current is not None and previous is not None
    assert previous.attrib["stroke-dasharray"] == "6 4"
    assert previous.attrib["fill"] == "none"
    # M01 (top, 6 of 100) and M05 (right in English, 30 of 100).
    assert points(current)[0] == (CENTRE, pytest.approx(CENTRE - 0.06 * RADIUS, abs=0.05))
    assert points(current)[4] == (
        pytest.approx(CENTRE + 0.30 * RADIUS, abs=0.05),
        pytest.approx(CENTRE, abs=0.05),
    )
    assert points(previous)[4][0] == pytest.approx(CENTRE + 0.25 * RADIUS, abs=0.05)


def test_persian_mirrors_the_axes_and_uses_persian_digits() -> None:
    with translation.override("fa"):
        svg = radar_svg(axes(), language="fa")
    root = parse(svg)
    current = root.find("s:polygon[@class='radar-current']", NS)
    assert current is not None

    # Reading right to left: M05 is on the left of the centre.
    assert points(current)[4][0] == pytest.approx(CENTRE - 0.30 * RADIUS, abs=0.05)
    ring_labels = [t.text for t in root.findall("s:text", NS) if t.attrib.get("font-size") == "10"]
    assert ring_labels == ["۲۵", "۵۰", "۷۵", "۱۰۰"]
    tips = [c.find("s:title", NS).text for c in root.findall("s:circle", NS)]  # type: ignore[union-attr]
    assert tips[0] == "M01: ۶٫۰۰"
    on_screen = re.sub(r"M[0-9]{2}", "", svg.split("</desc>")[1])  # codes are identifiers, not numbers
    assert not re.search(r">[^<]*[0-9][^<]*<", on_screen), "an ASCII digit is shown in Persian"


def test_without_previous_period_one_polygon_and_one_legend_entry() -> None:
    with translation.override("en"):
        svg = radar_svg(axes(previous=False), language="en")
    root = parse(svg)

    assert root.find("s:polygon[@class='radar-previous']", NS) is None
    assert "Previous period" not in svg
    assert "This period" in svg
    assert "(previous period" not in (root.find("s:desc", NS).text or "")  # type: ignore[union-attr]


def test_missing_score_is_drawn_at_the_centre_and_said_in_words() -> None:
    data = axes()
    data[2] = Axis("M03", "رسانه", None, Decimal("40"))
    with translation.override("en"):
        svg = radar_svg(data, language="en")
    current = parse(svg).find("s:polygon[@class='radar-current']", NS)
    assert current is not None

    assert points(current)[2] == (CENTRE, CENTRE)
    assert "M03 رسانه: no score (previous period 40.00)" in svg


def test_text_is_escaped_and_no_script_or_style() -> None:
    data = axes()
    data[0] = Axis("M01", "<script>alert(1)</script> & co", Decimal(50))
    svg = radar_svg(data, language="en", title='"quoted" <b>')

    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "&lt;b&gt;" in svg
    assert "style=" not in svg and "<style" not in svg
    assert 'direction="ltr"' in svg  # physical anchors keep their meaning on a right-to-left page


def test_scores_are_clamped_to_the_chart() -> None:
    data = [Axis(f"M{i:02d}", "x", Decimal(150) if i == 1 else Decimal(-5)) for i in range(1, 17)]
    current = parse(radar_svg(data, language="en")).find("s:polygon[@class='radar-current']", NS)
    assert current is not None
    first = points(current)[0]
    assert math.dist(first, (CENTRE, CENTRE)) == pytest.approx(RADIUS, abs=0.05)
    assert points(current)[1] == (CENTRE, CENTRE)


def test_fewer_than_three_axes_draw_nothing() -> None:
    assert radar_svg(axes()[:2], language="en") == ""


def test_number_and_describe() -> None:
    assert number(Decimal("72.5"), "fa") == "۷۲٫۵۰"
    assert number(None, "en") == "—"
    with translation.override("en"):
        assert (
            describe([Axis("M01", "a", 10), Axis("M02", "b", None)], "en", False)
            == "M01 a: 10.00; M02 b: no score"
        )
