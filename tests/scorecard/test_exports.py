"""The staff downloads: the XLSX workbook cell by cell, its guard against formula injection, and
the PDFs (Persian shaped by WeasyPrint with the shipped Vazirmatn fonts, nothing fetched)."""

from __future__ import annotations

import re
import zlib
from io import BytesIO
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook

from tabyin.core.files import pdf as core_pdf
from tabyin.core.models import OrgUnit
from tabyin.scorecard import selectors
from tabyin.scorecard.exports.pdf import period_pdf, province_pdf
from tabyin.scorecard.exports.xlsx import guard_text, period_xlsx
from tabyin.scorecard.models import Indicator, Period
from tabyin.scorecard.periods.services_scoring import period_seed
from tests.scorecard.helpers import evaluator
from tests.scorecard.pub_helpers import ROWS_1404, publish, small_framework, two_years

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(org: None) -> tuple[Period, Period]:
    return two_years()


def _book(period: Period, language: str) -> Any:
    with translation.override(language):
        return load_workbook(BytesIO(period_xlsx(period)))


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


# --- XLSX -----------------------------------------------------------------------------------------


def test_xlsx_ranking_sheet(published: tuple[Period, Period]) -> None:
    book = _book(published[1], "en")

    assert book.sheetnames == ["ranking", "scores", "framework", "method"]
    rows = _rows(book["ranking"])
    assert rows[0] == (
        "Rank", "Province code", "Province", "Total score", "Band code", "Band", "Peer group",
        "Rank in peer group", "Rank interval from", "Rank interval to", "Stable rank", "Flags", "M1", "M2",
    )  # fmt: skip
    assert rows[1] == (
        1,
        "IR-23",
        "Tehran",
        96.67,
        "leading",
        "Leading",
        "large",
        1,
        1,
        1,
        True,
        None,
        95,
        100,
    )
    assert rows[2] == (
        2, "IR-20", "Semnan", 77.78, "active", "Active", "small", 1, 2, 2, True, "not_reported:S3",
        100, 33.33,
    )  # fmt: skip
    assert rows[4][:6] == (4, "IR-00", "Markazi", 0, "weak", "Needs improvement")
    assert len(rows) == 1 + 31
    assert book["ranking"].sheet_view.rightToLeft is False
    assert book["ranking"]["D2"].number_format == "0.00"


def test_xlsx_scores_sheet_has_every_input(published: tuple[Period, Period]) -> None:
    rows = _rows(_book(published[1], "en")["scores"])

    assert rows[0] == (
        "Province code", "Province", "Main indicator", "Sub-indicator code", "Sub-indicator", "Status",
        "Corrected by HQ", "Numerator", "Denominator", "Value", "Covered population", "PR staff",
        "Platform metric", "Measured value", "Score",
    )  # fmt: skip
    assert rows[1] == (
        "IR-23", "Tehran", "M1", "S1", "Media queries answered on time", "reported", False, 45, 50, 90, None,
        None, None, 90, 90,
    )  # fmt: skip
    assert rows[4] == (
        "IR-23", "Tehran", "M2", "S4", "Explainer items", "reported", False, None, None, 26, 1300000,
        None, None, 2, 100,
    )  # fmt: skip
    assert rows[5][3:] == ("S1", "Media queries answered on time", "not_applicable", False) + (None,) * 8
    assert len(rows) == 1 + 31 * 4


def test_xlsx_framework_and_method_sheets(published: tuple[Period, Period]) -> None:
    book = _book(published[1], "en")

    framework = _rows(book["framework"])
    assert framework[0][:10] == (
        "Code", "Main indicator", "Persian name", "English name", "Type", "Direction", "Normalization",
        "Denominator", "Target", "Weight",
    )  # fmt: skip
    assert [r[0] for r in framework[1:]] == ["M1", "S1", "S2", "M2", "S3", "S4"]
    assert framework[5][:10] == (
        "S3", "M2", "زمان پاسخ به شایعه", "Time to answer a rumour", "duration", "lower", "target", "none",
        24, 1,
    )  # fmt: skip
    method = dict(_rows(book["method"])[1:])
    assert method["Period"] == "1404"
    assert method["Robustness draws"] == 200
    assert method["Random seed"] == period_seed("1404")
    assert method["weight_spread"] == 0.25
    assert method["Band active from"] == 60


def test_a_persian_workbook_reads_right_to_left(published: tuple[Period, Period]) -> None:
    book = _book(published[1], "fa")

    assert all(book[name].sheet_view.rightToLeft for name in book.sheetnames)
    assert _rows(book["ranking"])[1][2] == "تهران"


def test_guard_text() -> None:
    assert guard_text("=1+1") == "'=1+1"
    assert guard_text("+98 21 1234") == "'+98 21 1234"
    assert guard_text("-2") == "'-2"
    assert guard_text("@SUM(A1)") == "'@SUM(A1)"
    assert guard_text("\t=cmd") == "'\t=cmd"
    assert guard_text("تهران = پایتخت") == "تهران = پایتخت"


