"""ICC(1) for the jury, checked against pingouin and against the published worked example."""

import random
from fractions import Fraction

import pandas as pd
import pytest

from tabyin.ideas.jury.agreement import AgreementError, IccResult, icc
from tabyin.ideas.jury.types import Criterion, Score

# pingouin 0.7 still calls a pandas method pandas 4 will drop; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

TEN = [Criterion("q", 1.0, 10.0)]

# Shrout & Fleiss (1979), table 2: six targets, four judges; their ICC(1,1) is 0.17.
SHROUT_FLEISS = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]


def complete(rows: list[list[int]]) -> list[Score]:
    return [Score(f"j{j}", f"e{i}", "q", float(v)) for i, row in enumerate(rows) for j, v in enumerate(row)]


def pingouin_icc1(scores: list[Score]) -> pd.Series:
    import pingouin  # seconds to import (statsmodels, matplotlib): only when this test runs

    frame = pd.DataFrame(
        [(s.entry_id, s.juror_id, s.value * 10) for s in scores], columns=["entry", "juror", "total"]
    )
    table = pingouin.intraclass_corr(frame, targets="entry", raters="juror", ratings="total")
    return table.set_index("Type").loc["ICC(1,1)"]


def test_the_shrout_fleiss_example_matches_the_paper_and_pingouin() -> None:
    scores = complete(SHROUT_FLEISS)

    result = icc(scores, TEN)

    reference = pingouin_icc1(scores)
    assert round(result.value, 2) == 0.17
    assert result.value == pytest.approx(reference["ICC"], abs=1e-12)
    assert [round(result.ci_low, 2), round(result.ci_high, 2)] == list(reference["CI95"])
    assert (result.n_entries, result.n_jurors, result.form, result.confidence) == (6, 4, "ICC(1)", 0.95)


def test_a_random_complete_design_matches_pingouin() -> None:
    rng = random.Random(21)
    merit = [rng.randint(2, 9) for _ in range(30)]
    rows = [[max(0, min(10, m + rng.randint(-2, 2))) for _ in range(4)] for m in merit]
    scores = complete(rows)

    result = icc(scores, TEN)

    reference = pingouin_icc1(scores)
    assert result.value == pytest.approx(reference["ICC"], abs=1e-12)
    assert [round(result.ci_low, 2), round(result.ci_high, 2)] == list(reference["CI95"])


def test_an_incomplete_design_uses_the_unequal_group_size_estimator() -> None:
    # Totals on 0–100 (value × 10): e1 (10, 20, 30), e2 (40, 60), e3 (70, 80, 90, 100); e4 has one
    # rating and is left out. Worked in exact fractions below: N = 9, n = 3.
    groups = {"e1": [1, 2, 3], "e2": [4, 6], "e3": [7, 8, 9, 10]}
    scores = [
        Score(f"j{k}", entry, "q", float(v)) for entry, values in groups.items() for k, v in enumerate(values)
    ]
    scores.append(Score("j0", "e4", "q", 5.0))
    totals = {e: [Fraction(10 * v) for v in values] for e, values in groups.items()}
    big_n = sum(len(v) for v in totals.values())
    grand = sum(sum(v) for v in totals.values()) / big_n
    means = {e: sum(v) / len(v) for e, v in totals.items()}
    msb = sum(len(v) * (means[e] - grand) ** 2 for e, v in totals.items()) / 2
    msw = sum((x - means[e]) ** 2 for e, v in totals.items() for x in v) / (big_n - 3)
    k0 = (big_n - Fraction(sum(len(v) ** 2 for v in totals.values()), big_n)) / 2
    expected = (msb - msw) / (msb + (k0 - 1) * msw)

    result = icc(scores, TEN)

    assert k0 == Fraction(26, 9)
    assert result.value == pytest.approx(float(expected), abs=1e-12)
    assert expected == Fraction(316, 355)
    assert (result.n_entries, result.n_jurors) == (3, 4)
    assert result.ci_low < result.value < result.ci_high


def test_perfect_agreement_is_one() -> None:
    assert icc(complete([[3, 3], [7, 7], [5, 5]]), TEN) == IccResult(1.0, 1.0, 1.0, 3, 2)


def test_too_few_ratings_are_refused() -> None:
    with pytest.raises(AgreementError) as refused:
        icc(complete([[3, 4]]), TEN)

    assert refused.value.english == "ICC needs at least two entries with two ratings each"
