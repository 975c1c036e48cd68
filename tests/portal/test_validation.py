"""Pure checks of an upload (no database): every malformed kind a publisher's file can have."""

from __future__ import annotations

import io
import time
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tabyin.portal.release.series import changes, previous_month, year_earlier
from tabyin.portal.release.validation import IndicatorRule, Issue, ParsedRow, ParseResult, parse_release

SAMPLES = Path(__file__).parent / "samples"
PROVINCES = tuple(f"IR-{i:02d}" for i in range(31))
AREAS = frozenset(["IR", *PROVINCES])
TODAY = "1404-06"
OUTPATIENT = "outpatient-services-per-day"
RULES = {
    OUTPATIENT: IndicatorRule(OUTPATIENT, "level", suppress_below=10),
    "bed-occupancy": IndicatorRule("bed-occupancy", "rate", factor=100, decimals=1, requires_num_le_den=True),
    "support-ratio": IndicatorRule("support-ratio", "rate", factor=1, decimals=2),
    "pensions-paid": IndicatorRule("pensions-paid", "amount"),
    "government-debt": IndicatorRule("government-debt", "amount", national_only=True),
}
HEADER = "indicator,area,period,value,numerator,denominator\n"


def parse(
    content: str | bytes,
    *,
    file_name: str = "upload.csv",
    max_bytes: int = 10**7,
    history: Mapping[tuple[str, str], Sequence[Decimal]] | None = None,
    others: Mapping[str, str] | None = None,
) -> ParseResult:
    return parse_release(
        file_name=file_name,
        content=content.encode() if isinstance(content, str) else content,
        rules=RULES,
        areas=AREAS,
        today_period=TODAY,
        max_bytes=max_bytes,
        history=history or {},
        other_datasets=others or {},
    )


def sample(name: str, **kwargs: object) -> ParseResult:
    return parse((SAMPLES / name).read_bytes(), file_name=name, **kwargs)  # type: ignore[arg-type]


def codes(issues: list[Issue]) -> list[tuple[int | None, str | None, str]]:
    return [(i.row, i.column, i.code) for i in issues]


def row(line: int, area: str, value: str | None, *, indicator: str = OUTPATIENT, period: str = "1404-05",
        numerator: str | None = None, denominator: str | None = None) -> ParsedRow:  # fmt: skip
    dec = lambda v: None if v is None else Decimal(v)  # noqa: E731
    return ParsedRow(line, indicator, area, period, dec(value), dec(numerator), dec(denominator))


# --- Samples: the malformed kinds publishers send -------------------------------------------------


def test_a_valid_file_with_a_bom_gives_its_rows_and_no_issue() -> None:
    result = sample("valid.csv")

    assert result.rows == [row(2, "IR-23", "152340"), row(3, "IR", "1034120")]
    assert (result.errors, result.warnings, result.periods) == ([], [], ["1404-05"])


def test_a_windows_1256_file_is_refused_with_the_excel_hint() -> None:
    result = sample("windows-1256.csv")

    assert result.errors == [
        Issue(None, None, "not_utf8",
              "پرونده با کدگذاری UTF-8 نیست؛ در اکسل هنگام ذخیره «CSV UTF-8» را انتخاب کنید.",
              "the file is not UTF-8; in Excel use 'CSV UTF-8'")
    ]  # fmt: skip
    assert result.rows == []


def test_persian_digits_and_separators_are_converted_with_one_warning() -> None:
    result = sample("persian-digits.csv")

    assert result.errors == []
    assert result.rows == [row(2, "IR-23", "152340"), row(3, "IR-23", "81.4", indicator="bed-occupancy")]
    assert result.warnings == [
        Issue(2, None, "digits_converted",
              "در 3 خانه رقم فارسی/عربی یا جداکنندهٔ هزارگان بود و به عدد استاندارد تبدیل شد.",
              "3 cells had Persian/Arabic digits or separators; they were converted")
    ]  # fmt: skip


def test_a_missing_column_is_named_and_nothing_is_read() -> None:
    result = sample("missing-column.csv")

    assert result.errors == [
        Issue(1, "period", "missing_column", "ستون «period» (دوره) در سطر عنوان نیست.",
              "the required column 'period' is missing from the header row")
    ]  # fmt: skip
    assert result.rows == []


