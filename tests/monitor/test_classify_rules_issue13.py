"""Issue 13 point 3, second round: rule fixes of the default sentiment scorer, each a sentence the
rules before it read wrongly (the old reading in the comment)."""

from __future__ import annotations

import pytest

from tabyin.monitor.pipeline import sentiment_clauses, sentiment_rules
from tabyin.monitor.pipeline.classify import Classifier
from tabyin.monitor.pipeline.sentiment_table import TABLE


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # A suffixed form that is another word: «دقیقه» a minute, «خونه» home, «قطعات» pieces
        ("بعد از ۵ دقیقه رسید", "neutral"),  # was positive («دقیق» + «ه»)
        ("این محصول همیشه تو خونه ما هست", "neutral"),  # was negative («خون» + «ه»)
        ("با کیفیت بود و قطعات میوه در آن مشخص بود", "positive"),  # was negative («قطع» + «ات»)
        # A negative verb of another clause does not negate: the clause ended with «بود» / «فقط»
        ("تخم مرغ ها خراب بود فقط نمی‌دونستم چطور پس بدم", "negative"),  # was neutral
        # «نه X و نه Y» denies both
        ("این گوشت نه طعم خوبی داشت و نه بوی خوبی", "negative"),  # was neutral
        # A shifter does not reach over «و» to what it does not change
        ("کم بو و خوش خوراک است", "positive"),  # was negative («کم» of «خوش خوراک»)
        # «با اینکه X ولی Y»: Y is the verdict, not a balanced "mixed" text
        ("با اینکه تخفیف زده بود ولی بازم از فروشگاه ها گرون تر میده", "negative"),  # was neutral
        # A negative verb alone after «ولی» is a reservation
        ("طعمش خیلی خوبه ولی اونجوری که تو تصویره نیست", "neutral"),  # was positive
        # «کمی» before a verb is "little of it"
        ("ماندگاری کمی داره", "negative"),  # was positive
        # One negative verb denies both words joined by «و»
        ("کیفیتش اصلا خوب و مثل قبل نیست", "negative"),  # was neutral
        # Praise in an «اگر/اگه» clause is hypothetical
        ("اگه کیفیتش بهتر بود حتما میخریدم", "neutral"),  # was positive
        # A bare wish is a complaint
        ("کاش با منطق بیشتری به پایان داستان توجه می شد", "negative"),  # was neutral
        # Everyday review words
        ("خانواده ام از طعمش خوششان آمد", "positive"),  # was neutral
        ("فرزاد موتمن گل کاشت", "positive"),  # was neutral
        # Only complaint, however mild, is a complaint; hedged it is not
        ("کمی تلخه", "negative"),  # was neutral
        ("شاید کمی تلخ باشه", "neutral"),  # (unchanged: the hedge keeps it neutral)
    ],
)
def test_default_reads_issue13_sentences(text: str, label: str) -> None:
    assert Classifier.default().predict(text)[0] == label


def test_false_friends_are_not_suffixed_forms_but_exact_entries_still_count() -> None:
    assert "دقیقه" not in TABLE and "خونه" not in TABLE and "قطعات" not in TABLE
    assert "دقیق" in TABLE and "دقیقتر" in TABLE


def test_subordinate_clause_ends_at_the_contrast_or_after_its_verb() -> None:
    assert sentiment_clauses.subordinate(["با", "اینکه", "گرون", "بود", "خوبه"]) == (0, 4)
    assert sentiment_clauses.subordinate(["علیرغم", "قیمت", "ولی", "خوبه"]) == (0, 2)
    # «وجود» alone is not «با وجود»: nothing starts before the first word
    assert sentiment_clauses.subordinate(["وجود", "دارد"]) is None


def test_a_hedged_reading_says_so() -> None:
    assert sentiment_rules.read("شاید کمی تلخ باشه").hedged
    assert not sentiment_rules.read("کمی تلخه").hedged
