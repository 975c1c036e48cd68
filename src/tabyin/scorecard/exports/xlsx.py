"""A period's results as an XLSX workbook: "ranking" (one row per province), "scores" (one row per
province × sub-indicator: raw inputs, measured value, score), "framework" (indicators, weights,
rules, bands) and "method" (the run's parameters, so the file can be recomputed on its own).

Headers follow the active language and a Persian workbook opens right-to-left. Numbers are typed
number cells (ASCII digits, as in every data file); text that a spreadsheet would run as a formula
(its first visible character = + - @, or a tab or carriage return) gets a leading apostrophe
(OWASP's advice for CSV injection; the rule every export shares, ``tabyin.core.files.spreadsheet``), and
every text cell is stored as a string cell, never as a formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any, Final

from django.utils.translation import gettext as _

# openpyxl ships no type information; its objects are Any to mypy and stay inside this module.
from openpyxl import Workbook
from openpyxl.styles import Font

from tabyin.core.demo import is_demo
from tabyin.core.files.spreadsheet import neutralize
from tabyin.core.http import page_language
from tabyin.scorecard.exports.tables import PeriodTable, band_names, decimal, local, period_table
from tabyin.scorecard.models import Period

SCORE_FORMAT: Final = "0.00"


guard_text = neutralize


def _cell(value: object) -> object:
    if value is None or isinstance(value, bool | int | Decimal | float):
        return value
    return guard_text(str(value))


def _sheet(book: Any, title: str, header: Sequence[str], rows: Iterable[Sequence[object]], rtl: bool) -> Any:
    sheet = book.create_sheet(title)
    sheet.sheet_view.rightToLeft = rtl
    sheet.append([_cell(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, whatever it starts with
            elif isinstance(cell.value, Decimal | float):
                cell.number_format = SCORE_FORMAT if cell.value == round(cell.value, 2) else "0.0###"
    sheet.freeze_panes = "A2"
    return sheet


def _ranking_rows(table: PeriodTable, language: str) -> list[list[object]]:
    names = band_names(table.bands, language)
    return [
        [
            r.rank,
            r.province.iso_code,
            local(r.province, "name", language),
            r.total,
            r.band,
            names.get(r.band, r.band),
            r.peer_group,
            r.peer_rank,
            r.rank_low,
            r.rank_high,
            r.stable,
            " ".join(r.flags),
            *[decimal(r.main_scores.get(m.code)) for m in table.mains],
        ]
        for r in table.results
    ]


def _score_rows(table: PeriodTable, language: str) -> list[list[object]]:
    parents = {m.pk: m.code for m in table.mains}
    rows: list[list[object]] = []
    for r in table.results:
        for s in r.scores.all():
            inputs = s.inputs or {}
            rows.append(
                [
                    r.province.iso_code,
                    local(r.province, "name", language),
                    parents.get(s.indicator.parent_id or 0, ""),
                    s.indicator.code,
                    local(s.indicator, "name", language),
                    s.status,
                    s.corrected,
                    decimal(inputs.get("numerator")),
                    decimal(inputs.get("denominator")),
                    decimal(inputs.get("value")),
                    inputs.get("covered_population"),
                    decimal(inputs.get("pr_staff")),
                    inputs.get("metric", ""),
                    s.measured,
                    s.score,
                ]
            )
    return rows


def _framework_rows(table: PeriodTable, language: str) -> list[list[object]]:
    parents = {m.pk: m.code for m in table.mains}
    ordered = [i for m in table.mains for i in [m, *(s for s in table.subs if s.parent_id == m.pk)]]
    return [
        [
            i.code,
            parents.get(i.parent_id or 0, ""),
            i.name_fa,
            i.name_en,
            i.kind,
            i.direction,
            i.normalization,
            i.denominator,
            i.target,
            i.weight,
            local(i, "unit", language),
            i.source,
            i.metric,
        ]
        for i in ordered
    ]


def _method_rows(table: PeriodTable) -> list[list[object]]:
    run, period = table.run, table.period
    rows: list[list[object]] = [
        [_("Period"), period.code],
        [_("State"), period.state],
        [_("Framework"), table.framework.code],
        [_("Framework version"), table.framework.version],
        [_("Computed at"), run.computed_at.isoformat()],
        [_("Robustness draws"), run.draws],
        [_("Random seed"), run.seed],
        *[[key, value] for key, value in sorted(run.params.items())],
        [_("SHA-256 of the inputs"), run.inputs_sha256],
    ]
    rows += [[_("Band %(code)s from") % {"code": b["code"]}, decimal(b["min"])] for b in table.bands]
    return rows


def period_xlsx(period: Period) -> bytes:
    """The workbook of the period's current run, in the active language."""
    table = period_table(period)
    language = page_language()
    rtl = language == "fa"
    book = Workbook()
    book.remove(book.active)
    _sheet(
        book,
        "ranking",
        [
            _("Rank"), _("Province code"), _("Province"), _("Total score"), _("Band code"), _("Band"),
            _("Peer group"), _("Rank in peer group"), _("Rank interval from"), _("Rank interval to"),
            _("Stable rank"), _("Flags"),
            *[m.code for m in table.mains],
        ],
        _ranking_rows(table, language),
        rtl,
    )  # fmt: skip
    _sheet(
        book,
        "scores",
        [
            _("Province code"), _("Province"), _("Main indicator"), _("Sub-indicator code"),
            _("Sub-indicator"), _("Status"), _("Corrected by HQ"), _("Numerator"), _("Denominator"),
            _("Value"), _("Covered population"), _("PR staff"), _("Platform metric"), _("Measured value"),
            _("Score"),
        ],
        _score_rows(table, language),
        rtl,
    )  # fmt: skip
    _sheet(
        book,
        "framework",
        [
            _("Code"), _("Main indicator"), _("Persian name"), _("English name"), _("Type"),
            _("Direction"), _("Normalization"), _("Denominator"), _("Target"), _("Weight"), _("Unit"),
            _("Data source"), _("Platform metric"),
        ],
        _framework_rows(table, language),
        rtl,
    )  # fmt: skip
    _sheet(book, "method", [_("Item"), _("Value")], _method_rows(table), rtl)
    if is_demo():
        # A file leaves the site: it must say by itself that its figures are samples, first thing.
        notice = _("Demonstration site: the organization, people and figures shown here are sample data.")
        _sheet(book, "sample data", [notice], [], rtl)
        book.move_sheet("sample data", offset=-len(book.sheetnames) + 1)
        book.active = 0
        book.properties.description = notice
    out = BytesIO()
    book.save(out)
    return out.getvalue()
