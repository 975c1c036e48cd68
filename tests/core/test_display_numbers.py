"""The display kit's numbers: exact strings in Persian and English (core.display.numbers)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from tabyin.core.display.numbers import (
    MINUS,
    format_duration,
    format_number,
    format_optional,
    format_percent,
    format_signed,
    is_persian,
    localize_digits,
    localize_number,
    percent_sign,
    typed_number_to_ascii,
)


@pytest.mark.parametrize(
    ("value", "places", "fa", "en"),
    [
        (0, None, "۰", "0"),
        (7, None, "۷", "7"),
        (999, None, "۹۹۹", "999"),
        (1000, None, "۱٬۰۰۰", "1,000"),
        (1234567, None, "۱٬۲۳۴٬۵۶۷", "1,234,567"),
        (12_345_678_901_234, None, "۱۲٬۳۴۵٬۶۷۸٬۹۰۱٬۲۳۴", "12,345,678,901,234"),
        (-5, None, "−۵", "-5"),
        (-9876543, None, "−۹٬۸۷۶٬۵۴۳", "-9,876,543"),
        (Decimal("1234.5"), None, "۱٬۲۳۴٫۵", "1,234.5"),
        (Decimal("1234567.891"), 2, "۱٬۲۳۴٬۵۶۷٫۸۹", "1,234,567.89"),
        (Decimal("-0.5"), 1, "−۰٫۵", "-0.5"),
        (Decimal("2.5"), 2, "۲٫۵۰", "2.50"),
        # Rounding: half-even for Decimal, the nearest binary value for float, as Python formats.
        (Decimal("2.5"), 0, "۲", "2"),
        (Decimal("3.5"), 0, "۴", "4"),
        (Decimal("0.125"), 2, "۰٫۱۲", "0.12"),
        (2.675, 2, "۲٫۶۷", "2.67"),  # 2.675 is 2.67499999… in binary
        (0.25, 0, "۰", "0"),
        # A value that rounds to zero has no sign.
        (-0.04, 1, "۰٫۰", "0.0"),
        (Decimal("-0.004"), 2, "۰٫۰۰", "0.00"),
        (Decimal("-0"), None, "۰", "0"),
    ],
)
def test_format_number(value: Decimal | float, places: int | None, fa: str, en: str) -> None:
    assert format_number(value, "fa", places) == fa
    assert format_number(value, "en", places) == en


def test_format_number_language_codes_and_grouping() -> None:
    assert format_number(1405, "fa-IR", grouping=False) == "۱۴۰۵"
    assert format_number(1405, "fa_ir") == "۱٬۴۰۵"
    assert format_number(-1405, None) == "-1,405"  # not Persian: ASCII
    assert format_number(1405, "en-gb", grouping=False) == "1405"
    assert MINUS == "\u2212"


@pytest.mark.parametrize(
    ("value", "places", "error"),
    [
        (float("inf"), None, ValueError),
        (float("nan"), 2, ValueError),
        (Decimal("NaN"), None, ValueError),
        (Decimal("2.5"), -1, ValueError),
        (True, None, TypeError),
        ("12", None, TypeError),
        (None, None, TypeError),
    ],
)
def test_format_number_refuses_what_is_not_a_number(value: object, places: int | None, error: type) -> None:
    with pytest.raises(error):
        format_number(value, "fa", places)  # type: ignore[arg-type]


def test_format_optional() -> None:
    assert format_optional(None, "fa") == "—"
    assert format_optional(None, "en", 2) == "—"
    assert format_optional(Decimal("12.345"), "fa", 1) == "۱۲٫۳"


@pytest.mark.parametrize(
    ("fraction", "places", "fa", "en"),
    [
        (Decimal("0.023"), 1, "۲٫۳٪", "2.3%"),
        (0.6111, 1, "۶۱٫۱٪", "61.1%"),
        (0, 1, "۰٫۰٪", "0.0%"),
        (1, 0, "۱۰۰٪", "100%"),
        (Decimal("12.5"), 0, "۱٬۲۵۰٪", "1,250%"),
        (Decimal("-0.015"), 1, "−۱٫۵٪", "-1.5%"),
        (Decimal("0.00049"), 1, "۰٫۰٪", "0.0%"),
        (Decimal("-0.00049"), 1, "۰٫۰٪", "0.0%"),
        (Decimal("0.125"), 0, "۱۲٪", "12%"),  # 12.5 rounds half-even
    ],
)
def test_format_percent(fraction: Decimal | float, places: int, fa: str, en: str) -> None:
    assert format_percent(fraction, "fa", places) == fa
    assert format_percent(fraction, "en", places) == en


def test_format_percent_of_points_and_sign() -> None:
    assert format_percent(Decimal("72.5"), "fa", 1, points=True) == "۷۲٫۵٪"
    assert format_percent(Decimal("72.5"), "en", 2, points=True) == "72.50%"
    assert percent_sign("fa") == "٪"
    assert percent_sign("en") == "%"


@pytest.mark.parametrize(
    ("value", "places", "percent", "fa", "en"),
    [
        (12, None, False, "+۱۲", "+12"),
        (-12, None, False, "−۱۲", "-12"),
        (0, None, False, "۰", "0"),
        (Decimal("3.456"), 2, False, "+۳٫۴۶", "+3.46"),
        (Decimal("-3.456"), 1, False, "−۳٫۵", "-3.5"),
        (Decimal("-0.04"), 1, False, "۰٫۰", "0.0"),  # rounds to zero: no sign either way
        (Decimal("0.04"), 1, False, "۰٫۰", "0.0"),
        (1234567, None, False, "+۱٬۲۳۴٬۵۶۷", "+1,234,567"),
        (Decimal("2.3"), 1, True, "+۲٫۳٪", "+2.3%"),
        (Decimal("-2.3"), 1, True, "−۲٫۳٪", "-2.3%"),
    ],
)
def test_format_signed(value: Decimal | int, places: int | None, percent: bool, fa: str, en: str) -> None:
    assert format_signed(value, "fa", places, percent=percent) == fa
    assert format_signed(value, "en", places, percent=percent) == en


@pytest.mark.parametrize(
    ("span", "fa", "en"),
    [
        (timedelta(0), "۰ دقیقه", "0 minutes"),
        (timedelta(seconds=29), "۰ دقیقه", "0 minutes"),
        (timedelta(seconds=31), "۱ دقیقه", "1 minute"),
        (timedelta(seconds=-300), "۰ دقیقه", "0 minutes"),  # clock skew is never a negative time
        (timedelta(minutes=40), "۴۰ دقیقه", "40 minutes"),
        (timedelta(hours=1), "۱ ساعت", "1 hour"),
        (timedelta(hours=4, minutes=40), "۴ ساعت و ۴۰ دقیقه", "4 hours 40 minutes"),
        (timedelta(hours=4, minutes=40, seconds=31), "۴ ساعت و ۴۱ دقیقه", "4 hours 41 minutes"),
        (timedelta(days=1, hours=23, minutes=5), "۴۷ ساعت و ۵ دقیقه", "47 hours 5 minutes"),
        (timedelta(days=2), "۲ روز", "2 days"),
        (timedelta(days=3, hours=2, minutes=5), "۳ روز و ۲ ساعت", "3 days 2 hours"),
        (timedelta(days=400, minutes=59), "۴۰۰ روز", "400 days"),
    ],
)
def test_format_duration(span: timedelta, fa: str, en: str) -> None:
    assert format_duration(span, "fa") == fa
    assert format_duration(span, "en") == en


def test_format_duration_does_not_change_the_active_language() -> None:
    with translation.override("en"):
        assert format_duration(timedelta(hours=2), "fa") == "۲ ساعت"
        assert translation.get_language() == "en"


def test_localize_and_read_back() -> None:
    assert localize_digits("14:05, 1-2", "fa") == "۱۴:۰۵, ۱-۲"  # digits only
    assert localize_digits("14:05", "en") == "14:05"
    assert localize_number("-1,234.5", "fa") == "−۱٬۲۳۴٫۵"
    assert localize_number("-1,234.5", "en") == "-1,234.5"
    assert typed_number_to_ascii("−۱٬۲۳۴٫۵٪") == "-1,234.5%"
    assert typed_number_to_ascii("١٢٫٥") == "12.5"  # Arabic-Indic digits too
    for text in ("۰", "−۹٬۸۷۶٫۵", "۱۲٪"):
        assert typed_number_to_ascii(text) == typed_number_to_ascii(typed_number_to_ascii(text))
    assert is_persian("fa") and is_persian("FA-ir") and not is_persian("en") and not is_persian(None)


def test_template_filters_use_the_kit() -> None:
    template = Template(
        "{{ n|number }}|{{ f|percent }}|{{ f|percent:0 }}|{{ c|signed:1 }}|{{ z|signed }}|{{ d|duration }}"
        "|{{ none|percent }}|{{ none|signed }}|{{ text|percent }}|{{ text|duration }}"
    )
    context = Context(
        {
            "n": -1234,
            "f": Decimal("0.125"),
            "c": Decimal("-2.25"),
            "z": 0,
            "d": timedelta(hours=4, minutes=40),
            "none": None,
            "text": "x",
        }
    )
    with translation.override("fa"):
        assert template.render(context) == "−۱٬۲۳۴|۱۲٫۵٪|۱۲٪|−۲٫۲|۰|۴ ساعت و ۴۰ دقیقه|—|—|x|x"
    with translation.override("en"):
        assert template.render(context) == "-1,234|12.5%|12%|-2.2|0|4 hours 40 minutes|—|—|x|x"
