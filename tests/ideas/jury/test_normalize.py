"""Rubric totals and juror severity normalization, with exact values."""

import random

import pytest

from tabyin.ideas.jury.normalize import (
    JurorScale,
    ScoreError,
    juror_scales,
    normalized_entry_scores,
    rubric_totals,
)
from tabyin.ideas.jury.types import Criterion, Score

ONE = [Criterion("overall", 1.0, 100.0)]


def one_criterion(rows: list[tuple[str, str, float]]) -> list[Score]:
    return [Score(juror, entry, "overall", value) for juror, entry, value in rows]


def test_the_rubric_total_is_the_weighted_share_of_the_maxima_on_0_to_100() -> None:
    criteria = [Criterion("novelty", 2.0, 10.0), Criterion("cost", 1.0, 5.0)]
    scores = [
        Score("j1", "e1", "novelty", 8.0),
        Score("j1", "e1", "cost", 5.0),
        Score("j2", "e1", "novelty", 0.0),
        Score("j2", "e1", "cost", 2.5),
    ]

    totals = rubric_totals(scores, criteria)

    # 100 × (2 × 0.8 + 1 × 1.0) / 3 and 100 × (2 × 0 + 1 × 0.5) / 3
    assert totals == {
        ("j1", "e1"): pytest.approx(86.666666666667, abs=1e-12),
        ("j2", "e1"): pytest.approx(16.666666666667, abs=1e-12),
    }


def test_a_juror_who_scores_everyone_low_does_not_sink_their_entries() -> None:
    # A lenient juror read e1–e3 (90, 80, 70); a harsh one read e4–e6 (60, 50, 40). Raw, every
    # entry of the harsh juror is below every entry of the lenient one. Standardized per juror and
    # mapped back onto the pooled scale (mean 65, sd √(875/3)), each juror's best is equal:
    # 65 ± √(875/3)·√(3/2) = 65 ± √437.5.
    scores = one_criterion(
        [
            *[("lenient", "e1", 90), ("lenient", "e2", 80), ("lenient", "e3", 70)],
            *[("harsh", "e4", 60), ("harsh", "e5", 50), ("harsh", "e6", 40)],
        ]
    )

    result = normalized_entry_scores(scores, ONE)

    assert result == {
        "e1": 85.9165,
        "e2": 65.0,
        "e3": 44.0835,
        "e4": 85.9165,
        "e5": 65.0,
        "e6": 44.0835,
    }
    assert juror_scales(rubric_totals(scores, ONE))["harsh"] == JurorScale(
        "harsh", 50.0, pytest.approx(8.164965809277, abs=1e-12), 3
    )


def test_a_harsh_juror_on_shared_panels_keeps_the_true_order_of_their_entries() -> None:
    # True merit e1 > e2 > e3 > e4. "a" and "b" score fairly; "harsh" scores e1–e4 40 points low.
    # Raw means put e3 level with e5 (60) and e4 level with e6 (50); normalized, e1–e4 lead in
    # their true order. e1 by hand: pooled mean 60, sd √375; a: mean 76.67, sd 12.47, z 1.069;
    # harsh: mean 41.25, sd 7.395, z 1.183; (80.702 + 82.913) / 2 = 81.807.
    rows = [("a", "e1", 90), ("a", "e3", 80), ("a", "e5", 60)]
    rows += [("b", "e2", 85), ("b", "e4", 70), ("b", "e6", 50)]
    rows += [("harsh", "e1", 50), ("harsh", "e2", 45), ("harsh", "e3", 40), ("harsh", "e4", 30)]

    result = normalized_entry_scores(one_criterion(rows), ONE)

    assert result == {
        "e1": 81.8074,
        "e2": 76.1655,
        "e3": 60.9511,
        "e4": 46.3959,
        "e5": 34.1225,
        "e6": 35.2376,
    }
    assert sorted(result, key=result.__getitem__, reverse=True)[:4] == ["e1", "e2", "e3", "e4"]


def test_a_juror_who_gives_everyone_the_same_total_adds_the_pooled_mean() -> None:
    scores = one_criterion([("flat", "e1", 50), ("flat", "e2", 50), ("k", "e1", 90), ("k", "e2", 30)])

    # pooled mean 55, sd √(1900/4) = 21.7945; "flat" adds 55 to both; "k": mean 60, sd 30, z = ±1,
    # so e1 = (55 + 55 + 21.7945) / 2
    assert normalized_entry_scores(scores, ONE) == {"e1": 65.8972, "e2": 44.1028}


def test_the_order_of_the_scores_does_not_change_the_result() -> None:
    rng = random.Random(11)
    criteria = [Criterion("a", 3.0, 10.0), Criterion("b", 1.5, 7.0), Criterion("c", 0.5, 4.0)]
    scores = [
        Score(f"j{(e + k) % 9}", f"e{e}", c.key, float(rng.randint(0, int(c.max_value))))
        for e in range(40)
        for k in range(3)
        for c in criteria
    ]
    shuffled = scores[:]
    rng.shuffle(shuffled)

    assert normalized_entry_scores(shuffled, criteria) == normalized_entry_scores(scores, criteria)


@pytest.mark.parametrize(
    ("scores", "english"),
    [
        ([Score("j", "e", "style", 1.0)], "unknown criterion 'style'"),
        ([Score("j", "e", "overall", 101.0)], "score 101.0 for 'overall' is outside 0..100.0"),
        ([Score("j", "e", "overall", float("nan"))], "score nan for 'overall' is outside 0..100.0"),
        (
            [Score("j", "e", "overall", 1.0), Score("j", "e", "overall", 2.0)],
            "juror j scored 'overall' of entry e twice",
        ),
    ],
)
def test_bad_scores_are_refused(scores: list[Score], english: str) -> None:
    with pytest.raises(ScoreError) as refused:
        normalized_entry_scores(scores, ONE)
    assert refused.value.english == english


def test_a_criterion_left_unscored_is_named() -> None:
    criteria = [Criterion("a", 1.0, 5.0), Criterion("b", 1.0, 5.0)]

    with pytest.raises(ScoreError) as refused:
        rubric_totals([Score("j7", "e3", "a", 4.0)], criteria)

    assert refused.value.persian == "داور j۷ به ورودی e۳ در این معیارها امتیاز نداده است: b"


@pytest.mark.parametrize(
    ("criteria", "english"),
    [
        ([], "the rubric has no criteria"),
        ([Criterion("a", 1, 5), Criterion("a", 1, 5)], "criterion keys are not unique"),
        ([Criterion("a", -1, 5)], "bad weight for 'a'"),
        ([Criterion("a", 1, 0)], "max_value of 'a' must be > 0"),
        ([Criterion("a", 0, 5)], "all weights are zero"),
    ],
)
def test_a_bad_rubric_is_refused(criteria: list[Criterion], english: str) -> None:
    with pytest.raises(ScoreError) as refused:
        rubric_totals([], criteria)
    assert refused.value.english == english
