"""The SVG chart toolkit (core.display.svg): exact markup for the shared parts of every chart."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from tabyin.core.display import svg


def test_svg_open_is_accessible_and_escapes() -> None:
    head = svg.svg_open("chart line-chart", width=480, height=270, chart_id="s", title="A <b>", desc="B & C")
    assert head == (
        '<svg class="chart line-chart" viewBox="0 0 480 270" role="img" aria-labelledby="s-title s-desc" '
        'direction="ltr"><title id="s-title">A &lt;b&gt;</title><desc id="s-desc">B &amp; C</desc>'
    )
    closed = svg.svg_close([head, "<g/>"])
    root = ElementTree.fromstring(closed)  # noqa: S314 - our own output; also proves it is well-formed
    assert root.attrib["role"] == "img"
    assert root.find("title") is not None and root.find("title").text == "A <b>"  # type: ignore[union-attr]


def test_svg_open_standalone_group_with_attributes() -> None:
    head = svg.svg_open(
        "radar",
        width=10,
        height=20,
        chart_id="r",
        title="t",
        desc="d",
        role="group",
        standalone=True,
        attrs='font-family="Vazirmatn"',
    )
    assert head.startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" class="radar" viewBox="0 0 10 20" role="group" '
        'aria-labelledby="r-title r-desc" direction="ltr" font-family="Vazirmatn">'
    )
    assert svg.svg_open_decorative("spark", width=120, height=28) == (
        '<svg class="spark" viewBox="0 0 120 28" aria-hidden="true" focusable="false">'
    )


def test_coord() -> None:
    assert [svg.coord(x) for x in (0, 12.0, 12.34, 12.35, -3.96, 220)] == [
        "0",
        "12",
        "12.3",
        "12.3",
        "-4",
        "220",
    ]


def test_scales_follow_the_reading_direction() -> None:
    ltr = svg.reading_scale(0, 10, left=40, right=240, rtl=False)
    rtl = svg.reading_scale(0, 10, left=40, right=240, rtl=True)
    assert (ltr(0), ltr(5), ltr(10)) == (40, 140, 240)
    assert (rtl(0), rtl(5), rtl(10)) == (240, 140, 40)
    flat = svg.Scale(3, 3, 100, 200)
    assert flat(3) == 150  # one point: the middle of the axis
    y = svg.Scale(0, 100, 200, 10)  # value axis, growing upwards
    assert (y(0), y(50), y(100)) == (200, 105, 10)


def test_anchor() -> None:
    assert [svg.anchor(a, False) for a in ("start", "middle", "end")] == ["start", "middle", "end"]
    assert [svg.anchor(a, True) for a in ("start", "middle", "end")] == ["end", "middle", "start"]


@pytest.mark.parametrize(
    ("low", "high", "whole", "ticks"),
    [
        (1_000_000, 1_024_315, False, [1_000_000, 1_010_000, 1_020_000, 1_030_000]),
        (41.0, 71.2, False, [40, 50, 60, 70, 80]),
        (5, 5, False, [4.5, 4.75, 5.0, 5.25, 5.5]),  # a flat series gets a band around it
        (0, 0, False, [-1.0, -0.5, 0.0, 0.5, 1.0]),
        (-7, 3, False, [-7.5, -5.0, -2.5, 0.0, 2.5, 5.0]),
        (0.012, 0.031, False, [0.01, 0.015, 0.02, 0.025, 0.03, 0.035]),
        (0, 1234, True, [0, 500, 1000, 1500]),
        (0, 3, True, [0, 1, 2, 3]),  # counts: whole steps of at least one
        (0, 7, True, [0, 2, 4, 6, 8]),
        (0, 0, True, [0, 1]),
    ],
)
def test_nice_ticks(low: float, high: float, whole: bool, ticks: list[float]) -> None:
    assert svg.nice_ticks(low, high, whole=whole) == pytest.approx(ticks)


def test_tick_places_and_labels() -> None:
    assert svg.tick_places(10, 2) == 2
    assert svg.tick_places(0.005, 1) == 3
    assert svg.tick_places(0.25, 0) == 1
    assert svg.tick_places(1000, 5) == 3
    assert svg.tick_labels([-1000.0, 0.0, 1500.0], "fa") == ["−۱٬۰۰۰", "۰", "۱٬۵۰۰"]
    assert svg.tick_labels([-1000.0, 0.0, 1500.0], "en", 1) == ["-1,000.0", "0.0", "1,500.0"]


def test_y_grid_labels_sit_on_the_reading_start_side() -> None:
    y = svg.Scale(0, 10, 100, 0)
    ltr = svg.y_grid([0, 10], ["0", "10"], y=y, x0=40, x1=300, label_x=34, rtl=False)
    assert ltr == (
        '<g class="grid"><line x1="40" x2="300" y1="100" y2="100"/>'
        '<text class="tick" x="34" y="100" dy="0.35em" text-anchor="end">0</text>'
        '<line x1="40" x2="300" y1="0" y2="0"/>'
        '<text class="tick" x="34" y="0" dy="0.35em" text-anchor="end">10</text></g>'
    )
    rtl = svg.y_grid([0], ["۰"], y=y, x0=10, x1=280, label_x=286.5, rtl=True)
    assert '<text class="tick" x="286.5" y="100" dy="0.35em" text-anchor="start">۰</text>' in rtl


def test_line_legend() -> None:
    items = [svg.LegendItem("This <period>", "#0b4f8a"), svg.LegendItem("Before", "#8a4b00", dashed=True)]
    assert svg.line_legend(items, y=458, width=440, rtl=False, ink="#111") == (
        '<line x1="16" y1="454" x2="40" y2="454" stroke="#0b4f8a" stroke-width="3"/>'
        '<text x="46" y="458" text-anchor="start" font-size="13" fill="#111">This &lt;period&gt;</text>'
        '<line x1="236" y1="454" x2="260" y2="454" stroke="#8a4b00" stroke-width="3" stroke-dasharray="6 4"/>'
        '<text x="266" y="458" text-anchor="start" font-size="13" fill="#111">Before</text>'
    )
    fa = svg.line_legend(items[:1], y=458, width=440, rtl=True, ink="#111")
    assert fa == (
        '<line x1="424" y1="454" x2="400" y2="454" stroke="#0b4f8a" stroke-width="3"/>'
        '<text x="394" y="458" text-anchor="end" font-size="13" fill="#111">This &lt;period&gt;</text>'
    )
