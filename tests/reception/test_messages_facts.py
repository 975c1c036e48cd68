"""Key messages, pure part: the facts of a Persian sentence, the fidelity verdict on a post, and
misreadings grouped into clusters (no database)."""

from __future__ import annotations

from tabyin.reception.messages.clusters import Misreading, clusters
from tabyin.reception.messages.facts import extract
from tabyin.reception.messages.fidelity import KeyMessageFacts, compare, judge, signature

MESSAGE = "فقط مستمری‌بگیران حداقل‌بگیر از ۱۵ فروردین ۱۴۰۵ مشمول افزایش ۲۰ درصدی می‌شوند."


def _facts(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.value) for f in extract(text)]


def test_facts_of_persian_and_latin_digits_dates_amounts_and_eligibility() -> None:
    assert _facts(MESSAGE) == [
        ("scope", "only"),
        ("date", "1405-01-15"),
        ("scope", "covered"),
        ("number", "20|percent"),
    ]
    assert _facts("مبلغ ٣ ميليون تومان تا 1405/02/01 به همه پرداخت نمی‌شود") == [
        ("number", "3000000|money"),
        ("date", "1405-02-01"),
        ("scope", "all"),
        ("negation", "می\u200cشود"),
    ]
    assert _facts("سه میلیون تومان، ۲۵٪ و سال ۱۴۰۴؛ غیرمشمول") == [
        ("number", "3000000|money"),
        ("number", "25|percent"),
        ("date", "1404-00-00"),
        ("scope", "not_covered"),
    ]


def test_links_handles_and_hashtags_are_no_facts() -> None:
    assert _facts("خبر https://t.co/82mGB6 @news_24 #خبر_1404") == []


def test_a_sentence_with_no_fact() -> None:
    assert extract("مستمری بازنشستگان طبق روال پرداخت می‌شود") == []


def _verdict(post: str) -> tuple[str | None, list[str]]:
    found = compare(KeyMessageFacts.of(MESSAGE), post)
    return found.outcome, [signature(c) for c in found.changes]


def test_faithful_partial_and_each_kind_of_distortion() -> None:
    same = "از پانزدهم فروردین ۱۴۰۵ فقط حداقل‌بگیران مشمول افزایش ۲۰ درصد مستمری می‌شوند"
    assert _verdict(same.replace("پانزدهم فروردین", "15 فروردین")) == ("faithful", [])
    assert _verdict("فقط حداقل‌بگیران مشمول افزایش ۲۰ درصد می‌شوند") == ("partial", [])
    assert _verdict(same.replace("۲۰ درصد", "۳۰ درصد").replace("پانزدهم فروردین", "15 فروردین")) == (
        "distorted",
        ["changed|number|20|percent|30|percent"],
    )
    assert _verdict("از ۱۵ اردیبهشت ۱۴۰۵ فقط حداقل‌بگیران مشمول افزایش ۲۰ درصد می‌شوند") == (
        "distorted",
        ["changed|date|1405-01-15|1405-02-15"],
    )
    assert _verdict("از ۱۵ فروردین ۱۴۰۵ همه مستمری‌بگیران مشمول افزایش ۲۰ درصد می‌شوند") == (
        "distorted",
        ["reversed|scope|only|all"],
    )
    assert _verdict("از ۱۵ فروردین ۱۴۰۵ فقط حداقل‌بگیران مشمول افزایش ۲۰ درصد نمی‌شوند") == (
        "distorted",
        ["negation|می\u200cشوند|added"],
    )


def test_a_dropped_negation_is_a_reversal() -> None:
    message = KeyMessageFacts.of("وام ضروری ۳۰ میلیون تومانی امسال به بازنشستگان پرداخت نمی‌شود")
    dropped = compare(message, "وام ضروری ۳۰ میلیون تومانی امسال به بازنشستگان پرداخت می‌شود")
    assert (dropped.outcome, [signature(c) for c in dropped.changes]) == (
        "distorted",
        ["reversed|negation|می\u200cشود|-"],
    )


def test_carrying_is_containment_of_the_message_words() -> None:
    message = KeyMessageFacts.of(MESSAGE)
    carried = judge(message, "کانال ما: فقط مستمری‌بگیران حداقل‌بگیر مشمول افزایش ۲۰ درصدی هستند. #خبر")
    assert (carried.carried, round(carried.containment, 2)) == (True, 0.86)  # 6 of its 7 content words
    unrelated = judge(message, "قیمت طلا و سکه امروز در بازار تهران ۲۰ درصد کاهش یافت")
    assert (unrelated.carried, unrelated.outcome) == (False, None)


def test_clusters_group_one_wrong_claim_and_collapse_reposts() -> None:
    message = KeyMessageFacts.of(MESSAGE)
    texts = [
        ("a", "فوری: فقط حداقل‌بگیران از ۱۵ فروردین ۱۴۰۵ مشمول افزایش ۳۰ درصدی می‌شوند", 900),
        ("b", "🔴 فوری: فقط حداقل‌بگیران از ۱۵ فروردین ۱۴۰۵ مشمول افزایش ۳۰ درصدی می‌شوند", 100),
        ("c", "افزایش ۳۰ درصد، آن هم فقط برای حداقل‌بگیران و از ۱۵ فروردین ۱۴۰۵، مشمول شدند", 50),
        ("d", "از ۱۵ فروردین ۱۴۰۵ همه مستمری‌بگیران مشمول افزایش ۲۰ درصد می‌شوند", 10),
    ]
    found = []
    for key, text, reach in texts:
        verdict = compare(message, text)
        assert verdict.distorted, key
        found.append(Misreading(1, key, text, reach, 7, verdict.changes[0]))
    result = clusters(found)
    assert [
        (c.signature, c.posts, c.wordings, c.reach, [e.post_key for e in c.examples]) for c in result
    ] == [
        ("changed|number|20|percent|30|percent", 3, 2, 1050, ["a", "c"]),
        ("reversed|scope|only|all", 1, 1, 10, ["d"]),
    ]


def test_offsets_point_at_the_words_of_the_prepared_text() -> None:
    from tabyin.reception.messages.facts import prepare

    raw = "🔴 فوری:  حقوق   ماه آینده پرداخت نمی‌شود https://t.co/x1 #خبر_1\n🆔 @kanal_2 و ۲۰ درصد"
    clean = prepare(raw)
    assert prepare(clean) == clean
    assert [clean[f.start : f.end] for f in extract(raw)] == ["نمی\u200cشود", "20 درصد"]
