from __future__ import annotations

import pandas as pd
import pytest

from tabyin.campaigns.effects.holdout import balance, past_trends, suggest_holdout
from tabyin.campaigns.effects.panel import PanelError
from tabyin.campaigns.effects.simulate import iran_provinces
from tabyin.campaigns.effects.validation import single_launch


def _provinces() -> pd.DataFrame:
    panel = single_launch(0, treated=8, comparison=23)[0]
    before = panel[panel["month"] < pd.Timestamp("2025-01-01").date()]
    trends = past_trends(before)
    population = pd.DataFrame(
        [(p.code, p.population) for p in iran_provinces()], columns=["province", "population"]
    )
    return population.merge(trends, on="province")


def test_the_suggested_split_is_balanced_and_repeatable() -> None:
    provinces = _provinces()
    held_out = suggest_holdout(provinces, 6, seed=7)
    assert len(held_out) == 6
    assert held_out == sorted(held_out)
    assert held_out == suggest_holdout(provinces, 6, seed=7)
    assert held_out != suggest_holdout(provinces, 6, seed=8)
    # Far better balanced than a plain random draw usually is (0.1 standard deviations is the
    # usual bar for "balanced").
    assert balance(provinces, held_out) < 0.1


def test_bad_province_tables_get_a_persian_error() -> None:
    provinces = _provinces()
    with pytest.raises(PanelError, match="ستون"):
        suggest_holdout(provinces.drop(columns=["past_trend"]), 6, seed=0)
    with pytest.raises(PanelError, match="شمار"):
        suggest_holdout(provinces, 31, seed=0)
    with pytest.raises(PanelError, match="جمعیت"):
        suggest_holdout(provinces.assign(population=0), 6, seed=0)


def test_past_trends_are_monthly_slopes() -> None:
    panel = pd.DataFrame(
        {
            "province": ["IR-01"] * 3 + ["IR-02"] * 3,
            "month": [pd.Timestamp(f"2024-0{m}-01").date() for m in (1, 2, 3)] * 2,
            "outcome": [1.0, 3.0, 5.0, 4.0, 4.0, 4.0],
        }
    )
    trends = past_trends(panel)
    assert trends["province"].tolist() == ["IR-01", "IR-02"]
    assert trends["past_trend"].round(6).tolist() == [2.0, 0.0]
