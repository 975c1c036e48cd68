"""The Persian normaliser: every rule by hand, then on real text, then against hazm.

Real text comes from ``shared/data/persian`` beside the repository (see each folder's SOURCE.md).
The non-commercial sets (ParsiNLU sentiment, Persian stance) are only read here at run time, never
copied. A missing data file fails the test on purpose: these checks must not silently go away.
"""

import functools
import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from hazm import Normalizer
from hazm.constants import EXTRA_SPACE_PATTERNS
from hazm.utils import regex_replace

from tabyin.core.persian_text import digits_to_ascii, digits_to_persian, normalize, search_key

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "persian"
ZWNJ, ZWJ = "\u200c", "\u200d"


def _data_file(relative: str) -> Path:
    path = DATA / relative
    assert path.is_file(), f"shared test data missing: {path} (shared/ must sit beside the repository)"
    return path


@functools.cache
def _jsonl(relative: str, *fields: str) -> tuple[tuple[str, str], ...]:
    """(label, text) pairs; the label names the row without printing its text (tweets are personal)."""
    rows: list[tuple[str, str]] = []
    with _data_file(relative).open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            rows.extend((f"{relative}#{row['id']}.{field}", row[field]) for field in fields)
    return tuple(rows)


@functools.cache
def _yaml_lines() -> tuple[tuple[str, str], ...]:
    text = _data_file("news_sources/feeds_and_channels.example.yaml").read_text(encoding="utf-8")
    return tuple((f"feeds.yaml:{n}", line) for n, line in enumerate(text.splitlines(), 1))


def _paraphrase() -> tuple[tuple[str, str], ...]:
    return _jsonl("exappc_paraphrase/pairs.jsonl", "sentence1", "sentence2")


def real_lines() -> tuple[tuple[str, str], ...]:
    return (
        _paraphrase()
        + _yaml_lines()
        + _jsonl("persian_stance/headline_claim.jsonl", "claim", "headline")
        + _jsonl("parsinlu_sentiment/reviews.jsonl", "review")
    )


def _row(label: str) -> str:
    return dict(_paraphrase())[label]


# --- every rule, by hand ------------------------------------------------------------------------

RULES = [
    # Arabic yeh and alef maksura -> Persian yeh; Arabic kaf -> keheh; yeh with hamza is kept.
    ("علي", "علی"),
    ("موسى", "موسی"),
    ("كتاب", "کتاب"),
    ("رئیس", "رئیس"),
    # Heh look-alikes from Kurdish/Urdu keyboards fold; teh marbuta and ezafe heh (ۀ) are kept.
    ("بە خانە", "به خانه"),
    ("\u06be\u06c1", "هه"),
    ("دائرةالمعارف", "دائرةالمعارف"),
    ("خانۀ", "خانۀ"),
    # Presentation forms (PDF copy-paste) -> base letters, hamza/madda kept, ligatures split.
    ("ﻛﺘﺎﺏ", "کتاب"),
    ("ﺍﺣﮑﺎﻡ ﺍﺳﻼﻡ", "احکام اسلام"),
    ("ﺁب", "آب"),
    ("ﯾک", "یک"),
    ("ﷲ", "الله"),
    ("a\ufe70b", "ab"),
    # Canonical composition: a decomposed alef + madda keeps its madda.
    ("\u0627\u0653ب", "آب"),
    # Digits -> ASCII (Persian and Arabic-Indic).
    ("۱۴۰۳/۱۱/۰۵", "1403/11/05"),
    ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
    # Kashida removed, even when used as a dash.
    ("هـــيچ", "هیچ"),
    ("تهران ـ پرند", "تهران پرند"),
    # Diacritics U+064B-U+065F and superscript alef removed (including hamza above an ezafe heh).
    ("حَذفِ اِعرابٌ", "حذف اعراب"),
    ("مُحَمَّدٌ", "محمد"),
    ("رحمٰن", "رحمن"),
    ("خانهٔ", "خانه"),
    # Invisible characters removed: bidi marks, embeddings, isolates, ZWSP, soft hyphen, BOM.
    ("a\u200eb\u200fc\u061cd", "abcd"),
    ("\u202aa\u202bb\u202cc\u202dd\u202ee", "abcde"),
    ("\u2066a\u2067b\u2068c\u2069", "abc"),
    ("\ufeffمتن\u200bی\u00adمن", "متنیمن"),
    # ZWNJ kept inside a word, runs collapsed, removed next to a space, punctuation or an edge.
    ("می\u200cروم", "می\u200cروم"),
    ("کاروان\u200c\u200c\u200cسرا", "کاروان\u200cسرا"),
    ("\u200cسلام\u200c به \u200cهمه\u200c", "سلام به همه"),
    ("می\u200c روم", "می روم"),
    ("کتاب\u200c، دفتر", "کتاب، دفتر"),
    ("\u200c\u200c", ""),
    # ZWJ: meaningless next to Arabic letters or spaces, kept inside emoji sequences.
    ("می\u200dروم", "میروم"),
    ("\u200dسلام \u200d", "سلام"),
    ("🤷\u200d♀️", "🤷\u200d♀️"),
    ("a\u200c\u200d\u200cb", "ab"),
    # Every Unicode space, tab and line break -> one ASCII space; runs collapsed; ends stripped.
    ("  a\tb\nc\r\nd\u00a0e\u202ff\u2009g\u3000h\u2028i  ", "a b c d e f g h i"),
    ("استارتاپ\u200aهای", "استارتاپ های"),
    # Punctuation is deliberately left alone.
    ("«سلام»، چطوری؟ ۵٪ “نقل” 1٫5 1٬000 ...", "«سلام»، چطوری؟ 5٪ “نقل” 1٫5 1٬000 ..."),
    ("", ""),
    (" \t\n ", ""),
]


