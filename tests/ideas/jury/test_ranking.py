"""The final order with its published tie rule, and the Bradley-Terry option."""

import math
import random
from datetime import UTC, datetime

import pytest

from tabyin.ideas.jury.ranking import (
    BT_PRIOR_WHEN_DISCONNECTED,
    TIE_RULE,
    RankedEntry,
    RankingError,
    TieBreak,
    bradley_terry,
    probability_preferred,
    rank,
    tie_breaks,
)
from tabyin.ideas.jury.types import Comparison, Criterion, Score

MON = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
TUE = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)


def test_each_step_of_the_tie_rule_decides_in_its_turn() -> None:
    scores = {"a": 70.0, "b": 80.0, "c": 80.0, "d": 80.0, "e": 80.0, "f": 80.0, "g": 80.0}
    ties = {
        "a": TieBreak(90.0, 3, MON),
        "b": TieBreak(75.0, 3, TUE),
        "c": TieBreak(70.0, 4, TUE),
        "d": TieBreak(70.0, 3, MON),
        "e": TieBreak(70.0, 3, TUE),
        "f": TieBreak(70.0, 3, TUE),
        "g": TieBreak(60.0, 5, MON),
    }

    ranked = rank(scores, ties)

    assert [(r.position, r.entry_id, r.decided_by) for r in ranked] == [
        (1, "b", ""),
        (2, "c", "median_raw"),
        (3, "d", "n_jurors"),
        (4, "e", "submitted_at"),
        (5, "f", "entry_id"),
        (6, "g", "median_raw"),
        (7, "a", "score"),
    ]
    assert ranked[0] == RankedEntry(1, "b", 80.0, 75.0, 3, TUE, "")
    assert TIE_RULE == ("score", "median_raw", "n_jurors", "submitted_at", "entry_id")


def test_tie_breaks_come_from_the_raw_rubric_totals() -> None:
    criteria = [Criterion("q", 1.0, 10.0)]
    scores = [Score(j, "e1", "q", v) for j, v in (("j1", 3.0), ("j2", 9.0), ("j3", 4.0))]
    scores += [Score(j, "e2", "q", v) for j, v in (("j1", 5.0), ("j4", 8.0))]

    assert tie_breaks(scores, criteria, {"e1": MON, "e2": TUE}) == {
        "e1": TieBreak(40.0, 3, MON),
        "e2": TieBreak(65.0, 2, TUE),
    }


def test_missing_tie_data_and_naive_times_are_refused() -> None:
    with pytest.raises(RankingError) as no_data:
        rank({"e1": 1.0}, {})
    with pytest.raises(RankingError) as naive:
        rank({"e1": 1.0}, {"e1": TieBreak(1.0, 1, datetime(2026, 11, 2))})  # noqa: DTZ001 - the naive time under test
    with pytest.raises(RankingError) as no_time:
        tie_breaks([Score("j", "e9", "q", 1.0)], [Criterion("q", 1, 5)], {})

    assert no_data.value.english == "no tie-break data for entries: e1"
    assert naive.value.english == "submission times must be aware"
    assert no_time.value.persian == "زمان ارسال این ورودی‌ها معلوم نیست: e۹"


def test_bradley_terry_two_entries_three_wins_to_one() -> None:
    # The maximum-likelihood odds are the observed 3 : 1, so θa − θb = ln 3, centred on zero.
    strengths = bradley_terry([Comparison("a", "b")] * 3 + [Comparison("b", "a")])

    assert strengths == {
        "a": pytest.approx(math.log(3) / 2, abs=1e-9),
        "b": pytest.approx(-math.log(3) / 2, abs=1e-9),
    }
    assert probability_preferred(strengths, "a", "b") == pytest.approx(0.75, abs=1e-9)


def test_bradley_terry_a_balanced_cycle_gives_equal_strengths() -> None:
    cycle = [Comparison("a", "b"), Comparison("b", "c"), Comparison("c", "a")] * 2

    assert bradley_terry(cycle) == {
        "a": pytest.approx(0, abs=1e-9),
        "b": pytest.approx(0, abs=1e-9),
        "c": pytest.approx(0, abs=1e-9),
    }


def hunter_mm(comparisons: list[Comparison], prior: float) -> dict[str, float]:
    """Hunter's (2004) MM update written out in plain Python: π_i ← (W_i + prior) /
    (Σ_{comparisons with i} 1 / (π_i + π_j) + prior), with the strengths rescaled to mean 1 before
    each round (the scale on which the prior acts), until no log-strength moves by 1e-13."""
    ids = sorted({c.winner for c in comparisons} | {c.loser for c in comparisons})
    log_pi = dict.fromkeys(ids, 0.0)
    wins = {i: sum(c.winner == i for c in comparisons) for i in ids}
    while True:
        total = sum(math.exp(v) for v in log_pi.values())
        pi = {i: len(ids) * math.exp(v) / total for i, v in log_pi.items()}
        denominators = dict.fromkeys(ids, 0.0)
        for c in comparisons:
            share = 1.0 / (pi[c.winner] + pi[c.loser])
            denominators[c.winner] += share
            denominators[c.loser] += share
        logs = {i: math.log((wins[i] + prior) / (denominators[i] + prior)) for i in ids}
        centre = sum(logs.values()) / len(ids)
        moved = max(abs(logs[i] - centre - log_pi[i]) for i in ids)
        log_pi = {i: v - centre for i, v in logs.items()}
        if moved < 1e-13:
            return log_pi


def test_bradley_terry_agrees_with_a_plain_mm_on_random_judgements() -> None:
    rng = random.Random(4)
    truth = {f"e{i}": rng.gauss(0, 1) for i in range(8)}
    ids = sorted(truth)
    comparisons = []
    for _ in range(120):
        a, b = rng.sample(ids, 2)
        p = 1 / (1 + math.exp(truth[b] - truth[a]))
        comparisons.append(Comparison(a, b) if rng.random() < p else Comparison(b, a))

    fitted = bradley_terry(comparisons)

    expected = hunter_mm(comparisons, prior=0.0)
    assert fitted == {k: pytest.approx(v, abs=1e-6) for k, v in expected.items()}


def test_bradley_terry_keeps_an_undefeated_entry_finite_with_the_published_prior() -> None:
    chain = [Comparison("a", "b"), Comparison("b", "c"), Comparison("a", "c")]

    fitted = bradley_terry(chain)

    expected = hunter_mm(chain, prior=BT_PRIOR_WHEN_DISCONNECTED)
    assert fitted == {k: pytest.approx(v, abs=1e-6) for k, v in expected.items()}
    assert fitted["a"] > fitted["b"] > fitted["c"]


def test_bradley_terry_refuses_a_self_comparison_and_too_few_entries() -> None:
    with pytest.raises(RankingError) as itself:
        bradley_terry([Comparison("a", "a")])
    with pytest.raises(RankingError) as empty:
        bradley_terry([])

    assert itself.value.english == "an entry was compared with itself"
    assert empty.value.english == "at least two entries needed"
