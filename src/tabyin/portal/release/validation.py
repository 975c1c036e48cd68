"""Validation of a data publisher's upload: a CSV or XLSX file in long format, one figure a row.

Pure: no database, no settings. The caller passes the indicator rules, the area codes, the current
Jalali month and the recent published values, so the same file always gives the same report and a
40,000-row file is checked in well under a second (no per-row query, no per-row regex compile).

Every problem is an ``Issue`` in Persian and English with its row (the spreadsheet row number, header
= 1) and column. Errors block the release; warnings are shown and do not.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any, Final, NamedTuple

from tabyin.core.jalali import parse_period_code
from tabyin.core.persian_text import digits_to_ascii, normalize
from tabyin.portal.enums import NATIONAL, Kind
from tabyin.portal.release.cells import fmt, is_formula, parse_number, xlsx_errors, xlsx_rows

__all__ = ["IndicatorRule", "Issue", "ParseResult", "ParsedRow", "parse_number", "parse_release"]

MAX_ISSUES: Final = 200
MAX_CELL_CHARS: Final = 10_000
SUM_TOLERANCE: Final = Decimal("0.001")  # provinces may differ from the nation by rounding only
OUTLIER_DEVIATION: Final = Decimal("0.5")
OUTLIER_MIN_HISTORY: Final = 6
HISTORY_LENGTH: Final = 12
# Observation columns are DECIMAL(24, 4): round to what is stored rather than fail on save.
_PLACES: Final = Decimal("0.0001")
_TOO_LARGE: Final = Decimal(10) ** 20

_COLUMNS: Final = {
    "indicator": ("indicator", "شاخص", "کد شاخص"),
    "area": ("area", "province", "منطقه", "استان"),
    "period": ("period", "month", "دوره", "ماه"),
    "value": ("value", "مقدار"),
    "numerator": ("numerator", "صورت"),
    "denominator": ("denominator", "مخرج"),
}
_ALIASES: Final = {normalize(a).lower(): name for name, aliases in _COLUMNS.items() for a in aliases}
_REQUIRED: Final = ("indicator", "area", "period", "value")
_COLUMN_FA: Final = {"indicator": "شاخص", "area": "منطقه", "period": "دوره", "value": "مقدار"}

_FORMULA_START: Final = frozenset("=+-@\t\r")
_MAYBE_FORMULA: Final = re.compile("(?:^|\x00)[=+\\-@\t\r]")
_DELIMITERS: Final = (",", ";", "\t", "؛")


_NO_HISTORY: Final[Mapping[tuple[str, str], Sequence[Decimal]]] = MappingProxyType({})
_NO_OTHERS: Final[Mapping[str, str]] = MappingProxyType({})


from tabyin.portal.release.validation_messages import MESSAGES as _MESSAGES  # noqa: E402


@dataclass(frozen=True, slots=True)
class IndicatorRule:
    code: str
    kind: str  # a Kind value
    factor: int = 1
    decimals: int = 0
    national_only: bool = False
    requires_num_le_den: bool = False  # shares (factor 100) are a part of a whole
    suppress_below: int | None = None


@dataclass(frozen=True, slots=True)
class Issue:
    row: int | None
    column: str | None
    code: str
    fa: str
    en: str

    @classmethod
    def of(cls, row: int | None, column: str | None, code: str, /, **fields: object) -> Issue:
        fa, en = _MESSAGES[code]
        return cls(row, column, code, fa.format(**fields), en.format(**fields))

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "fa": self.fa, "en": self.en}


class ParsedRow(NamedTuple):  # a tuple, not a frozen dataclass: 40,000 of them are built per file
    line: int
    indicator: str
    area: str
    period: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None


@dataclass
class ParseResult:
    rows: list[ParsedRow]
    errors: list[Issue]
    warnings: list[Issue]
    periods: list[str]


def _size(n: int) -> tuple[str, str]:
    if n >= 1024 * 1024:
        return f"{n / 1048576:.1f} مگابایت", f"{n / 1048576:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} کیلوبایت", f"{n / 1024:.1f} KB"
    return f"{n} بایت", f"{n} bytes"


class _Issues:
    def __init__(self) -> None:
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.error_count = self.warning_count = 0

    def error(self, row: int | None, column: str | None, code: str, /, **fields: object) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ISSUES:
            self.errors.append(Issue.of(row, column, code, **fields))

    def warn(self, row: int | None, column: str | None, code: str, /, **fields: object) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_ISSUES:
            self.warnings.append(Issue.of(row, column, code, **fields))

    def result(self, rows: list[ParsedRow]) -> ParseResult:
        if cut := self.error_count - len(self.errors):
            self.errors.append(Issue.of(None, None, "too_many_errors", n=cut))
        if cut := self.warning_count - len(self.warnings):
            self.warnings.append(Issue.of(None, None, "too_many_warnings", n=cut))
        periods = sorted({r.period for r in rows})
        return ParseResult(rows=rows, errors=self.errors, warnings=self.warnings, periods=periods)


def _open_table(file_name: str, content: bytes, issues: _Issues) -> Iterator[list[str]] | None:
    suffix = file_name.lower().rpartition(".")[2]
    if suffix == "xlsx":
        return xlsx_rows(content)
    if suffix != "csv":
        issues.error(None, None, "unsupported_format")
        return None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        issues.error(None, None, "not_utf8")
        return None
    end = text.find("\n")
    first_line = text[: end if end >= 0 else len(text)]
    # Excel in some locales separates with ";" (or the Arabic "؛"); the header line tells which.
    delimiter = max(_DELIMITERS, key=first_line.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def parse_release(
    *,
    file_name: str,
    content: bytes,
    rules: Mapping[str, IndicatorRule],
    areas: frozenset[str],
    today_period: str,
    max_bytes: int,
    history: Mapping[tuple[str, str], Sequence[Decimal]] = _NO_HISTORY,
    other_datasets: Mapping[str, str] = _NO_OTHERS,
) -> ParseResult:
    """Check a whole upload and return its valid rows and every issue.

    ``history`` maps (indicator, area) to recent published values, oldest first. ``other_datasets``
    maps indicator codes of other datasets to their dataset's slug, for a clearer error than
    "unknown indicator".
    """
    issues = _Issues()
    if len(content) > max_bytes:
        (size_fa, size_en), (limit_fa, limit_en) = _size(len(content)), _size(max_bytes)
        issues.error(None, None, "file_too_large", size_fa=size_fa, size_en=size_en, limit_fa=limit_fa,
                     limit_en=limit_en)  # fmt: skip
        return issues.result([])
    table = _open_table(file_name, content, issues)
    if table is None:
        return issues.result([])
    checker = _RowChecker(rules, areas, today_period, other_datasets, issues)
    line = 0
    unreadable: tuple[type[BaseException], ...] = (csv.Error, *xlsx_errors())
    try:
        for line, cells in enumerate(table, start=1):
            if not "".join(cells).strip():
                continue
            if max(map(len, cells)) > MAX_CELL_CHARS:
                # Our own limit, so the answer does not depend on whoever last set the csv
                # module's process-wide field_size_limit (frictionless raises it, for one).
                issues.error(line, None, "unreadable")
                return issues.result([])
            if checker.columns is not None:
                checker.row(line, cells)
            elif not checker.header(line, cells):
                return issues.result([])
    except unreadable:
        issues.error(line + 1 if line else None, None, "unreadable")
        return issues.result([])
    if checker.columns is None:
        issues.error(None, None, "empty")
    elif not checker.rows and not issues.error_count:
        issues.error(None, None, "no_rows")
    checker.summarize()
    _check_sums(checker.rows, rules, areas, issues)
    _check_outliers(checker.rows, history, issues)
    return issues.result(checker.rows)


class _RowChecker:
    """Per-row checks, keeping what later rows need: keys seen, periods checked, counters."""

    def __init__(
        self,
        rules: Mapping[str, IndicatorRule],
        areas: frozenset[str],
        today: str,
        others: Mapping[str, str],
        issues: _Issues,
    ) -> None:
        self.rules, self.areas, self.today, self.others, self.issues = rules, areas, today, others, issues
        self.columns: dict[str, int] | None = None
        self.names: list[str] = []
        self.width = 0
        self.rows: list[ParsedRow] = []
        self.seen: dict[tuple[str, str, str], int] = {}
        self.period_problem: dict[str, str] = {}  # period -> "" (fine), "bad_period" or "future_period"
        self.converted: list[int] = []  # rows where digits or separators were converted
        self.ignored: list[int] = []  # rows of non-rate indicators that had a numerator/denominator
        provinces = sorted(areas - {NATIONAL})
        self.area_hint = f"{provinces[0]} … {provinces[-1]}" if provinces else ""

    def header(self, line: int, cells: list[str]) -> bool:
        columns: dict[str, int] = {}
        before = self.issues.error_count
        for idx, cell in enumerate(cells):
            key = normalize(cell).lower()
            name = _ALIASES.get(key)
            self.names.append(name or cell.strip() or f"#{idx + 1}")
            if name is None:
                if key:
                    self.issues.warn(line, cell.strip(), "unknown_column", name=cell.strip())
            elif name in columns:
                self.issues.error(line, name, "duplicate_column", name=name)
            else:
                columns[name] = idx
        for name in _REQUIRED:
            if name not in columns:
                self.issues.error(line, name, "missing_column", name=name, name_fa=_COLUMN_FA[name])
        if self.issues.error_count > before:
            return False
        self.columns, self.width = columns, len(cells)
        self.i_num, self.i_den = columns.get("numerator"), columns.get("denominator")
        return True

    def _name(self, idx: int) -> str:
        return self.names[idx] if idx < len(self.names) else f"#{idx + 1}"

    def _number(self, cells: list[str], idx: int | None, line: int) -> tuple[bool, Decimal | None]:
        if idx is None or not cells[idx]:
            return True, None
        try:
            value, converted = parse_number(cells[idx])
        except ValueError:
            self.issues.error(line, self._name(idx), "not_a_number", text=cells[idx].strip()[:40])
            return False, None
        if converted:
            self.converted.append(line)
        if value is not None and abs(value) >= _TOO_LARGE:
            self.issues.error(line, self._name(idx), "too_large")
            return False, None
        return True, None if value is None else value.quantize(_PLACES, ROUND_HALF_UP)

    def _ascii(self, text: str, line: int) -> str:
        if text.isascii():
            return text
        self.converted.append(line)
        return digits_to_ascii(text)

    def row(self, line: int, cells: list[str]) -> None:
        issues, columns = self.issues, self.columns
        assert columns is not None
        before = issues.error_count
        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        if _MAYBE_FORMULA.search("\x00".join(cells)):  # one C-level scan; most rows have no sign at all
            for idx, cell in enumerate(cells):
                if cell and cell[0] in _FORMULA_START and is_formula(cell):
                    issues.error(line, self._name(idx), "formula")
            if issues.error_count > before:
                return
        code, rule, area, period = self._key(line, cells, columns)
        ok_value, value = self._number(cells, columns["value"], line)
        ok_num, numerator = self._number(cells, self.i_num, line)
        ok_den, denominator = self._number(cells, self.i_den, line)
        if rule is not None and ok_value and ok_num and ok_den:
            if rule.kind != Kind.RATE and (numerator is not None or denominator is not None):
                self.ignored.append(line)
                numerator = denominator = None
            value = self._value(line, rule, value, numerator, denominator)
        if rule is not None and area and period:
            first = self.seen.setdefault((code, area, period), line)
            if first != line:
                issues.error(line, None, "duplicate_row", first=first)
        if issues.error_count == before:
            self.rows.append(ParsedRow(line, code, area, period, value, numerator, denominator))

    def _key(
        self, line: int, cells: list[str], columns: dict[str, int]
    ) -> tuple[str, IndicatorRule | None, str, str]:
        """Check indicator, area and period; an invalid area or period comes back as ""."""
        issues = self.issues
        code = cells[columns["indicator"]].strip().lower()
        rule = self.rules.get(code)
        if rule is None and code in self.others:
            issues.error(line, "indicator", "other_dataset", code=code, dataset=self.others[code])
        elif rule is None:
            issues.error(line, "indicator", "unknown_indicator", code=code)
        written = cells[columns["area"]].strip()
        area = self._ascii(written.upper(), line)
        if area not in self.areas:
            issues.error(line, "area", "unknown_area", area=written[:40], hint=self.area_hint)
            area = ""
        elif rule is not None and rule.national_only and area != NATIONAL:
            issues.error(line, "area", "national_only", code=code)
        period = self._ascii(cells[columns["period"]].strip(), line)
        if (problem := self.period_problem.get(period)) is None:
            problem = self.period_problem[period] = self._period_problem(period)
        if problem:
            issues.error(line, "period", problem, period=period, today=self.today)
        return code, rule, area, "" if problem else period

    def _period_problem(self, period: str) -> str:
        try:
            parse_period_code(period)
        except ValueError:
            return "bad_period"
        return "future_period" if period > self.today else ""

    def _value(
        self, line: int, rule: IndicatorRule, value: Decimal | None, num: Decimal | None, den: Decimal | None
    ) -> Decimal | None:
        """Check the value against its kind; a rate's empty value is computed from its parts."""
        err = self.issues.error
        if (num is None) != (den is None):
            err(line, "denominator" if den is None else "numerator", "pair_required")
        elif num is not None and den is not None:
            if num < 0 or den < 0:
                err(line, "numerator" if num < 0 else "denominator", "negative_part")
            elif den == 0:
                err(line, "denominator", "zero_denominator")
            elif rule.requires_num_le_den and num > den:
                err(line, "numerator", "numerator_above_denominator", num=fmt(num), den=fmt(den))
            else:
                exact = num / den * rule.factor
                unit = Decimal(1).scaleb(-rule.decimals)
                expected = exact.quantize(unit, ROUND_HALF_UP)
                if value is None:
                    value = expected.quantize(_PLACES)
                elif abs(value - exact) > unit / 2:
                    fields = {"value": fmt(value), "factor": rule.factor, "expected": fmt(expected)}
                    err(line, "value", "rate_mismatch", **fields)
        if value is None:
            if num is None and den is None:
                err(line, "value", "value_missing")
        elif rule.kind == Kind.LEVEL and value < 0:
            err(line, "value", "negative")
        elif rule.requires_num_le_den and not 0 <= value <= rule.factor:
            err(line, "value", "rate_out_of_range", factor=rule.factor)
        return value

    def summarize(self) -> None:
        if self.converted:
            self.issues.warn(self.converted[0], None, "digits_converted", n=len(self.converted))
        if self.ignored:
            self.issues.warn(self.ignored[0], None, "numerator_ignored", n=len(self.ignored))