@pytest.mark.parametrize(("raw", "expected"), RULES)
def test_normalize_rule(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), RULES)
def test_normalize_is_idempotent_on_rules(raw: str, expected: str) -> None:
    assert normalize(expected) == expected


def test_digit_helpers() -> None:
    assert digits_to_ascii("کد ۱۲۳۴۵۶ و ٧٨٩") == "کد 123456 و 789"
    assert digits_to_persian("1403-11 و ٤٥٦") == "۱۴۰۳-۱۱ و ۴۵۶"
    assert digits_to_ascii(digits_to_persian("0123456789")) == "0123456789"
    assert digits_to_persian("abc") == "abc"


SAME_KEY = [
    ("می\u200cروم", "میروم", "می روم"),  # ZWNJ, nothing, space
    ("تأمین اجتماعی", "تامین\u200cاجتماعی", "تامين اجتماعي", "تامین اجتماعی"),  # hamza, ZWNJ, Arabic keyboard
    ("رئیس", "رییس"),
    ("اجزاء", "اجزا"),
    ("مسؤول", "مسوول"),
    ("آمار", "امار"),
    ("مدرسة", "مدرسه"),
    ("خانۀ", "خانه"),
    ("Social Security", "SOCIAL  security"),
]


@pytest.mark.parametrize("variants", SAME_KEY)
def test_search_key_matches_spelling_variants(variants: tuple[str, ...]) -> None:
    assert len({search_key(v) for v in variants}) == 1


def test_search_key_exact_values() -> None:
    assert search_key("می\u200cروم") == "میروم"
    assert search_key("سازمان تأمین\u200cاجتماعی") == "سازمانتامیناجتماعی"
    assert search_key("Tabyin ۱۴۰۳ گزارش") == "tabyin 1403گزارش"
    assert search_key("ء a ء b") == "a b"
    assert search_key("") == ""


def test_search_key_keeps_latin_and_number_word_boundaries() -> None:
    assert search_key("2 3") != search_key("23")
    assert search_key("pen island") != search_key("penis land")


# --- real text ------------------------------------------------------------------------------------

