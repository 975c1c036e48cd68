"""What a person types for one sub-indicator, read before anything is stored (no database): every
way of writing a number an officer uses, and every mistake, refused with a message that says what
to type instead. Messages are asserted word for word in English, and in Persian once the catalog
translates them."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, override

from tabyin.scorecard.entry.validation import Parsed, parse_number, parse_value
from tabyin.scorecard.enums import IndicatorKind, ValueStatus
from tabyin.scorecard.models import Indicator

pytestmark = pytest.mark.usefixtures("in_english")

RATE = Indicator(code="S02", name_fa="نرخ پاسخ", kind=IndicatorKind.RATE)
COUNT = Indicator(code="S03", name_fa="نشست خبری", kind=IndicatorKind.COUNT)
DURATION = Indicator(code="S05", name_fa="زمان پاسخ", kind=IndicatorKind.DURATION)
YES_NO = Indicator(code="S01", name_fa="برنامه مصوب", kind=IndicatorKind.YES_NO)
RUBRIC = Indicator(code="S06", name_fa="کیفیت برنامه", kind=IndicatorKind.RUBRIC)
R, C, Y, K = "S02 «نرخ پاسخ»", "S03 «نشست خبری»", "S01 «برنامه مصوب»", "S06 «کیفیت برنامه»"


def refused(call: Callable[[], object]) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.messages


# --- parse_number ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("۱۲٫۵", Decimal("12.5")),  # Persian digits and the Persian decimal separator
        ("١٢٫٥", Decimal("12.5")),  # Arabic-Indic digits
        ("۱٬۲۰۰", Decimal("1200")),  # the Persian thousands separator
        ("1,200", Decimal("1200")),
        ("1,234,567.5", Decimal("1234567.5")),
        (" ۴۲ ", Decimal("42")),
        ("12.5", Decimal("12.5")),
        ("999999999999.9999", Decimal("999999999999.9999")),  # just under the limit
        ("", None),
        ("   ", None),
    ],
)
def test_parse_number_reads_every_keyboard(raw: str, expected: Decimal | None) -> None:
    assert parse_number(raw, field="F") == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "F: «abc» is not a number."),
        ("۱۲ و نیم", "F: «۱۲ و نیم» is not a number."),
        ("1e13", "F: «1e13» is out of range."),
        ("1000000000000", "F: «1000000000000» is out of range."),
        ("-1e12", "F: «-1e12» is out of range."),
        ("NaN", "F: «NaN» is out of range."),
        ("Infinity", "F: «Infinity» is out of range."),
    ],
)
def test_parse_number_refuses_with_the_field_named(raw: str, message: str) -> None:
    assert refused(lambda: parse_number(raw, field="F")) == [message]


def test_a_comma_that_is_not_a_thousands_separator_is_refused() -> None:
    with pytest.raises(ValidationError):
        parse_number("12,5", field="F")


# --- rates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"value": "85%"}, Parsed(ValueStatus.REPORTED, value=Decimal("85"))),
        ({"value": "۸۵ درصد"}, Parsed(ValueStatus.REPORTED, value=Decimal("85"))),
        ({"value": "۸۵٪"}, Parsed(ValueStatus.REPORTED, value=Decimal("85"))),
        ({"value": "۱۲٫۵"}, Parsed(ValueStatus.REPORTED, value=Decimal("12.5"))),
        # A small rate typed with its percent sign is a percentage, not a fraction.
        ({"value": "0.85%"}, Parsed(ValueStatus.REPORTED, value=Decimal("0.85"))),
        ({"value": "100"}, Parsed(ValueStatus.REPORTED, value=Decimal("100"))),
        ({"value": "0"}, Parsed(ValueStatus.REPORTED, value=Decimal("0"))),
        (
            {"numerator": "۴۵", "denominator": "۶۰"},
            Parsed(ValueStatus.REPORTED, Decimal("45"), Decimal("60"), Decimal("75.0000")),
        ),
        (
            {"numerator": "1", "denominator": "3"},
            Parsed(ValueStatus.REPORTED, Decimal("1"), Decimal("3"), Decimal("33.3333")),
        ),
        ({"status": "not_applicable", "value": "junk"}, Parsed(ValueStatus.NOT_APPLICABLE)),
        ({"status": "not_reported"}, Parsed(ValueStatus.NOT_REPORTED)),
    ],
)
def test_rates_accepted(raw: dict[str, str], expected: Parsed) -> None:
    assert parse_value(RATE, raw) == expected


RATE_REFUSALS = [
    (
        {"value": "0.85"},
        (
            f"{R}: 0.85 looks like a fraction. Rates are entered in percent: type 85 for 85%, or enter "
            "the numerator and the denominator."
        ),
    ),
    (
        {"value": "۰٫۸۵"},
        (
            f"{R}: 0.85 looks like a fraction. Rates are entered in percent: type 85 for 85%, or enter "
            "the numerator and the denominator."
        ),
    ),
    ({"value": "120"}, f"{R}: 120% is more than 100%."),
    ({"value": "120%"}, f"{R}: 120% is more than 100%."),
    (
        {"numerator": "70", "denominator": "60"},
        f"{R}: the numerator (70) is larger than the denominator (60); a rate cannot pass 100%.",
    ),
    ({"numerator": "5", "denominator": "0"}, f"{R}: the denominator cannot be zero."),
    ({"numerator": "5"}, f"{R}: enter both the numerator and the denominator."),
    ({"denominator": "5"}, f"{R}: enter both the numerator and the denominator."),
    ({"numerator": "-5", "denominator": "10"}, f"{R} cannot be negative."),
    ({"value": "-5"}, f"{R} cannot be negative."),
    ({"numerator": "abc", "denominator": "10"}, f"{R}: numerator: «abc» is not a number."),
    ({"numerator": "1", "denominator": "1e13"}, f"{R}: denominator: «1e13» is out of range."),
    ({"value": ""}, f"{R}: enter the numerator and the denominator, or the rate in percent."),
    ({}, f"{R}: enter the numerator and the denominator, or the rate in percent."),
    ({"value": "abc"}, f"{R}: «abc» is not a number."),
    ({"status": "maybe"}, f"{R}: unknown status."),
]


@pytest.mark.parametrize(("raw", "message"), RATE_REFUSALS)
def test_rates_refused(raw: dict[str, str], message: str) -> None:
    assert refused(lambda: parse_value(RATE, raw)) == [message]


def test_the_fraction_hint_for_one_half_says_fifty() -> None:
    assert refused(lambda: parse_value(RATE, {"value": "0.5"})) == [
        (
            f"{R}: 0.5 looks like a fraction. Rates are entered in percent: type 50 for 50%, or enter "
            "the numerator and the denominator."
        )
    ]


# --- counts, durations, rubric levels ----------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "raw", "value"),
    [
        (COUNT, "۱٬۲۰۰", Decimal("1200")),
        (COUNT, "0", Decimal("0")),
        (COUNT, "12.0", Decimal("12.0")),
        (DURATION, "۳٫۵", Decimal("3.5")),
        (DURATION, "48", Decimal("48")),
    ],
)
def test_numbers_accepted(indicator: Indicator, raw: str, value: Decimal) -> None:
    assert parse_value(indicator, {"value": raw}) == Parsed(ValueStatus.REPORTED, value=value)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2.5", f"{C}: a count is a whole number."),
        ("۲٫۵", f"{C}: a count is a whole number."),
        ("-3", f"{C} cannot be negative."),
        ("1e13", f"{C}: «1e13» is out of range."),
        ("abc", f"{C}: «abc» is not a number."),
        ("50%", f"{C}: «50%» is not a number."),
        ("", f"{C}: enter a value, or mark it as not reported or not applicable."),
    ],
)
def test_counts_refused(raw: str, message: str) -> None:
    assert refused(lambda: parse_value(COUNT, {"value": raw})) == [message]


def test_a_province_cannot_set_a_rubric_level() -> None:
    assert refused(lambda: parse_value(RUBRIC, {"value": "3"})) == [
        f"{K}: the level is set by the HQ reviewers from the evidence."
    ]


@pytest.mark.parametrize("raw", ["1", "۳", "5"])
def test_a_reviewer_sets_a_level_from_one_to_five(raw: str) -> None:
    expected = Decimal(raw.replace("۳", "3"))
    assert parse_value(RUBRIC, {"value": raw}, reviewer=True) == Parsed(ValueStatus.REPORTED, value=expected)


@pytest.mark.parametrize("raw", ["0", "6", "2.5", "۲٫۵"])
def test_a_reviewer_level_outside_one_to_five_is_refused(raw: str) -> None:
    assert refused(lambda: parse_value(RUBRIC, {"value": raw}, reviewer=True)) == [
        f"{K}: the level is a whole number from 1 to 5."
    ]


# --- yes / no ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        *[(w, 1) for w in ("بله", "بلی", "آری", "دارد", "yes", "Yes", "Y", "true", "1", "۱", " بله ")],
        *[(w, 0) for w in ("خیر", "نه", "ندارد", "no", "NO", "n", "false", "0", "۰")],
    ],
)
def test_yes_no_words(raw: str, value: int) -> None:
    assert parse_value(YES_NO, {"value": raw}) == Parsed(ValueStatus.REPORTED, value=Decimal(value))


@pytest.mark.parametrize("raw", ["", "شاید", "2", "maybe"])
def test_yes_no_refuses_anything_else(raw: str) -> None:
    assert refused(lambda: parse_value(YES_NO, {"value": raw})) == [f"{Y}: answer yes or no."]


@pytest.mark.parametrize(("raw", "value"), [("خير", 0), ("بلي", 1)])
def test_yes_no_with_the_arabic_yeh(raw: str, value: int) -> None:
    assert parse_value(YES_NO, {"value": raw}) == Parsed(ValueStatus.REPORTED, value=Decimal(value))


# --- Persian messages --------------------------------------------------------------------------

# Every msgid the cases above exercise (listed in the report for the translators).
MSGIDS: list[tuple[str, Callable[[], object], str]] = [
    (
        "%(field)s: «%(raw)s» is not a number.",
        lambda: parse_number("abc", field="F"),
        "F: «abc» is not a number.",
    ),
    (
        "%(field)s: «%(raw)s» is out of range.",
        lambda: parse_number("1e13", field="F"),
        "F: «1e13» is out of range.",
    ),
    (
        "%(field)s cannot be negative.",
        lambda: parse_value(COUNT, {"value": "-3"}),
        f"{C} cannot be negative.",
    ),
    (
        "%s: numerator",
        lambda: parse_value(RATE, {"numerator": "x", "denominator": "1"}),
        f"{R}: numerator: «x» is not a number.",
    ),
    (
        "%s: denominator",
        lambda: parse_value(RATE, {"numerator": "1", "denominator": "x"}),
        f"{R}: denominator: «x» is not a number.",
    ),
    (
        "%s: enter both the numerator and the denominator.",
        lambda: parse_value(RATE, {"numerator": "5"}),
        RATE_REFUSALS[6][1],
    ),
    (
        "%s: the denominator cannot be zero.",
        lambda: parse_value(RATE, RATE_REFUSALS[5][0]),
        RATE_REFUSALS[5][1],
    ),
    (
        "%s: the numerator (%s) is larger than the denominator (%s); a rate cannot pass 100%%.",
        lambda: parse_value(RATE, RATE_REFUSALS[4][0]),
        RATE_REFUSALS[4][1],
    ),
    (
        "%s: enter the numerator and the denominator, or the rate in percent.",
        lambda: parse_value(RATE, {}),
        RATE_REFUSALS[12][1],
    ),
    (
        "%(label)s: %(value)s%% is more than 100%%.",
        lambda: parse_value(RATE, {"value": "120"}),
        RATE_REFUSALS[2][1],
    ),
    (
        (
            "%(label)s: %(value)s looks like a fraction. Rates are entered in percent: type %(pct)s for "
            "%(pct)s%%, or enter the numerator and the denominator."
        ),
        lambda: parse_value(RATE, {"value": "0.85"}),
        RATE_REFUSALS[0][1],
    ),
    ("%s: answer yes or no.", lambda: parse_value(YES_NO, {"value": "?"}), f"{Y}: answer yes or no."),
    ("%s: unknown status.", lambda: parse_value(RATE, {"status": "x"}), f"{R}: unknown status."),
    (
        "%s: enter a value, or mark it as not reported or not applicable.",
        lambda: parse_value(COUNT, {"value": ""}),
        f"{C}: enter a value, or mark it as not reported or not applicable.",
    ),
    (
        "%s: the level is set by the HQ reviewers from the evidence.",
        lambda: parse_value(RUBRIC, {"value": "3"}),
        f"{K}: the level is set by the HQ reviewers from the evidence.",
    ),
    (
        "%s: the level is a whole number from 1 to 5.",
        lambda: parse_value(RUBRIC, {"value": "6"}, reviewer=True),
        f"{K}: the level is a whole number from 1 to 5.",
    ),
    (
        "%s: a count is a whole number.",
        lambda: parse_value(COUNT, {"value": "2.5"}),
        f"{C}: a count is a whole number.",
    ),
]


@pytest.mark.parametrize(("msgid", "call", "english"), MSGIDS, ids=[m[0][:40] for m in MSGIDS])
def test_messages_in_english_and_in_persian(msgid: str, call: Callable[[], object], english: str) -> None:
    assert refused(call) == [english]
    with override("fa"):
        assert gettext(msgid) != msgid, "the Persian catalog has no entry for this message"
        persian = refused(call)
    assert persian != [english]