def test_unknown_provinces_are_errors_on_their_rows() -> None:
    result = sample("unknown-province.csv")

    assert codes(result.errors) == [(2, "area", "unknown_area"), (3, "area", "unknown_area")]
    assert (
        result.errors[1].en
        == "unknown area code 'Tehran': use IR for the country or IR-00 … IR-30 for a province"
    )
    assert result.rows == []


def test_a_file_over_the_limit_is_refused_before_parsing() -> None:
    result = sample("valid.csv", max_bytes=100)

    assert result.errors == [
        Issue(None, None, "file_too_large", "حجم پرونده 127 بایت است و از سقف 100 بایت بیشتر است.",
              "the file is 127 bytes, more than the limit of 100 bytes")
    ]  # fmt: skip


def test_formulas_in_a_csv_are_refused_but_a_negative_number_is_a_number() -> None:
    result = sample("formula.csv")

    assert codes(result.errors) == [
        (2, "value", "formula"),
        (3, "value", "formula"),
        (4, "value", "negative"),
    ]
    assert result.errors[0].en == "formulas are not accepted; enter the value"
    assert result.errors[0].fa == "فرمول پذیرفته نیست؛ خود مقدار را بنویسید."


@pytest.mark.parametrize(
    ("cell", "formula"),
    [("=1+2", True), ("+A1", True), ("-A1", True), ("@SUM(A1)", True), ("\tx", True), ("\rx", True),
     ("-5", False), ("+5", False), ("-.5", False), ("-۵", False), ("-", False), ("abc", False)],
)  # fmt: skip
def test_what_counts_as_a_formula_in_a_csv_cell(cell: str, formula: bool) -> None:
    result = parse(f'{HEADER}pensions-paid,IR,1404-05,"{cell}",,\n')

    assert ("formula" in [i.code for i in result.errors]) is formula


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_formula_cell_is_refused() -> None:
    content = xlsx([["indicator", "area", "period", "value"], [OUTPATIENT, "IR-23", "1404-05", "=B2*2"]])

    result = parse(content, file_name="upload.xlsx")

    assert codes(result.errors) == [(2, "value", "formula")]


def test_an_xlsx_reads_numbers_text_and_persian_headers() -> None:
    content = xlsx([["شاخص", "استان", "دوره", "مقدار", "صورت", "مخرج"],
                    [OUTPATIENT, "IR-23", "1404-05", 152340, None, None],
                    [None, None, None, None, None, None],
                    ["bed-occupancy", "IR-23", "1404-05", 81.4, 814, 1000]])  # fmt: skip

    result = parse(content, file_name="UPLOAD.XLSX")

    assert (result.errors, result.warnings) == ([], [])
    assert result.rows == [
        row(2, "IR-23", "152340"),
        row(4, "IR-23", "81.4", indicator="bed-occupancy", numerator="814", denominator="1000"),
    ]


def test_a_csv_the_reader_cannot_split_is_unreadable_at_that_row() -> None:
    huge = "x" * 200_000  # over the csv module's field limit

    result = parse(HEADER + f"pensions-paid,IR,1404-05,1,,\npensions-paid,IR,1404-04,{huge},,\n")

    assert codes(result.errors) == [(3, None, "unreadable")]
    assert result.rows == []


def test_a_broken_xlsx_is_unreadable_and_another_format_is_refused() -> None:
    assert codes(parse(b"not a zip", file_name="a.xlsx").errors) == [(None, None, "unreadable")]
    assert codes(parse(b"x", file_name="a.txt").errors) == [(None, None, "unsupported_format")]


# --- Header and layout ----------------------------------------------------------------------------


def test_headers_ignore_case_and_spaces_and_unknown_columns_are_a_warning() -> None:
    result = parse(" Indicator ,AREA, period,Value ,comment\npensions-paid,ir,1404-05,12.5,ok\n")

    assert result.rows == [row(2, "IR", "12.5", indicator="pensions-paid")]
    assert codes(result.warnings) == [(1, "comment", "unknown_column")]
    assert result.errors == []


