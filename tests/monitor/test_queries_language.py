"""The watch-query language: exact trees, errors with positions, and matching real Persian text."""

from __future__ import annotations

import pytest
from django.utils import translation

from tabyin.monitor.pipeline.query import And, Matcher, Not, Or, QuerySyntaxError, Term, match_key, parse


def t(text: str, key: str | None = None, *, prefix: bool = False) -> Term:
    return Term(text=text, key=key if key is not None else text, prefix=prefix)


def test_words_side_by_side_are_and() -> None:
    assert parse("تامین اجتماعی") == And((t("تامین"), t("اجتماعی")))
    assert parse("بیمه AND بیکاری") == And((t("بیمه"), t("بیکاری")))
    assert parse("بیمه & بیکاری") == And((t("بیمه"), t("بیکاری")))


def test_phrases_in_straight_and_persian_quotes() -> None:
    assert parse('"حق بیمه"') == t("حق بیمه")
    assert parse("«سازمان تأمین اجتماعی»") == t("سازمان تأمین اجتماعی", "سازمان تامین اجتماعی")
    assert parse("“نسخه الکترونیک”") == t("نسخه الکترونیک")


def test_or_not_and_precedence() -> None:
    assert parse('"حق بیمه" | مستمری -شایعه') == Or((t("حق بیمه"), And((t("مستمری"), Not(t("شایعه"))))))
    assert parse("a OR b یا c") == Or((t("a"), t("b"), t("c")))
    assert parse("(a OR b) AND NOT c") == And((Or((t("a"), t("b"))), Not(t("c"))))
    assert parse("بازنشسته*") == t("بازنشسته", prefix=True)


def test_the_word_va_is_not_an_operator_and_quoted_ya_is_a_word() -> None:
    assert parse("سیستان و بلوچستان") == And((t("سیستان"), t("و"), t("بلوچستان")))
    assert parse("«یا» یا x") == Or((t("یا"), t("x")))


def test_terms_are_normalised() -> None:
    assert parse("تامين") == t("تامین")
    assert parse("۱۴۰۳") == t("1403")
    assert parse("covid-19") == t("covid-19", "covid 19")


@pytest.mark.parametrize(
    ("expression", "message", "position"),
    [
        ("", "The query is empty.", 0),
        ("a (b", "The parenthesis is not closed.", 2),
        ("a b)", "This parenthesis closes nothing.", 3),
        ('a "b', "The quotation mark is not closed.", 2),
        ("a OR", "A word is missing at the end of the query.", 4),
        ("OR a", "A word is missing before “OR”.", 0),
        (
            "NOT a",
            "The query would match texts that contain none of its words; add a word that is not negated.",
            0,
        ),
        (
            "a | -b",
            "The query would match texts that contain none of its words; add a word that is not negated.",
            0,
        ),
        ('"؟!"', "This has no letters or digits to search for.", 0),
    ],
)
def test_syntax_errors_say_what_and_where(expression: str, message: str, position: int) -> None:
    with translation.override("en"), pytest.raises(QuerySyntaxError) as caught:
        parse(expression)
    assert (caught.value.message, caught.value.position) == (message, position)
    with translation.override("en"):
        assert str(caught.value) == f"{message} (at character {position + 1})"


def test_match_key_folds_like_search_key_but_keeps_words_apart() -> None:
    assert match_key("سازمان تأمين‌اجتماعي ۱۴۰۳") == "سازمان تامین اجتماعی 1403"


ORG = (1, '"سازمان تأمین اجتماعی" | "تأمین اجتماعی"')


@pytest.mark.parametrize(
    "text",
    [
        "سازمان تأمین اجتماعی اعلام کرد مستمری‌ها واریز شد",
        "سازمان تامين اجتماعي اعلام کرد",  # Arabic yeh, no hamza
        "مدیرعامل تامین‌اجتماعی گفت",  # ZWNJ
        "بیمه‌شدگان تامیناجتماعی",  # joined
        "«تأمین اجتماعی»: خبر نادرست است",  # punctuation around
        "TAMIN: تأمين اجتماعی",
    ],
)
def test_organization_variants_match(text: str) -> None:
    assert Matcher([ORG]).match(text) == [1]


def test_whole_words_only_unless_a_star() -> None:
    matcher = Matcher([(1, "قم"), (2, "مستمری"), (3, "بازنشسته*"), (4, "کرمان")])
    assert matcher.match("این رقم بالاست") == []
    assert matcher.match("اداره کل قم، امروز") == [1]
    assert matcher.match("مستمری‌ها پرداخت شد") == [2]
    assert matcher.match("مستمریها پرداخت شد") == []
    assert matcher.match("بازنشستگان و بازنشسته‌ها") == [3]
    assert matcher.match("کرمانشاه") == []


def test_phrases_not_and_digits() -> None:
    matcher = Matcher(
        [
            (1, '"حق بیمه" -شایعه'),
            (2, '"افزایش حقوق" (بازنشستگان | مستمری‌بگیران)'),
            (3, "«سال ۱۴۰۳»"),
            (4, "بیمه بیکاری"),
        ]
    )
    assert matcher.match("حق‌بیمه کارگران ساختمانی افزایش یافت") == [1]
    assert matcher.match("شایعه افزایش حق بیمه صحت ندارد") == []
    assert matcher.match("افزایش حقوق مستمری بگیران از فروردین") == [2]
    assert matcher.match("حقوق بازنشستگان افزایش یافت") == []
    assert matcher.match("بودجه سال 1403 تصویب شد") == [3]
    assert matcher.match("بیکاری و بیمه") == [4]
    assert matcher.match("بیمه‌ی بیکاری") == [4]


def test_many_queries_one_pass_and_broken_rows_kept_apart() -> None:
    matcher = Matcher([(1, '"تأمین اجتماعی"'), (2, "a ("), (3, "مستمری"), (5, "تامین")])
    assert len(matcher) == 3
    assert set(matcher.errors) == {2}
    assert matcher.match("مستمری تامین اجتماعی") == [1, 3, 5]
    assert Matcher([]).match("هر متنی") == []


def test_match_key_words_agree_with_search_key_on_real_text() -> None:
    import json
    import re
    from pathlib import Path

    from tabyin.core.persian_text import normalize, search_key

    data = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "persian"
    rows = (data / "persian_stance" / "headline_claim.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["headline"] for line in rows[:500]]
    words = re.compile(r"[^\W_]+")
    for text in texts:
        assert words.findall(match_key(text)) == [
            search_key(w) for w in words.findall(normalize(text).replace("\u200c", " ").replace("-", " "))
        ]
