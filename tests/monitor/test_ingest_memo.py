"""The text memo of the pure step: the second copy of a text gets exactly the first copy's work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tabyin.monitor.pipeline.batch import BatchDecision, decide
from tabyin.monitor.pipeline.classify import Classifier
from tabyin.monitor.pipeline.index import NearDupIndex
from tabyin.monitor.pipeline.memo import TextMemo
from tabyin.monitor.pipeline.query import Matcher
from tabyin.monitor.pipeline.types import RawPost

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
TEXTS = [
    "افزایش مستمری بازنشستگان تامین اجتماعی از اول فروردین اجرا می‌شود",
    "فوری 👇 افزایش مستمری بازنشستگان تامین اجتماعی از اول فروردین اجرا می‌شود",
    "آیا صحت دارد که حق بیمه کارگران ساختمانی دو برابر می‌شود؟ پخش کنید",
    "خبر دو برابر شدن حق بیمه کارگران ساختمانی تکذیب شد",
    "بیمارستان‌های طرف قرارداد از این هفته نوبت اینترنتی می‌دهند و مردم راضی نبودند",
    "😡😡",
    "قیمت دلار امروز در بازار آزاد ۵۸ هزار تومان شد",
]


def _batches() -> list[list[RawPost]]:
    """Three batches; later ones repeat earlier texts (cross-posts, a forward, an emoji-only post)."""
    order = [0, 2, 5, 1, 6, 3, 0, 2, 4, 5, 6, 3, 1, 4, 0]
    items = [
        RawPost(f"telegram:ch{n % 4}", str(n), TEXTS[t], T0 + timedelta(minutes=n))
        for n, t in enumerate(order)
    ]
    items.append(
        RawPost("telegram:fw", "1", TEXTS[2], T0 + timedelta(minutes=30), forwarded_from="telegram:ch1/1")
    )
    return [items[:6], items[6:11], items[11:]]


def _outcome(decision: BatchDecision) -> list[Any]:
    out: list[Any] = [sorted((k, s.signature, s.title) for k, s in decision.new_stories.items())]
    for p in decision.posts:
        labels = (p.sentiment, p.score, p.rumor, p.matches, p.tag_matches, p.denial)
        out.append((p.key, p.story_key, p.matched, p.similarity, *labels, p.signature.tobytes()))
    return out


def _run(memo: TextMemo | None, matcher: Matcher, classifier: Classifier) -> list[Any]:
    index = NearDupIndex(timedelta(days=7))
    results = []
    for items in _batches():
        decision = decide(items, {}, index=index, matcher=matcher, classifier=classifier, memo=memo)
        results.append(_outcome(decision))
    return results


def test_decisions_with_the_memo_are_those_without() -> None:
    matcher = Matcher([(1, "«تامین اجتماعی»"), (2, "«حق بیمه»"), (3, "بیمارستان"), (4, "(دلار | ارز) قیمت")])
    classifier = Classifier.default()
    memo = TextMemo()

    with_memo = _run(memo, matcher, classifier)

    assert with_memo == _run(None, matcher, classifier)
    # 16 posts, 7 distinct texts: each text is labelled once, the other 9 copies come from the memo.
    assert (memo.misses, memo.hits, len(memo)) == (7, 9, 7)


def test_another_matcher_or_classifier_is_not_answered_from_the_memo() -> None:
    memo = TextMemo()
    first = _run(memo, Matcher([(1, "«تامین اجتماعی»")]), Classifier.default())
    again = _run(memo, Matcher([(9, "مستمری")]), Classifier.default())

    assert (first[0][1][7], again[0][1][7]) == ([1], [9])
    assert memo.misses == 14  # every text labelled again for the second matcher


def test_the_memo_forgets_the_least_recently_used_text_first() -> None:
    memo = TextMemo(capacity=2)
    keys = [memo.key(t) for t in TEXTS[:3]]
    labels: Any = object()
    memo.keep_labels(keys[0], labels)
    memo.keep_labels(keys[1], labels)
    assert memo.labels(keys[0]) is labels  # used: now the most recent
    memo.keep_labels(keys[2], labels)

    assert (memo.labels(keys[1]), memo.labels(keys[0]) is labels, len(memo)) == (None, True, 2)
