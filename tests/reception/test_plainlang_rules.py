"""Each rule of the plain-language checker on hand-written sentences: a positive and a negative
example, with the exact findings (kind, start, end, words, fix). Offsets are code points into the
sentence as written (ZWNJ counts as a character)."""

from __future__ import annotations

import pytest

from tabyin.reception.plainlang.checker import Kind, TextRejectedError, analyze
from tabyin.reception.plainlang.jargon import lexicon_for, read_file

LEXICON = lexicon_for(read_file())
NUMBER_FIX = "ریال، تومان، نفر، روز، درصد…"


def found(text: str) -> list[tuple[str, int, int, str, str]]:
    report = analyze(text, LEXICON)
    result = [(f.kind.value, f.start, f.end, f.excerpt, f.fix) for f in report.findings]
    for _, start, end, excerpt, _ in result:
        assert text[start:end] == excerpt  # offsets point into the text as given
    return result


CASES = [
    # passive: a participle with «شد»; a compound verb with «گردید»; «… شده است»
    ("نامه دیروز نوشته شد.", [("passive", 11, 19, "نوشته شد", "[چه کسی] نوشت")]),
    ("حقوق این ماه پرداخت گردید.", [("passive", 13, 25, "پرداخت گردید", "[چه کسی] پرداخت کرد")]),
    ("مدارک شما بررسی شده است.", [("passive", 10, 23, "بررسی شده است", "[چه کسی] بررسی کرده است")]),
    ("نامه‌ها فرستاده شده‌اند.", [("passive", 8, 23, "فرستاده شده‌اند", "[چه کسی] فرستاده است")]),
    ("علی نامه را نوشت.", []),
    ("هوا سرد شده است.", []),
    ("او آماده شد.", []),
    # nominal: the action as a noun that «was done»
    (
        "درخواست شما مورد بررسی قرار گرفت.",
        [("nominal", 12, 32, "مورد بررسی قرار گرفت", "[چه کسی] بررسی کرد")],
    ),
    ("بازدید به عمل آمد.", [("nominal", 0, 17, "بازدید به عمل آمد", "[چه کسی] بازدید کرد")]),
    ("پرداخت صورت گرفت.", [("nominal", 0, 16, "پرداخت صورت گرفت", "[چه کسی] پرداخت کرد")]),
    ("بررسی انجام شد.", [("nominal", 0, 14, "بررسی انجام شد", "[چه کسی] بررسی کرد")]),
    # the noun is not next to the verb: the rule names none
    ("بازدید از شعبه به عمل آمد.", [("nominal", 15, 25, "به عمل آمد", "[چه کسی] … کرد")]),
    ("کارشناس درخواست را بررسی کرد.", []),
    ("کارشناس کار را انجام داد.", []),
    # numbers: a unit, a percent sign, a label before it, a year or a month after it are enough
    ("مبلغ ۲۰ پرداخت شد.", [("number", 5, 7, "۲۰", NUMBER_FIX)]),
    ("مبلغ ۲٫۵ میلیون واریز شد.", [("number", 5, 15, "۲٫۵ میلیون", NUMBER_FIX)]),
    ("مبلغ ۲۰ میلیون ریال پرداخت شد.", []),
    ("نرخ ۲٫۵ درصد است.", []),
    ("رشد ۱۲٪ بود.", []),
    ("طبق ماده ۸۰ قانون.", []),
    ("در سال ۱۴۰۳ آغاز شد.", []),
    ("تا ۱۵ مهر مهلت دارید.", []),
    # abbreviations: defined in brackets either way round, or not at all
    ("این کار با SSO انجام نشد.", [("abbreviation", 11, 14, "SSO", "SSO (نام کامل)")]),
    ("نامه از ت.ا.ا. رسید.", [("abbreviation", 8, 14, "ت.ا.ا.", "ت.ا.ا. (نام کامل)")]),
    ("سازمان تأمین اجتماعی (SSO) پاسخ داد. SSO گفت.", []),
    # office words, however the parts are joined
    ("ثبت‌نام الزامی است.", [("jargon", 8, 18, "الزامی است", "باید")]),
    ("این فرم نمی باشد.", [("jargon", 8, 16, "نمی باشد", "نیست")]),
    ("این فرم نمیباشد.", [("jargon", 8, 15, "نمیباشد", "نیست")]),
    ("از مساعدت شما سپاسگزاریم.", [("jargon", 3, 9, "مساعدت", "کمک")]),
    ("مدارک را اخذ کنید.", [("jargon", 9, 12, "اخذ", "گرفتن")]),
    ("به ثبت‌نام مبادرت ورزید.", [("jargon", 11, 23, "مبادرت ورزید", "کرد")]),
    (
        "مستمری‌بگیر مشمول فرم را پر کند.",
        [("jargon", 0, 17, "مستمری‌بگیر مشمول", "مستمری‌بگیری که شرایط این طرح را دارد")],
    ),
    # the ezafe written after «ه» («کلیه‌ی») still finds «کلیه»
    ("کلیه‌ی مدارک را بیاورید.", [("jargon", 0, 6, "کلیه‌ی", "همهٔ")]),
    ("نامه را تحویل نموده‌اند.", [("jargon", 14, 23, "نموده‌اند", "کرده‌اند")]),
    # «مستمری» is kept: people know it
    ("مستمری شما واریز شد.", []),
    ("ثبت‌نام لازم نیست.", []),
    # Arabic ي/ك in the text still match, and offsets stay those of the text as written
    ("از مساعدت شما متشكريم.", [("jargon", 3, 9, "مساعدت", "کمک")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:24] for c in CASES])
def test_rule(text: str, expected: list[tuple[str, int, int, str, str]]) -> None:
    assert found(text) == expected


def test_long_sentence_over_25_words_and_not_at_25() -> None:
    words = " ".join(["کار"] * 25)
    assert found(words + ".") == []
    long = " ".join(["کار"] * 26) + "."
    assert found(long) == [("long_sentence", 0, len(long), long, "دو یا چند جملهٔ کوتاه‌تر")]


def test_passive_inside_a_nominal_is_one_finding_and_jargon_inside_a_passive_is_dropped() -> None:
    # «اعلام گردید» is in the list too; the passive finding already says it.
    assert found("نتیجه اعلام گردید.") == [("passive", 6, 17, "اعلام گردید", "[چه کسی] اعلام کرد")]


def test_findings_come_in_text_order_with_the_long_sentence_first() -> None:
    text = "مبلغ ۲۰ " + " ".join(["کار"] * 24) + " پرداخت گردید."
    kinds = [f.kind for f in analyze(text, LEXICON).findings]
    assert kinds == [Kind.LONG_SENTENCE, Kind.NUMBER, Kind.PASSIVE]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("  \n\t ", "empty"),
        ("Only English here.", "not_persian"),
        ("؟؟ !!", "not_persian"),
        ("ب" * 50_001, "too_long"),
    ],
)
def test_nothing_to_check(text: str, problem: str) -> None:
    with pytest.raises(TextRejectedError) as caught:
        analyze(text, LEXICON)
    assert caught.value.problem.value == problem


def test_a_text_at_the_limit_is_checked() -> None:
    text = ("کار خوب است. " * 4000)[:50_000]
    assert analyze(text, LEXICON).characters == 50_000
