"""Cells of an uploaded table as text and numbers: what a publisher's CSV or XLSX cell holds.

A number may come with Persian digits and separators («۱٬۲۳۴٫۵»), thousands grouped by three (a
decimal comma is refused, never read as a thousand), or a sign; a cell a spreadsheet would run as a
formula is recognised so that it is never stored. XLSX cells become the text a CSV would carry.
openpyxl is imported when a workbook is read, not at start-up.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Final
from xml.etree.ElementTree import ParseError

from tabyin.core.persian_text import digits_to_ascii

# A two-digit exponent at most: Decimal refuses (InvalidOperation) exponents beyond its limits.
PLAIN_NUMBER: Final = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,2})?", re.ASCII)
GROUPED_NUMBER: Final = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", re.ASCII)
SEPARATORS: Final = str.maketrans(
    {"٫": ".", "٬": ",", " ": ",", "\u00a0": ",", "\u202f": ",", "\u2009": ",", "\u2212": "-"}
)
NUMBER_AFTER_SIGN: Final = frozenset(".٫")


def fmt(number: Decimal) -> str:
    """Plain notation without trailing zeros, for messages: ``Decimal("1.2000")`` -> ``"1.2"``."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_number(text: str) -> tuple[Decimal | None, bool]:
    """Return (number, or None for an empty cell; whether Persian digits or separators were converted).

    Raises ``ValueError`` for anything else. Thousands separators must group by three, so a decimal
    comma ("1234,5") is refused instead of being read as 12345.
    """
    s = text.strip()
    if not s:
        return None, False
    if PLAIN_NUMBER.fullmatch(s):
        return Decimal(s), False
    t = digits_to_ascii(s).translate(SEPARATORS)
    if PLAIN_NUMBER.fullmatch(t):
        return Decimal(t), True
    if GROUPED_NUMBER.fullmatch(t):
        return Decimal(t.replace(",", "")), True
    raise ValueError(text)


def is_formula(cell: str) -> bool:
    """What a spreadsheet would run: "=…", "@…", a sign before a non-number, a leading tab or CR."""
    first = cell[0]
    if first in "=@\t\r":
        return True
    return len(cell) > 1 and not (cell[1].isdigit() or cell[1] in NUMBER_AFTER_SIGN)


def xlsx_errors() -> tuple[type[BaseException], ...]:
    # openpyxl (half a second with numpy) is imported when a workbook is read, not when the admin
    # is loaded: every command's start-up paid for it.
    from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped, unused-ignore]

    return (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, ParseError)


def xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value  # a formula cell reads as "=…": the workbook is opened with data_only=False
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, bool | int | Decimal | datetime | date | time):
        return value.isoformat() if isinstance(value, datetime | date | time) else str(value)
    return "=" + str(getattr(value, "text", ""))  # array and data-table formulas are objects


def xlsx_rows(content: bytes) -> Iterator[list[str]]:
    # openpyxl ships no type information; it is only used to turn cells into text here.
    import openpyxl  # type: ignore[import-untyped, unused-ignore]

    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            yield [xlsx_text(v) for v in values]
    finally:
        workbook.close()