def test_a_semicolon_separated_file_is_read() -> None:
    result = parse("indicator;area;period;value\npensions-paid;IR;1404-05;7\n")

    assert result.rows == [row(2, "IR", "7", indicator="pensions-paid")]


def test_empty_file_header_only_and_a_column_twice() -> None:
    assert codes(parse("").errors) == [(None, None, "empty")]
    assert codes(parse("indicator,area,period,value\n\n").errors) == [(None, None, "no_rows")]
    assert codes(parse("indicator,area,period,value,مقدار\n").errors) == [(1, "value", "duplicate_column")]


# --- Row rules --------------------------------------------------------------------------------------


def test_unknown_indicator_and_an_indicator_of_another_dataset() -> None:
    result = parse(
        HEADER + "nope,IR,1404-05,1,,\ncovered-people,IR,1404-05,1,,\n", others={"covered-people": "coverage"}
    )

    assert codes(result.errors) == [(2, "indicator", "unknown_indicator"), (3, "indicator", "other_dataset")]
    assert (
        result.errors[1].en == "indicator 'covered-people' belongs to the dataset 'coverage', not to this one"
    )


def test_a_national_only_indicator_refuses_a_province() -> None:
    result = parse(HEADER + "government-debt,IR-23,1404-05,100,,\ngovernment-debt,IR,1404-05,100,,\n")

    assert codes(result.errors) == [(2, "area", "national_only")]
    assert result.rows == [row(3, "IR", "100", indicator="government-debt")]


@pytest.mark.parametrize(
    ("period", "code"),
    [("1404-13", "bad_period"), ("1404-00", "bad_period"), ("1404/05", "bad_period"), ("14045", "bad_period"),
     ("1404-5", "bad_period"), ("1404-07", "future_period"), ("1404-06", None), ("۱۴۰۴-۰۶", None)],
)  # fmt: skip
def test_periods(period: str, code: str | None) -> None:
    result = parse(f"{HEADER}pensions-paid,IR,{period},1,,\n")

    assert [i.code for i in result.errors] == ([code] if code else [])


def test_the_future_period_message_names_the_current_month() -> None:
    result = parse(f"{HEADER}pensions-paid,IR,1404-07,1,,\n")

    assert result.errors[0].en == "the period '1404-07' is in the future (the current month is 1404-06)"
    assert result.errors[0].fa == "دورهٔ «1404-07» هنوز نرسیده است (ماه جاری 1404-06 است)."


@pytest.mark.parametrize(
    ("cell", "value", "converted"),
    [("1234", "1234", False), ("-12.5", "-12.5", False), ("1,234,567", "1234567", True),
     ("1 234 567", "1234567", True), ("۱٬۲۳۴٫۵", "1234.5", True), ("١٢٣", "123", True),
     ("1.23456", "1.2346", False), ("1e3", "1000", False)],
)  # fmt: skip
def test_numbers_that_are_accepted(cell: str, value: str, converted: bool) -> None:
    result = parse(f'{HEADER}pensions-paid,IR,1404-05,"{cell}",,\n')

    assert result.rows == [row(2, "IR", value, indicator="pensions-paid")]
    assert [w.code for w in result.warnings] == (["digits_converted"] if converted else [])


@pytest.mark.parametrize(
    "cell", ["12a", "1234,5", "1,23", "12%", "NaN", "Infinity", "1_000", "1.2.3", "1e999"]
)
def test_anything_else_is_not_a_number_with_its_row_and_column(cell: str) -> None:
    result = parse(f'{HEADER}pensions-paid,IR,1404-05,1,,\npensions-paid,IR,1404-04,"{cell}",,\n')

    assert result.errors == [
        Issue(3, "value", "not_a_number", f"«{cell}» عدد نیست.", f"'{cell}' is not a number")
    ]


def test_negative_counts_are_errors_negative_amounts_are_not() -> None:
    result = parse(HEADER + f"{OUTPATIENT},IR,1404-05,-1,,\npensions-paid,IR,1404-05,-1,,\n")

    assert codes(result.errors) == [(2, "value", "negative")]
    assert result.rows == [row(3, "IR", "-1", indicator="pensions-paid")]


