"""CSV, JSON and XLSX writers over ``DataRow``s.

* CSV is UTF-8 with CRLF line ends (RFC 4180). Excel guesses a legacy code page for a CSV
  without a byte-order mark and shows Persian as mojibake, so ``bom=True`` prepends one; it is
  off by default because most programs read the BOM into the first column name.
* A text cell whose first visible character is ``= + - @`` (or that starts with a tab or a
  carriage return) gets a leading apostrophe in CSV: spreadsheets run such cells as formulas
  (CSV injection, OWASP); the rule is ``tabyin.core.files.spreadsheet``, shared by every export.
  Numbers, dates and booleans are formatted by us and never touched, so a negative number stays a number.
* XLSX cells are typed: text is forced to a string cell (openpyxl would otherwise store
  ``=1+1`` as a formula), so no apostrophe is needed there.
* JSON numbers carry the indicator's decimals; whole numbers are integers.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from tempfile import SpooledTemporaryFile
from typing import IO, Any, Final

# openpyxl ships no type information; its objects are Any to mypy and stay inside this module.
from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped, unused-ignore]

from tabyin.core.files.spreadsheet import neutralize
from tabyin.portal.opendata.selectors.rows import COLUMNS, DataRow

BOM: Final = "\ufeff"
# Rows per chunk handed to the server: large enough to keep overhead low, small enough to stream.
_CHUNK_ROWS: Final = 500
# Excel stops at 1,048,576 rows; the header takes one.
XLSX_MAX_ROWS: Final = 1_048_575


def decimal_text(value: Decimal) -> str:
    """Plain notation, never an exponent: ``Decimal("1E+3")`` → ``"1000"``."""
    return format(value, "f")


def csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, int | date):
        return str(value) if isinstance(value, int) else value.isoformat()
    return neutralize(str(value))


def _plain(value: Decimal | None) -> Decimal | None:
    """Numerators and denominators have no published precision: drop trailing zeros."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def csv_values(row: DataRow) -> list[object]:
    values: list[object] = list(row[: len(COLUMNS)])
    values[7], values[8] = _plain(row.numerator), _plain(row.denominator)
    return values


class _Line:
    """A write target for ``csv.writer`` that hands back the line instead of storing it."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(rows: Iterable[DataRow], *, bom: bool = False) -> Iterator[str]:
    writer = csv.writer(_Line(), lineterminator="\r\n")
    head: str = writer.writerow(COLUMNS)
    yield (BOM + head) if bom else head
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow([csv_cell(v) for v in csv_values(row)]))
        if len(chunk) >= _CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def json_number(value: Decimal | None, decimals: int | None = None) -> int | float | None:
    """A JSON number. Floats round-trip any decimal of up to 15 significant digits, which is
    what every JSON reader (JavaScript included) can hold anyway; whole numbers stay exact ints."""
    if value is None:
        return None
    if decimals == 0 or (decimals is None and value == value.to_integral_value()):
        return int(value)
    return float(value)


def json_row(row: DataRow) -> dict[str, Any]:
    return {
        "indicator": row.indicator,
        "area": row.area,
        "area_name_fa": row.area_name_fa,
        "area_name_en": row.area_name_en,
        "period": row.period,
        "period_start": row.period_start.isoformat(),
        "value": json_number(row.value, row.decimals),
        "numerator": json_number(row.numerator),
        "denominator": json_number(row.denominator),
        "status": row.status,
        "suppressed": row.suppressed,
        "release": row.release,
    }


def json_chunks(meta: dict[str, Any], rows: Iterable[DataRow]) -> Iterator[str]:
    """``{...meta, "rows": [...]}`` written piece by piece, so a large table streams."""
    head = json.dumps(meta, ensure_ascii=False)
    yield head[:-1] + (', "rows": [' if meta else '"rows": [')
    chunk: list[str] = []
    first = True
    for row in rows:
        text = json.dumps(json_row(row), ensure_ascii=False)
        chunk.append(text if first else "," + text)
        first = False
        if len(chunk) >= _CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    chunk.append("]}")
    yield "".join(chunk)


def _number_format(decimals: int) -> str:
    return "0" if decimals == 0 else "0." + "0" * decimals


def xlsx_file(rows: Iterable[DataRow], about: list[tuple[str, str]]) -> IO[bytes]:
    """A workbook with a "data" sheet (header + rows) and an "about" sheet, in a temporary file.

    Write-only mode keeps memory flat however many rows there are; XLSX is a zip, so it cannot
    be sent before it is finished — the caller streams the finished file.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(list(COLUMNS))
    truncated = False
    for count, row in enumerate(rows, start=1):
        if count > XLSX_MAX_ROWS:
            truncated = True
            break
        sheet.append(
            [_xlsx_cell(sheet, index, value, row.decimals) for index, value in enumerate(csv_values(row))]
        )
    info = book.create_sheet("about")
    for key, value in about:
        info.append([_xlsx_cell(info, 0, key, 0), _xlsx_cell(info, 0, value, 0)])
    if truncated:
        info.append(["truncated", f"Excel holds {XLSX_MAX_ROWS} rows; download the CSV for the rest."])
    target: IO[bytes] = SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (returned open)
    book.save(target)
    target.seek(0)
    return target


def _xlsx_cell(sheet: Any, index: int, value: object, decimals: int) -> Any:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    elif index == COLUMNS.index("value") and isinstance(value, Decimal):
        cell.number_format = _number_format(decimals)
    return cell