def test_text_that_looks_like_a_formula_stays_text(org: None) -> None:
    OrgUnit.objects.filter(iso_code="IR-23").update(name_en='=HYPERLINK("http://example.com","x")')
    framework = small_framework()
    Indicator.objects.filter(framework=framework, code="S1").update(name_en="-1+2", name_fa="@SUM(A1)")
    period = publish("1404", framework, ROWS_1404)

    book = _book(period, "en")

    tehran = book["ranking"]["C2"]
    assert tehran.value == '\'=HYPERLINK("http://example.com","x")'
    assert tehran.data_type == "s"
    assert book["scores"]["E2"].value == "'-1+2"
    assert book["framework"]["C3"].value == "'@SUM(A1)"
    assert all(c.data_type != "f" for sheet in book for row in sheet.iter_rows() for c in row)


# --- PDF ------------------------------------------------------------------------------------------


def _streams(pdf: bytes) -> list[bytes]:
    """Every stream of the file, inflated (WeasyPrint compresses them, object streams too)."""
    out = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        start = match.end()
        end = pdf.find(b"endstream", start)
        try:
            out.append(zlib.decompressobj().decompress(pdf[start:end]))
        except zlib.error:
            continue
    return out


def _mapped_text(pdf: bytes) -> set[str]:
    """The characters the embedded fonts' ToUnicode maps can produce: the text a reader or a
    screen reader extracts is made of these (pypdf is not a dependency of the project)."""
    chars: set[str] = set()
    for stream in _streams(pdf):
        if b"begincmap" not in stream:
            continue
        for hexcode in re.findall(rb"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]{4,})>", stream):
            chars.add(bytes.fromhex(hexcode.decode()).decode("utf-16-be", errors="replace"))
    return {c for text in chars for c in text}


def _fonts(pdf: bytes) -> set[str]:
    return {
        name.decode().split("+", 1)[-1]
        for stream in [pdf, *_streams(pdf)]
        for name in re.findall(rb"/BaseFont\s*/([A-Za-z0-9+_-]+)", stream)
    }


def test_period_pdf_has_the_persian_text_in_vazirmatn(published: tuple[Period, Period]) -> None:
    pdf = period_pdf(published[1], "fa")

    assert pdf.startswith(b"%PDF-")
    assert _fonts(pdf) == {"Vazirmatn", "Vazirmatn-Bold"}
    assert set("تهرانسمکزیپیشرو۰۱۲۳۴۵۶۷۸۹٫") <= _mapped_text(pdf)


def test_province_pdf_in_english(published: tuple[Period, Period]) -> None:
    card = selectors.province_card(evaluator(), published[1], OrgUnit.objects.get(iso_code="IR-20"))

    pdf = province_pdf(card, "en")

    assert pdf.startswith(b"%PDF-")
    assert set("Semnan77.8") <= _mapped_text(pdf)


def test_the_pdf_fetcher_serves_the_shipped_fonts_and_nothing_else() -> None:
    fonts = set(core_pdf.font_paths().values())
    fetcher = core_pdf.local_fonts_fetcher()
    font = next(iter(fonts))

    assert fetcher.fetch(font.as_uri()).read()[:4] == b"wOF2"
    for url in ("https://example.com/font.woff2", "http://127.0.0.1/x", "file:///etc/passwd", "data:,x"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


def test_a_demo_sites_pdf_says_its_figures_are_samples(
    published: tuple[Period, Period], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tabyin.scorecard.exports import pdf as pdf_module

    rendered: list[str] = []

    def capture(html: str) -> bytes:
        rendered.append(html)
        return b"%PDF-"

    monkeypatch.setattr(core_pdf, "html_to_pdf", capture)
    label = "Demonstration site: the organization, people and figures shown here are sample data."
    with translation.override("en"):
        monkeypatch.setattr(pdf_module, "is_demo", lambda: False)
        period_pdf(published[1], "en")
        monkeypatch.setattr(pdf_module, "is_demo", lambda: True)
        period_pdf(published[1], "en")

    assert [label in html for html in rendered] == [False, True]


def test_a_demo_sites_workbook_opens_on_its_sample_data_notice(
    published: tuple[Period, Period], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tabyin.scorecard.exports import xlsx as xlsx_module

    label = "Demonstration site: the organization, people and figures shown here are sample data."
    with translation.override("en"):
        monkeypatch.setattr(xlsx_module, "is_demo", lambda: False)
        plain = load_workbook(BytesIO(period_xlsx(published[1])))
        monkeypatch.setattr(xlsx_module, "is_demo", lambda: True)
        demo = load_workbook(BytesIO(period_xlsx(published[1])))

    assert plain.sheetnames == ["ranking", "scores", "framework", "method"]
    assert demo.sheetnames == ["sample data", "ranking", "scores", "framework", "method"]
    assert (demo.active.title, demo["sample data"]["A1"].value) == ("sample data", label)
