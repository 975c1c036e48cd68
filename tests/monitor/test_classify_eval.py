"""The default (untrained) classifier against the obvious baselines, on data it was not fitted to.

Baselines, measured in the same run: the majority class of the ParsiNLU train part, and a
bag-of-words logistic regression fitted on that part (see ``sentiment_sets``). Figures are printed
with -s; ``benchmarks/bench_monitor_classify.py`` prints the full per-class table.
"""

from __future__ import annotations

import pytest

from tests.monitor import sentiment_sets

pytest.importorskip("sklearn")

from tabyin.monitor.pipeline.classify import Classifier


def _macro(predicted: list[str], rows: sentiment_sets.Rows) -> float:
    return sentiment_sets.report(predicted, [y for _t, y in rows])["macro"][2]


def _three(rows: sentiment_sets.Rows) -> tuple[float, float, float]:
    train_rows = sentiment_sets.parsinlu("train")
    texts = [t for t, _y in rows]
    default = Classifier.default()
    figures = (
        _macro(sentiment_sets.majority(train_rows, texts), rows),
        _macro(sentiment_sets.bag_of_words(train_rows, texts), rows),
        _macro([default.predict(t)[0] for t in texts], rows),
    )
    print("majority {:.3f}, bag of words {:.3f}, default {:.3f}".format(*figures))
    return figures


def test_default_beats_both_baselines_on_news_and_messages_about_the_organization() -> None:
    majority, bow, default = _three(sentiment_sets.ORGANIZATION)
    assert (round(majority, 3), round(bow, 3)) == (0.175, 0.232)
    assert default >= 0.92  # measured 0.951 (0.903 before issue 13 point 3's rules)
    assert default > bow > majority


def test_default_beats_both_baselines_on_labelled_exappc_texts() -> None:
    majority, bow, default = _three(sentiment_sets.exappc())
    assert (round(majority, 3), round(bow, 3)) == (0.062, 0.313)
    assert default >= 0.57  # measured 0.603 (0.587 before the second round of rules)
    assert default > bow > majority


def test_default_beats_both_baselines_on_the_second_exappc_sample() -> None:
    """Labelled before the classifier was run on it (``sentiment_sets._EXAPPC_MORE_LABELS``)."""
    majority, bow, default = _three(sentiment_sets.exappc_more())
    assert (round(majority, 3), round(bow, 3)) == (0.053, 0.284)
    assert default >= 0.50  # measured 0.529 (0.509 after the first round of issue 13 point 3, 0.494 before)
    assert default > bow > majority


def test_default_on_parsinlu_reviews() -> None:
    """Food and film reviews: the domain the bag of words is fitted on, not the default's. On the
    tuning part the default is ahead; on the held-out part it is still just behind the bag of
    words (0.642 against 0.663 since the second round of issue 13 point 3's rules, which raised
    the train and tune parts; 0.652 after the first round, 0.634 before it) and far ahead of the
    majority class: the honest figure, kept as a floor."""
    majority, bow, default = _three(sentiment_sets.parsinlu("tune"))
    assert default > bow > majority
    majority, bow, default = _three(sentiment_sets.parsinlu("heldout"))
    assert round(bow, 3) == 0.663
    assert default >= 0.63  # measured 0.642
    assert default > 2 * majority