REAL_ROWS = [
    # Arabic kaf/yeh, a ZWNJ before a space, Persian digits.
    ("exappc_paraphrase/pairs.jsonl#18.sentence1", "رکورد طلاق در زیر 30 ساله\u200cها"),
    # NBSP between a digit and a word.
    (
        "exappc_paraphrase/pairs.jsonl#412.sentence2",
        (
            "تلویزیون دولتی سوریه گزارش داد انفجار در مسیر یک دستگاه اتوبوس نظامی در غرب دمشق"
            " پایتخت سوریه دست کم 9 زخمی بر جا گذاشت."
        ),
    ),
    # Arabic-Indic digits.
    (
        "exappc_paraphrase/pairs.jsonl#431.sentence1",
        "سامانه سپهر بانک صادرات حدود 700 میلیون تراکنش انجام می دهد",
    ),
    # Yeh with hamza kept, damma removed.
    ("exappc_paraphrase/pairs.jsonl#605.sentence2", "رئیس پیشین موساد مرد +عکس"),
    # Kashida used as a dash.
    ("exappc_paraphrase/pairs.jsonl#1060.sentence1", "حرکت اولین قطار مترو تهران پرند"),
    # NBSP followed by a space.
    (
        "exappc_paraphrase/pairs.jsonl#1201.sentence1",
        "یک فروند هواپیمای مسافربری شرکت فلای دبی در جنوب روسیه سقوط کرد و همه 61 سرنشین آن کشته شدند.",
    ),
    # Arabic keyboard throughout.
    ("exappc_paraphrase/pairs.jsonl#1037.sentence1", "سررسید چیه؟ کتاب عیدی بدید!"),
    # RLM typed where a ZWNJ was meant: removed, which gives the joined spelling search_key matches.
    ("exappc_paraphrase/pairs.jsonl#1340.sentence2", "فکر میکنی این طوری میتونی فرار کنی ."),
]


@pytest.mark.parametrize(("label", "expected"), REAL_ROWS)
def test_normalize_real_rows(label: str, expected: str) -> None:
    assert normalize(_row(label)) == expected


def test_rlm_as_zwnj_matches_the_zwnj_spelling() -> None:
    raw = _row("exappc_paraphrase/pairs.jsonl#1340.sentence2")
    assert "\u200f" in raw
    assert search_key(raw) == search_key("فکر می\u200cکنی این\u200cطوری می\u200cتونی فرار کنی .")


def test_watch_keyword_variants_share_one_key() -> None:
    path = _data_file("news_sources/feeds_and_channels.example.yaml")
    watch = yaml.safe_load(path.read_text(encoding="utf-8"))["watch_keywords"]
    assert {search_key(k) for k in watch["organisation"]} == {"سازمانتامیناجتماعی", "تامیناجتماعی"}
    audiences = {search_key(k) for k in watch["audiences"]}
    assert audiences == {
        "بازنشستگان",
        "بازنشستگانتامیناجتماعی",
        "مستمریبگیران",
        "بیمهشدگان",
        "کارفرمایان",
    }
    assert search_key("همسان سازی حقوق بازنشستگان") in {search_key(k) for k in watch["topics"]}


def test_real_text_is_read() -> None:
    """Row counts from each SOURCE.md: a truncated or swapped file must not pass unnoticed."""
    assert len(_paraphrase()) == 2 * 1580
    assert len(_jsonl("persian_stance/headline_claim.jsonl", "claim", "headline")) == 2 * 1606
    assert len(_jsonl("parsinlu_sentiment/reviews.jsonl", "review")) == 1941
    assert len(_yaml_lines()) > 40


_LEFTOVERS = re.compile(
    "[\u064a\u0649\u0643\u06d5\u0640\u064b-\u065f\u0670\u0660-\u0669\u06f0-\u06f9"
    "\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\u00ad\ufeff\ufb50-\ufdff\ufe70-\ufefe]"
    r"|\s\s|[^\S ]|^ | $|\u200c\u200c|(?<!\w)\u200c|\u200c(?!\w)"
)


def test_real_lines_properties() -> None:
    """Idempotent, nothing left that a rule removes, search keys stable under normalisation."""
    problems = []
    for label, raw in real_lines():
        once = normalize(raw)
        if normalize(once) != once:
            problems.append(f"{label}: not idempotent")
        if leftover := _LEFTOVERS.search(once):
            problems.append(f"{label}: left {leftover[0]!r}")
        if search_key(once) != search_key(raw) or search_key(search_key(raw)) != search_key(raw):
            problems.append(f"{label}: search key unstable")
        # The ZWNJ rule changes ZWNJs only: nothing else moves.
        if once.replace(ZWNJ, "") != normalize(raw.replace(ZWNJ, "")).replace(ZWNJ, ""):
            problems.append(f"{label}: ZWNJ rule touched other text")
    assert problems == []


