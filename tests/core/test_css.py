"""The shell's stylesheet: logical properties only, and colour pairs that meet WCAG 2.1 AA."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "src" / "tabyin" / "static"
SHEETS = sorted(STATIC.rglob("*.css"))


def _declarations(css: str) -> list[tuple[str, str]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return re.findall(r"([a-z-]+)\s*:\s*([^;{}]+)", css)


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.name)
def test_no_physical_left_right_properties(sheet: Path) -> None:
    physical = re.compile(r"^(margin|padding|border)-(left|right)|^(left|right)$|^float$|^clear$")
    values = re.compile(r"\b(left|right)\b")

    bad = [
        (prop, value.strip())
        for prop, value in _declarations(sheet.read_text())
        if physical.match(prop) or (prop == "text-align" and values.search(value))
    ]

    assert bad == []


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_palette_pairs_meet_wcag_aa_for_normal_text() -> None:
    css = (STATIC / "tabyin" / "css" / "shell.css").read_text()
    var = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = {
        "text on paper": (var["ink"], var["paper"]),
        "muted text on wash": (var["muted"], var["wash"]),
        "links on paper": (var["brand"], var["paper"]),
        "header text on brand": (var["brand-ink"], var["brand"]),
        "errors on paper": (var["bad"], var["paper"]),
        "good status on paper": (var["good"], var["paper"]),
        "demo banner": ("#5c3d00", "#fff4d6"),
    }

    ratios = {name: round(_contrast(*pair), 2) for name, pair in pairs.items()}

    assert all(ratio >= 4.5 for ratio in ratios.values()), ratios
