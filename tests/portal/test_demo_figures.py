"""The demo's sample figures: deterministic and calibrated on the public reference figures."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from tabyin.portal import demo_figures as df

PROVINCES = Path(__file__).resolve().parents[2] / "src" / "tabyin" / "core" / "data" / "provinces.csv"


@pytest.fixture(scope="module")
def figures() -> list[df.Figure]:
    rows = list(csv.DictReader(PROVINCES.open(encoding="utf-8")))
    return df.all_figures([df.Province(r["iso_3166_2"], int(r["population_2016"])) for r in rows])


def _value(figures: list[df.Figure], code: str, area: str, period: str) -> Decimal:
    return next(f.value for f in figures if (f.indicator, f.area, f.period) == (code, area, period))


def test_same_seed_same_figures(figures: list[df.Figure]) -> None:
    rows = list(csv.DictReader(PROVINCES.open(encoding="utf-8")))
    again = df.all_figures([df.Province(r["iso_3166_2"], int(r["population_2016"])) for r in rows])

    assert again == figures
    assert len(figures) == 43 * (31 * 13 + 13 + 1)  # months × (provinces × indicators + IR rows + debt)


def test_three_jalali_years_and_more(figures: list[df.Figure]) -> None:
    periods = df.periods()

    assert (periods[0], periods[-1], len(periods)) == ("1402-01", "1405-07", 43)


def test_national_levels_are_the_sum_of_provinces(figures: list[df.Figure]) -> None:
    provinces = sum(
        f.value
        for f in figures
        if f.indicator == "covered-people" and f.period == "1404-07" and f.area != "IR"
    )

    assert _value(figures, "covered-people", "IR", "1404-07") == provinces


def test_calibration_matches_the_reference_figures(figures: list[df.Figure]) -> None:
    covered = _value(figures, "covered-people", "IR", "1404-07")
    outpatient = [_value(figures, "outpatient-services-per-day", "IR", f"1404-{m:02d}") for m in range(1, 13)]
    inpatient = _value(figures, "inpatient-services-per-day", "IR", "1404-07")
    rates = {f.area: f.value for f in figures if f.indicator == "coverage-rate" and f.period == "1404-07"}

    assert 46_000_000 < covered < 52_000_000  # about 48 M covered people
    assert 900_000 < sum(outpatient) / 12 < 1_150_000  # about 1,000,000 outpatient services a day
    assert 11_000 < inpatient < 16_000  # about 13,000 inpatient services a day
    assert min(rates.values()) == rates["IR-11"]  # Sistan and Baluchestan lowest (27 % in 1401)
    assert max(rates.values()) == rates["IR-21"]  # Yazd highest (85 % in 1401)
    assert 26 < rates["IR-11"] < 31
    assert 82 < rates["IR-21"] < 89
    assert outpatient[0] < min(outpatient[1:])  # Nowruz empties the clinics in Farvardin
