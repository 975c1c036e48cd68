"""One CSV/XLSX neutralizer for every export: formulas behind invisible marks are caught too."""

from __future__ import annotations

import pytest

from tabyin.core.files.spreadsheet import neutralize
from tabyin.portal.opendata.exports.tabular import csv_cell
from tabyin.reports.cases.exports import cell as reports_cell
from tabyin.scorecard.exports.xlsx import guard_text as scorecard_text

# Each mark a spreadsheet does not show, put before a formula to slip past a first-character check.
MARKS = [
    "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069", "\u200d", "\u200c", "\ufeff", "\u200b", "\u2060", "\u061c",
]  # fmt: skip
FORMULAS = ['=HYPERLINK("http://x")', "+1+cmd", "-2+3", "@SUM(A1)"]


@pytest.mark.parametrize("mark", MARKS)
@pytest.mark.parametrize("formula", FORMULAS)
def test_a_formula_behind_invisible_marks_is_neutralized(mark: str, formula: str) -> None:
    assert neutralize(mark + formula) == "'" + mark + formula
    assert neutralize(mark + mark + formula) == "'" + mark + mark + formula


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("\n=cmd", "'\n=cmd"),
        ("  =1+1", "'  =1+1"),
        ("\uff1d1+1", "'\uff1d1+1"),  # a full-width equals sign, a formula in some locales
        ("تهران = پایتخت", "تهران = پایتخت"),
        ("\u200cمی‌خواهم", "\u200cمی‌خواهم"),
        ("\u200f", "\u200f"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_neutralize(text: str, expected: str) -> None:
    assert neutralize(text) == expected


@pytest.mark.parametrize(
    "writer", [csv_cell, reports_cell, scorecard_text], ids=["portal", "reports", "scorecard"]
)
def test_every_export_shares_the_rule(writer: object) -> None:
    assert callable(writer)
    assert str(writer('\u200f=HYPERLINK("http://x")')).startswith("'")
    assert str(writer("\u2067@SUM(A1)")).startswith("'")
    assert writer("تهران") == "تهران"