def test_a_duplicate_row_names_the_first() -> None:
    result = parse(HEADER + "pensions-paid,IR,1404-05,1,,\npensions-paid,ir, 1404-05 ,2,,\n")

    assert result.errors == [
        Issue(3, None, "duplicate_row", "این ردیف تکرار ردیف 2 است (همان شاخص، منطقه و دوره).",
              "duplicate of row 2 (same indicator, area and period)")
    ]  # fmt: skip


def test_an_empty_level_value_is_an_error() -> None:
    assert codes(parse(HEADER + "pensions-paid,IR,1404-05,,,\n").errors) == [(2, "value", "value_missing")]


# --- Rates --------------------------------------------------------------------------------------------


def rate(value: str, numerator: str, denominator: str, indicator: str = "bed-occupancy") -> ParseResult:
    return parse(f"{HEADER}{indicator},IR-23,1404-05,{value},{numerator},{denominator}\n")


def test_a_rate_matching_its_parts_within_half_a_unit_is_accepted() -> None:
    assert rate("81.4", "814", "1000").rows == [
        row(2, "IR-23", "81.4", indicator="bed-occupancy", numerator="814", denominator="1000")
    ]
    assert rate("81.44", "814", "1000").errors == []  # |81.44 - 81.4| <= 0.05


def test_an_empty_rate_is_computed_and_rounded_half_up() -> None:
    result = rate("", "1", "8")  # 12.5 % exactly: half up gives 12.5; 1/16 = 6.25 -> 6.3

    assert result.rows[0].value == Decimal("12.5")
    assert rate("", "1", "16").rows[0].value == Decimal("6.3")
    assert rate("", "1234", "567", indicator="support-ratio").rows[0].value == Decimal("2.18")


def test_rate_errors() -> None:
    assert rate("81.6", "814", "1000").errors == [
        Issue(2, "value", "rate_mismatch", "مقدار 81.6 با صورت ÷ مخرج × 100 = 81.4 نمی‌خواند.",
              "the value 81.6 does not match numerator ÷ denominator × 100 = 81.4")
    ]  # fmt: skip
    assert rate("", "1001", "1000").errors == [
        Issue(2, "numerator", "numerator_above_denominator", "صورت (1001) از مخرج (1000) بزرگ‌تر است.",
              "the numerator (1001) is larger than the denominator (1000)")
    ]  # fmt: skip
    assert codes(rate("", "5", "0").errors) == [(2, "denominator", "zero_denominator")]
    assert codes(rate("50", "5", "").errors) == [(2, "denominator", "pair_required")]
    assert codes(rate("120", "", "").errors) == [(2, "value", "rate_out_of_range")]
    assert codes(rate("", "", "").errors) == [(2, "value", "value_missing")]
    assert rate("", "1200", "1000", indicator="support-ratio").errors == []  # not a share: may exceed 1


def test_a_numerator_on_a_level_indicator_is_ignored_with_a_warning() -> None:
    result = parse(HEADER + "pensions-paid,IR,1404-05,5,1,2\n")

    assert result.rows == [row(2, "IR", "5", indicator="pensions-paid")]
    assert codes(result.warnings) == [(2, None, "numerator_ignored")]


# --- Across rows -------------------------------------------------------------------------------------


def all_areas(indicator: str, national: str, province: str = "100", period: str = "1404-05") -> str:
    lines = [f"{indicator},{a},{period},{province},," for a in PROVINCES]
    return HEADER + "\n".join([*lines, f"{indicator},IR,{period},{national},,"]) + "\n"


def test_provinces_must_add_up_to_the_nation() -> None:
    result = parse(all_areas(OUTPATIENT, national="3200"))

    assert result.errors == [
        Issue(33, "value", "sum_mismatch",
              f"جمع استان‌ها برای «{OUTPATIENT}» در 1404-05 برابر 3100 است اما رقم کشوری 3200 است.",
              f"{OUTPATIENT}, 1404-05: the provinces add up to 3100, the national figure is 3200")
    ]  # fmt: skip