def test_real_lines_keep_zwnj_inside_words() -> None:
    """Every ZWNJ run between two letters survives as one ZWNJ, and no other ZWNJ does.

    Marks and invisibles are removed first: in ``مّ<ZWNJ>فروش`` the ZWNJ follows a shadda, and once
    the shadda goes it sits between two letters, exactly where it belongs.
    """
    invisible = re.compile("[\u064b-\u065f\u0670\u0640\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]")
    kept = sum(normalize(raw).count(ZWNJ) for _, raw in real_lines())
    inside_words = sum(
        len(re.findall(r"(?<=\w)\u200c+(?=\w)", invisible.sub("", raw))) for _, raw in real_lines()
    )
    assert kept == inside_words > 2000


# --- against hazm ---------------------------------------------------------------------------------

# Only hazm's rules that are also ours: its always-on letter table, diacritics (U+064B-U+0652),
# Persian digits (compared after digits_to_ascii) and kashida (hazm removes it inside
# correct_spacing, which also re-tokenises, so its own kashida pattern is applied alone below).
HAZM = Normalizer(
    correct_spacing=False,
    remove_diacritics=True,
    remove_specials_chars=False,
    decrease_repeated_chars=False,
    persian_style=False,
    persian_numbers=True,
    unicodes_replacement=False,
    seperate_mi=False,
)
HAZM_KASHIDA = [(pattern, repl) for pattern, repl in EXTRA_SPACE_PATTERNS if "ـ" in pattern]

# Characters on which we differ from hazm on purpose: (ours, hazm's, why).
HAZM_DIFFERENCES = {
    "%": ("%", "٪", "hazm's digit rule also rewrites the percent sign; we leave punctuation alone"),
    "\u201c": ("\u201c", '"', "hazm flattens curly quotes; we leave punctuation alone"),
    "\u201d": ("\u201d", '"', "hazm flattens curly quotes; we leave punctuation alone"),
    "\u0679": ("\u0679", "ت", "hazm folds ~180 non-Persian letters; we fold same-glyph letters only"),
    "\ufe81": ("آ", "ا", "hazm's presentation-form table drops the madda; NFKC keeps it"),
    "\ufbfe": ("ی", "\ufbfe", "hazm's table misses Farsi yeh initial form"),
    "\ufbff": ("ی", "\ufbff", "hazm's table misses Farsi yeh medial form"),
    "\ufefc": ("لا", "\ufefc", "hazm leaves lam-alef ligatures to unicodes_replacement"),
}
_SHIELD = {ord(char): 0xE000 + n for n, char in enumerate(HAZM_DIFFERENCES)}
_UNSHIELD = {0xE000 + n: ours for n, (ours, _, _) in enumerate(HAZM_DIFFERENCES.values())}
# Our rules hazm does not have in this configuration (layout, invisibles, marks U+0653-U+065F and
# U+0670 that hazm removes only with remove_specials_chars): projected out of both sides.
_OURS_ONLY = re.compile(
    "[\\s\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\u00ad\ufeff\u0653-\u065f\u0670]"
)


def _hazm_shared_rules(text: str) -> str:
    out = regex_replace(HAZM_KASHIDA, HAZM.normalize(text.translate(_SHIELD)))
    return digits_to_ascii(out.translate(_UNSHIELD))


def _project(text: str) -> str:
    return _OURS_ONLY.sub("", unicodedata.normalize("NFC", text))


@pytest.mark.parametrize("char", list(HAZM_DIFFERENCES))
def test_documented_hazm_difference_is_real(char: str) -> None:
    ours, hazms, _ = HAZM_DIFFERENCES[char]
    assert normalize(f"x{char}x") == f"x{ours}x"
    assert digits_to_ascii(HAZM.normalize(f"x{char}x")) == f"x{hazms}x"


def test_same_result_as_hazm_for_shared_rules_on_real_text() -> None:
    changed_by_hazm = 0
    mismatches = []
    for label, raw in real_lines():
        theirs = _project(_hazm_shared_rules(raw))
        changed_by_hazm += theirs != _project(raw)
        if _project(normalize(raw)) != theirs:
            mismatches.append(label)
    assert mismatches == []
    # Not vacuous: the shared rules really fire on this much of the real text.
    assert changed_by_hazm > 1000