def _check_sums(
    rows: list[ParsedRow], rules: Mapping[str, IndicatorRule], areas: frozenset[str], issues: _Issues
) -> None:
    """Where every province and the nation are present, the provinces must add up to the nation."""
    additive = {code for code, rule in rules.items() if rule.kind in (Kind.LEVEL, Kind.AMOUNT)}
    groups: dict[tuple[str, str], dict[str, Decimal]] = {}
    national_lines: dict[tuple[str, str], int] = {}
    for r in rows:
        if r.indicator in additive and r.value is not None:
            groups.setdefault((r.indicator, r.period), {})[r.area] = r.value
            if r.area == NATIONAL:
                national_lines[(r.indicator, r.period)] = r.line
    for (code, period), by_area in groups.items():
        national = by_area.pop(NATIONAL, None)
        if national is None or len(by_area) != len(areas) - 1:
            continue
        total = sum(by_area.values(), Decimal(0))
        if abs(total - national) > abs(national) * SUM_TOLERANCE:
            line, fields = national_lines[(code, period)], {"total": fmt(total), "national": fmt(national)}
            issues.error(line, "value", "sum_mismatch", code=code, period=period, **fields)


def _check_outliers(
    rows: list[ParsedRow], history: Mapping[tuple[str, str], Sequence[Decimal]], issues: _Issues
) -> None:
    """A province figure far from its recent median is often a typo (a zero too many): ask to check."""
    medians: dict[tuple[str, str], Decimal | None] = {}
    for r in rows:
        if r.area == NATIONAL or r.value is None:
            continue
        key = (r.indicator, r.area)
        if key not in medians:
            recent = list(history.get(key, ()))[-HISTORY_LENGTH:]
            medians[key] = statistics.median(recent) if len(recent) >= OUTLIER_MIN_HISTORY else None
        median = medians[key]
        if median is None or median == 0 or abs(r.value - median) <= abs(median) * OUTLIER_DEVIATION:
            continue
        issues.warn(r.line, "value", "outlier", value=fmt(r.value), median=fmt(median))
