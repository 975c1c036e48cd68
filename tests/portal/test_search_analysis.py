"""Search analysis: stems (checked against hazm's Stemmer on the catalogue's words), the reviewed
synonym list, document terms, highlighting and the "did you mean" distance."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hazm import Stemmer

from tabyin.core.persian_text import normalize, search_key
from tabyin.portal.catalog import definitions as catalog
from tabyin.portal.search.analysis import (
    SynonymFileError,
    document_terms,
    parse_synonyms,
    stem,
    synonyms,
    tokens,
)
from tabyin.portal.search.query import correction, highlight, parse_query


@pytest.mark.parametrize(
    ("words", "common"),
    [
        (("بازنشستگی", "بازنشستگان", "بازنشسته"), "بازنشسته"),
        (("مستمری", "مستمری‌ها", "مستمريها"), "مستمر"),
        (("درمان", "درمانی", "درمان‌ها"), "درم"),
        (("کارفرما", "کارفرمایان"), "کارفرما"),
        (("ازکارافتادگی", "ازکارافتادگان", "ازکارافتاده"), "ازکارافتاده"),
        (("pension", "pensions"), "pension"),
        (("15", "۱۵"), "15"),
    ],
)
def test_forms_of_one_word_share_a_stem(words: tuple[str, ...], common: str) -> None:
    assert {stem(search_key(w)) for w in words} == {common}


def test_short_words_keep_their_suffix_letters() -> None:
    assert [stem(w) for w in ("کمتر", "زنان", "ها", "class", "bus")] == ["کمتر", "زنان", "ها", "class", "bus"]


def test_stems_agree_with_hazm_where_hazm_is_right() -> None:
    """Pairs of catalogue words hazm's Stemmer gives one stem: we give one stem too, except for
    the listed pairs, each different on purpose or a known limit."""
    texts = [t for i in catalog.INDICATORS for t in (i.name_fa, i.what_fa, i.why_fa, i.how_to_read_fa)]
    texts += [t for theme in catalog.THEMES for t in (theme.name_fa, theme.summary_fa)]
    words = set()
    for text in map(normalize, texts):
        words |= {text[t.start : t.end] for t in tokens(text) if not text[t.start : t.end].isascii()}
    hazm = Stemmer()
    by_stem: dict[str, set[str]] = {}
    for w in words:
        by_stem.setdefault(search_key(hazm.stem(w)), set()).add(w)
    pairs = [p for group in by_stem.values() for p in itertools.combinations(sorted(group), 2)]
    differ = {(a, b) for a, b in pairs if stem(search_key(a)) != stem(search_key(b))}

    assert (len(words), len(pairs)) == (232, 25)
    assert differ == {
        ("خدمات", "خدمت"),  # known limit: an Arabic plural; a synonym group would join them
        ("کم", "کمتر"),  # known limit: «کم» is too short to strip «تر» from safely
        ("بیمه", "بیمه\u200cای"),  # the joined «بیمهای» differs, but its part «بیمه» matches
        ("بر", "برای"),  # hazm over-stems the rest: different words
        ("پایان", "پایین"),
        ("به", "بهتر"),
        ("آن", "آنان"),
        ("از", "ازای"),
        ("در", "درمان"),
        ("سه", "سهام"),
    }


def test_document_terms_have_keys_stems_parts_and_concepts() -> None:
    assert document_terms("مستمری‌بگیران اصلی در تهران") == [
        "مستمریبگیران",
        "مستمریبگیر",
        "مستمر",
        "بگیر",
        "qsyn1",  # the pension group: «مستمری بگیران» is one of its phrases
        "اصلی",
        "اصل",
        "تهران",
        "تهر",
    ]
    assert "qsyn1" in document_terms("حقوق بازنشستگی")
    assert "qsyn1" not in document_terms("حقوق")


def test_every_synonym_group_is_commented_and_phrases_are_unique() -> None:
    syn = synonyms()
    assert len(syn.groups) == 40
    assert all(len(g) >= 2 for g in syn.groups)
    assert syn.phrases[("بازنشسته",)] == syn.phrases[("مستمر",)] == "qsyn1"
    with pytest.raises(SynonymFileError, match="line 1: a synonym group needs a «#» comment"):
        parse_synonyms("بیکاری | بیمه بیکاری\n")
    with pytest.raises(SynonymFileError, match="line 4: «مستمری» is already in another group"):
        parse_synonyms("# a\nبازنشستگی | مستمری\n\n# b\nمستمری | حقوق\n".replace("\n\n# b\n", "\n# b\n"))
    with pytest.raises(SynonymFileError, match="line 3: a synonym group needs a «#» comment"):
        parse_synonyms("# one comment for two groups is not enough\nبیکاری | مقرری\nتهران | tehran\n")
    with pytest.raises(SynonymFileError, match="at least two phrases"):
        parse_synonyms("# why\nتنها\n")


def test_highlight_marks_matches_and_escapes_everything() -> None:
    groups = parse_query("بازنشستگی تهر")
    assert highlight("<i>مستمری</i> & بازنشستگان تهران", groups) == (
        "&lt;i&gt;<mark>مستمری</mark>&lt;/i&gt; &amp; <mark>بازنشستگان</mark> <mark>تهران</mark>"
    )
    long = " ".join(["واژه"] * 40 + ["مستمری"] + ["پایان"] * 40)
    snippet = highlight(long, groups, snippet=True)
    assert snippet.startswith("… واژه") and snippet.endswith("پایان …") and snippet.count("<mark>") == 1
    assert len(snippet.split()) == 28 + 2


def test_correction_takes_the_closest_most_frequent_word() -> None:
    vocab = Counter({"تهران": 3, "بیمارستان": 2, "بیمارستان‌ها": 1, "تهرانی": 5})
    assert correction("تهرن", vocab) == "تهران"  # one edit; تهرانی needs two
    assert correction("بیمارستن", vocab) == "بیمارستان"
    assert correction("بیامرستان", vocab) == "بیمارستان"  # two neighbours swapped: one edit
    assert correction("تهران", vocab) == ""  # already a word
    assert correction("زز", vocab) == "" and correction("12345", vocab) == ""
