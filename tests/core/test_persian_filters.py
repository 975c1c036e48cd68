"""Persian display filters: exact output per language, builtin registration, autoescaping, no raising."""

import math
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import SafeData, mark_safe

from tabyin.core.templatetags.persian import jdate, jdatetime_filter, number, period, persian_digits

NOWRUZ_1405_UTC = datetime(2026, 3, 20, 22, 0, tzinfo=UTC)


def render(source: str, language: str, **context: Any) -> str:
    """Render with the project's template engine: the filters must work without {% load %}."""
    with translation.override(language):
        return Template(source).render(Context(context))


# --- exact values, called directly ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("fa", "1403-11", "۱۴۰۳-۱۱"),
        ("fa", 42, "۴۲"),
        ("fa", "٤٥٦ and 456", "۴۵۶ and ۴۵۶"),
        ("fa-ir", "7", "۷"),
        ("en", "1403-11", "1403-11"),
        ("en", 42, "42"),
        ("fa", None, ""),
    ],
)
def test_persian_digits(language: str, value: object, expected: str) -> None:
    with translation.override(language):
        assert persian_digits(value) == expected


def test_persian_digits_keeps_markup_intact() -> None:
    html = mark_safe('<h2 class="col-3" data-id="7">&#x27;42&#39; &amp; 5</h2>')
    with translation.override("fa"):
        out = persian_digits(html)
    assert out == '<h2 class="col-3" data-id="7">&#x27;۴۲&#39; &amp; ۵</h2>'
    assert isinstance(out, SafeData)
    with translation.override("fa"):
        assert not isinstance(persian_digits("<b>1</b>"), SafeData)


@pytest.mark.parametrize(
    ("language", "value", "arg", "expected"),
    [
        ("fa", date(2026, 11, 26), None, "۵ آذر ۱۴۰۵"),
        ("en", date(2026, 11, 26), None, "5 Azar 1405"),
        ("fa", NOWRUZ_1405_UTC, None, "۱ فروردین ۱۴۰۵"),
        ("fa", date(2026, 11, 26), "month", "آذر ۱۴۰۵"),
        ("en", date(2026, 11, 26), "month", "Azar 1405"),
        ("fa", "1405-09", "month", "آذر ۱۴۰۵"),
        # Bad input comes back unchanged, as text (None as "" so |default works, as with |date).
        ("fa", "1405-09", None, "1405-09"),
        ("fa", "1405-13", "month", "1405-13"),
        ("fa", "yesterday", None, "yesterday"),
        ("fa", 1405, None, "1405"),
        ("fa", None, None, ""),
        ("fa", date(2026, 11, 26), "year", "2026-11-26"),
        ("fa", date.max, None, "9999-12-31"),
    ],
)
def test_jdate(language: str, value: object, arg: str | None, expected: str) -> None:
    with translation.override(language):
        assert jdate(value, arg) == expected


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("fa", NOWRUZ_1405_UTC, "۱ فروردین ۱۴۰۵، ۰۱:۳۰"),
        ("en", NOWRUZ_1405_UTC, "1 Farvardin 1405, 01:30"),
        ("fa", datetime(2026, 11, 26, 9, 5, tzinfo=UTC), "۵ آذر ۱۴۰۵، ۱۲:۳۵"),
        ("fa", date(2026, 11, 26), "۵ آذر ۱۴۰۵"),
        ("fa", "2026-11-26", "2026-11-26"),
        ("fa", None, ""),
        ("fa", datetime.max.replace(tzinfo=UTC), "9999-12-31 23:59:59.999999+00:00"),
    ],
)
def test_jdatetime(language: str, value: object, expected: str) -> None:
    with translation.override(language):
        assert jdatetime_filter(value) == expected


@pytest.mark.parametrize(
    ("value", "places", "fa", "en"),
    [
        (1234567, None, "۱٬۲۳۴٬۵۶۷", "1,234,567"),
        (0, None, "۰", "0"),
        (-9876543, None, "\u2212۹٬۸۷۶٬۵۴۳", "-9,876,543"),  # the true minus sign in Persian
        (999, None, "۹۹۹", "999"),
        (Decimal("1234.5"), None, "۱٬۲۳۴٫۵", "1,234.5"),
        (Decimal("1234567.891"), 2, "۱٬۲۳۴٬۵۶۷٫۸۹", "1,234,567.89"),
        (Decimal("2.5"), "2", "۲٫۵۰", "2.50"),
        (1234.5, None, "۱٬۲۳۴٫۵", "1,234.5"),
        (0.25, 0, "۰", "0"),
        (None, None, "—", "—"),
        # Bad input comes back unchanged, as text.
        ("1234", None, "1234", "1234"),
        (True, None, "True", "True"),
        (Decimal("2.5"), "x", "2.5", "2.5"),
        (Decimal("2.5"), -1, "2.5", "2.5"),
        (float("inf"), None, "inf", "inf"),
    ],
)
def test_number(value: object, places: object, fa: str, en: str) -> None:
    with translation.override("fa"):
        assert number(value, places) == fa
    with translation.override("en"):
        assert number(value, places) == en


