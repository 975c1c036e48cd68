"""The Wilson interval against known values, and the open-answer themes."""

from __future__ import annotations

import pytest

from tabyin.reception.polls import themes
from tabyin.reception.polls.stats import wilson


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Exact bounds of the Wilson score interval without continuity correction (R's
        # prop.test(correct = FALSE), scipy's binomtest(...).proportion_ci(method="wilson")).
        (0, 10, 0.0, 0.2775327998628892),
        (5, 10, 0.236593090512564, 0.7634069094874361),
        (10, 10, 0.7224672001371107, 1.0),
        (81, 263, 0.2552885198782742, 0.36620957698280004),
        (1, 1, 0.20654931437723745, 1.0),
    ],
)
def test_wilson_known_values(successes: int, n: int, low: float, high: float) -> None:
    found = wilson(successes, n)
    assert found is not None
    assert found.share == successes / n
    assert found.low == pytest.approx(low, abs=1e-12)
    assert found.high == pytest.approx(high, abs=1e-12)


def test_wilson_ends_are_exact_and_empty_is_none() -> None:
    assert wilson(0, 10).low == 0.0  # type: ignore[union-attr]
    assert wilson(10, 10).high == 1.0  # type: ignore[union-attr]
    assert wilson(0, 0) is None
    with pytest.raises(ValueError, match="11/10"):
        wilson(11, 10)


def test_words_are_normalized_and_function_words_dropped() -> None:
    # Arabic yeh/kaf, a ZWNJ plural and a hamza spelling fold to one form; «را» and «کی» are dropped.
    assert themes.words("مستمري‌ها را کی واريز مي‌کنيد؟ تأمین") == frozenset(
        {"مستمری", "واریز", "میکنید", "تامین"}
    )


def test_themes_group_by_shared_words() -> None:
    answers = [
        "نمودار فروردین را نفهمیدم",
        "افزایش مستمری امسال چند درصد است؟",
        "جهش نمودار فروردین گیج‌کننده بود",
        "درصد افزایش مستمری را هم بنویسید",
        "؟؟ !!",
        "ممنون",
    ]
    found, empty = themes.group(answers)
    assert [(t.label, t.answers) for t in found] == [
        (["فروردین", "نمودار", "جهش"], ["نمودار فروردین را نفهمیدم", "جهش نمودار فروردین گیج‌کننده بود"]),
        (
            ["افزایش", "درصد", "مستمری"],
            ["افزایش مستمری امسال چند درصد است؟", "درصد افزایش مستمری را هم بنویسید"],
        ),
        (["ممنون"], ["ممنون"]),
    ]
    assert empty == 1