def test_a_sum_within_a_tenth_of_a_percent_passes_and_rates_are_not_summed() -> None:
    assert parse(all_areas("pensions-paid", national="3103.1")).errors == []
    assert codes(parse(all_areas("pensions-paid", national="3103.2")).errors) == [
        (33, "value", "sum_mismatch")
    ]
    assert parse(all_areas("bed-occupancy", national="50", province="60")).errors == []


def test_a_sum_is_not_checked_when_a_province_is_missing() -> None:
    text = all_areas(OUTPATIENT, national="9999").replace(f"{OUTPATIENT},IR-05,1404-05,100,,\n", "")

    assert parse(text).errors == []


def test_an_outlier_against_recent_history_is_a_warning_only() -> None:
    # Only the last 12 values count: the two old 1s do not pull the median down.
    history = {(OUTPATIENT, "IR-23"): [Decimal(1)] * 2 + [Decimal(100)] * 12,
               (OUTPATIENT, "IR-24"): [Decimal(100)] * 5,
               (OUTPATIENT, "IR"): [Decimal(100)] * 12}  # fmt: skip
    text = HEADER + "\n".join(
        [f"{OUTPATIENT},IR-23,1404-05,151,,", f"{OUTPATIENT},IR-23,1404-04,150,,",
         f"{OUTPATIENT},IR-24,1404-05,900,,", f"{OUTPATIENT},IR,1404-05,900,,"]
    )  # fmt: skip

    result = parse(text, history=history)

    assert result.errors == []
    assert result.warnings == [
        Issue(2, "value", "outlier",
              "این مقدار را بررسی کنید: 151 بیش از 50 درصد با میانهٔ ماه‌های اخیر (100) فاصله دارد.",
              "check this value: 151 is more than 50 % away from the recent median (100)")
    ]  # fmt: skip
    assert len(result.rows) == 4


def test_errors_stop_being_listed_after_200() -> None:
    text = HEADER + "".join(f"nope,IR,1404-05,{i},,\n" for i in range(250))

    result = parse(text)

    assert len(result.errors) == 201
    assert result.errors[-1] == Issue(
        None, None, "too_many_errors", "50 خطای دیگر فهرست نشد؛ نخست این‌ها را درست کنید.",
        "50 more errors were not listed; fix these first",
    )  # fmt: skip


def test_forty_thousand_rows_validate_fast() -> None:
    periods = [f"{y}-{m:02d}" for y in range(1290, 1404) for m in range(1, 13)][:1250]
    lines = []
    for i, period in enumerate(periods):  # 1,250 months x (31 provinces + the nation) = 40,000 rows
        lines += [f"{OUTPATIENT},{a},{period},{i},," for a in PROVINCES] + [
            f"{OUTPATIENT},IR,{period},{31 * i},,"
        ]
    content = (HEADER + "\n".join(lines) + "\n").encode()

    started = time.perf_counter()
    result = parse(content)
    elapsed = time.perf_counter() - started

    assert (len(result.rows), result.errors, result.warnings) == (40_000, [], [])
    assert elapsed < 5  # ~0.6 s when measured; a per-row compile or query would blow far past this


# --- Series (pure) -----------------------------------------------------------------------------------


def test_previous_month_and_year_earlier_cross_the_new_year() -> None:
    assert (previous_month("1404-01"), previous_month("1404-07"), year_earlier("1404-01")) == (
        "1403-12", "1404-06", "1403-01"
    )  # fmt: skip


def test_changes_against_the_previous_month_and_a_year_earlier() -> None:
    values = {"1403-05": Decimal(100), "1404-04": Decimal(200), "1404-05": Decimal("210.46"),
              "1404-06": None, "1404-07": Decimal(5), "1403-07": Decimal(0)}  # fmt: skip

    result = changes(values)

    assert result == {
        "1403-05": (None, None),
        "1403-07": (None, None),
        "1404-04": (None, None),
        "1404-05": (Decimal("0.0523"), Decimal("1.1046")),
        "1404-06": (None, None),
        "1404-07": (None, None),  # the month before is missing; a year earlier was 0
    }
    assert list(result) == sorted(values)