@pytest.mark.parametrize(
    ("value", "fa", "en"),
    [
        ("1403-11", "بهمن ۱۴۰۳", "Bahman 1403"),
        ("1405-01", "فروردین ۱۴۰۵", "Farvardin 1405"),
        ("1403-13", "1403-13", "1403-13"),
        ("<b>", "<b>", "<b>"),
        (1403, "1403", "1403"),
        (None, "", ""),
    ],
)
def test_period(value: object, fa: str, en: str) -> None:
    with translation.override("fa"):
        assert period(value) == fa
    with translation.override("en"):
        assert period(value) == en


def test_no_active_language_falls_back_to_the_default() -> None:
    with translation.override(settings.LANGUAGE_CODE):
        expected = number(1234567)
    with translation.override(None):
        assert number(1234567) == expected


class _Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("broken __str__")


@pytest.mark.parametrize(
    "value",
    [object(), [], {}, (), b"12", math.nan, Decimal("NaN"), Decimal("sNaN"), _Unprintable(), date.min],
)
@pytest.mark.parametrize("language", ["fa", "en"])
def test_filters_never_raise(value: object, language: str) -> None:
    with translation.override(language):
        for output in (
            persian_digits(value),
            jdate(value),
            jdate(value, "month"),
            jdatetime_filter(value),
            number(value),
            number(value, 2),
            period(value),
        ):
            assert isinstance(output, str)


# --- through the template engine -----------------------------------------------------------------


def test_filters_are_builtins() -> None:
    source = (
        "{{ d|jdate }}|{{ d|jdate:'month' }}|{{ t|jdatetime }}|{{ n|number }}|{{ x|number:2 }}"
        "|{{ p|period }}|{{ s|persian_digits }}|{{ none|number }}|{{ none|jdate|default:'—' }}"
    )
    context = {
        "d": date(2026, 11, 26),
        "t": NOWRUZ_1405_UTC,
        "n": 1234567,
        "x": Decimal("0.5"),
        "p": "1403-11",
        "s": "ساعت 10",
        "none": None,
    }
    assert render(source, "fa", **context) == (
        "۵ آذر ۱۴۰۵|آذر ۱۴۰۵|۱ فروردین ۱۴۰۵، ۰۱:۳۰|۱٬۲۳۴٬۵۶۷|۰٫۵۰|بهمن ۱۴۰۳|ساعت ۱۰|—|—"
    )
    assert render(source, "en", **context) == (
        "5 Azar 1405|Azar 1405|1 Farvardin 1405, 01:30|1,234,567|0.50|Bahman 1403|ساعت 10|—|—"
    )


def test_output_is_autoescaped() -> None:
    hostile = "<script>alert(1)</script>"
    source = "{{ v|persian_digits }}|{{ v|jdate }}|{{ v|jdatetime }}|{{ v|number }}|{{ v|period }}"
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    escaped_fa = "&lt;script&gt;alert(۱)&lt;/script&gt;"
    assert render(source, "fa", v=hostile) == "|".join([escaped_fa] + [escaped] * 4)
    assert render(source, "en", v=hostile) == "|".join([escaped] * 5)


def test_filter_block_keeps_rendered_markup_valid() -> None:
    source = '{% filter persian_digits %}<a href="/r/12" class="m-2">{{ q }} 12</a>{% endfilter %}'
    assert render(source, "fa", q="it's") == '<a href="/r/12" class="m-2">it&#x27;s ۱۲</a>'


def test_persian_numbers_keeps_codes_ascii() -> None:
    from tabyin.core.templatetags.persian import persian_numbers

    message = "S03 «سهم بودجه»: 0.85 looks like a fraction; type 85 (IR-23, 1404-Q1, 1,200,000)"
    with translation.override("fa"):
        assert persian_numbers(message) == (
            "S03 «سهم بودجه»: ۰٫۸۵ looks like a fraction; type ۸۵ (IR-23, ۱۴۰۴-Q1, ۱٬۲۰۰٬۰۰۰)"
        )
    with translation.override("en"):
        assert persian_numbers(message) == message
