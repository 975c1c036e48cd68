"""The one Persian text normaliser of Tabyin, shared by search, deduplication and uniqueness checks.

Persian text reaches us typed on Persian, Arabic, Kurdish and Urdu keyboards, pasted from PDFs and
messengers, and wrapped in invisible bidi and joiner characters. Two strings a reader sees as the same
must compare equal, or search misses, duplicates slip through and "unique" names are not. Every caller
goes through this module so that stored values and query values are normalised the same way.

Rules of :func:`normalize` and why (compared with hazm 0.12.1's ``Normalizer``, the de-facto Persian
NLP normaliser; ``tests/core/test_persian_text.py`` checks the shared rules against it on real text):

* Canonical composition (NFC) first, so a decomposed alef + madda stays ``آ`` instead of losing its
  madda to the diacritic rule. hazm has no such step.
* Letters that render with the same glyph as a Persian letter are folded to it, because readers
  cannot see the difference: Arabic yeh ``ي`` and alef maksura ``ى`` -> ``ی``; Arabic kaf ``ك`` -> ``ک``;
  Kurdish ae ``ە`` and Urdu heh ``ھ``/``ہ`` -> ``ه`` (Kurdish-keyboard ``بە`` for ``به`` occurs in our data).
  Same as hazm. Yeh with hamza ``ئ`` (رئیس) is *kept*: the hamza is visible and meaningful.
* Teh marbuta ``ة`` and heh with yeh above ``ۀ`` are kept, as hazm keeps them: they are visible, valid
  spellings (دائرةالمعارف, خانۀ). :func:`search_key` folds them to ``ه`` for matching.
* Letters that look different (Urdu tteh ``ٹ``, yeh barree ``ے`` ...) are kept; hazm folds ~180 of them.
  Seeing them is either a visible typo or real non-Persian text, and guessing would corrupt the latter.
* Arabic presentation forms (PDF copy-paste: ``ﻛﺘﺎﺏ``) are mapped through NFKC to the base letters,
  then folded as above. hazm maps them from a hand-made table that drops hamza/madda (``ﺁ`` -> ``ا``)
  and misses some forms (``ﯾ``); NFKC keeps the hamza and covers the whole block.
* Arabic-Indic and Persian digits -> ASCII, so numbers compare and parse whatever keyboard typed them
  (hazm maps the other way, to Persian digits; display goes through ``digits_to_persian``).
* Kashida/tatweel and diacritics (U+064B-U+065F, U+0670) are removed: they are typographic or
  optional vowel marks. hazm removes U+064B-U+0652 as diacritics and the rest as "special chars".
* Bidi controls, zero-width space, soft hyphen and BOM are removed: invisible, no meaning for matching.
  Older text sometimes has an RLM where a ZWNJ was meant (``مى\u200fكنى``); removing it gives the
  joined spelling, which :func:`search_key` matches with the ZWNJ spelling.
* ZWNJ (U+200C) is Persian orthography (می‌روم) and is kept between two word characters; runs collapse
  to one and a ZWNJ next to a space, punctuation or the text edge is removed (it joins nothing).
* ZWJ (U+200D) is kept only between two non-Arabic, non-space characters, i.e. inside emoji and
  Indic sequences; next to Arabic letters it changes at most a letter's shape, so it is removed.
* Every Unicode space, tab and line break becomes one ASCII space, runs collapse, ends are stripped.
  The result is a one-line value for keys and names, not a rewrite of multi-paragraph bodies.
* Punctuation is left alone (``،`` ``؛`` ``؟`` ``«»`` ``“”`` ``٪`` ``٫`` ``٬``): hazm's quote and
  number-separator rewrites change what a reader sees and would make stored names surprising.
"""

import re
import unicodedata
from typing import Final

__all__ = ["digits_to_ascii", "digits_to_persian", "normalize", "search_key"]

_PERSIAN_DIGITS: Final = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_INDIC_DIGITS: Final = "٠١٢٣٤٥٦٧٨٩"
_ASCII_DIGITS: Final = "0123456789"

_DIGITS_TO_ASCII: Final = str.maketrans(_PERSIAN_DIGITS + _ARABIC_INDIC_DIGITS, _ASCII_DIGITS + _ASCII_DIGITS)
# Public for code that must keep offsets (one character for one): the plain-language checker.
DIGITS_TO_ASCII_TABLE: Final = _DIGITS_TO_ASCII
_DIGITS_TO_PERSIAN: Final = str.maketrans(
    _ASCII_DIGITS + _ARABIC_INDIC_DIGITS, _PERSIAN_DIGITS + _PERSIAN_DIGITS
)

# Same glyph as a Persian letter, so a reader cannot tell them apart.
_LETTER_FOLDS: Final = {
    "\u064a": "\u06cc",  # ARABIC LETTER YEH -> FARSI YEH
    "\u0649": "\u06cc",  # ARABIC LETTER ALEF MAKSURA -> FARSI YEH
    "\u0643": "\u06a9",  # ARABIC LETTER KAF -> KEHEH
    "\u06d5": "\u0647",  # ARABIC LETTER AE (Kurdish keyboards) -> HEH
    "\u06be": "\u0647",  # ARABIC LETTER HEH DOACHASHMEE (Urdu) -> HEH
    "\u06c1": "\u0647",  # ARABIC LETTER HEH GOAL (Urdu) -> HEH
}

_DELETED: Final = (
    "\u0640"  # tatweel / kashida
    + "".join(map(chr, range(0x064B, 0x0660)))  # harakat, shadda, sukun, hamza/madda marks
    + "\u0670"  # superscript alef
    + "\u200b\u00ad\ufeff\u2060"  # zero-width space, soft hyphen, BOM, word joiner
    + "\u200e\u200f\u061c"  # LRM, RLM, Arabic letter mark
    + "".join(map(chr, range(0x202A, 0x202F)))  # LRE RLE PDF LRO RLO
    + "".join(map(chr, range(0x2066, 0x206A)))  # LRI RLI FSI PDI
)


def _build_table() -> dict[int, str | int | None]:
    """One translate table for every per-character rule: a single C-level pass over the text."""
    table: dict[int, str | int | None] = {ord(c): None for c in _DELETED}
    table.update({ord(k): v for k, v in _LETTER_FOLDS.items()})
    table.update({k: chr(v) for k, v in _DIGITS_TO_ASCII.items()})
    base = dict(table)
    for code in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF)):
        char = chr(code)
        compat = unicodedata.normalize("NFKC", char)
        if compat != char:
            # Isolated harakat forms decompose to "space + mark"; strip the space the mark leaves.
            table[code] = compat.translate(base).strip(" ")
    return table


_CHANGES: Final = _build_table()
# Only texts containing one of these go through translate (most Persian-keyboard text does not).
_NEEDS_TABLE: Final = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_CHANGES)) + "]")
# str.translate raises and swallows a KeyError for every character missing from a dict table, which
# made it ~4x slower on Persian text. Identity entries for the blocks our text is written in (Latin,
# Arabic, general punctuation, presentation forms) keep nearly every lookup on the fast hit path.
_TABLE: Final = {
    code: code for block in ((0, 0x800), (0x2000, 0x2070), (0xFB50, 0xFF00)) for code in range(*block)
} | _CHANGES

# A ZWNJ run not between two word characters, or a ZWJ touching space, Arabic script, another joiner
# or the text edge. Every branch starts with the joiner itself (the "(?<!...)" checks come after it)
# so the engine can skip ahead to the next joiner; possessive "++" stops a run from being split.
_ARABIC_OR_SPACE: Final = r"\s\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\u200c\u200d"
_STRAY_JOINER: Final = re.compile(
    r"\u200c(?<!\w\u200c)\u200c*+|\u200c++(?!\w)"
    rf"|\u200d(?<![^{_ARABIC_OR_SPACE}]\u200d)|\u200d(?![^{_ARABIC_OR_SPACE}])"
)


def normalize(text: str) -> str:
    """Return the canonical form used for storage, comparison and deduplication.

    Idempotent: ``normalize(normalize(t)) == normalize(t)``. See the module docstring for the rules.
    """
    text = unicodedata.normalize("NFC", text)
    if _NEEDS_TABLE.search(text):
        text = text.translate(_TABLE)
    if "\u200c" in text or "\u200d" in text:
        text = _STRAY_JOINER.sub("", text)
    return " ".join(text.split())


def digits_to_ascii(text: str) -> str:
    """Persian and Arabic-Indic digits -> ASCII, so user input parses whatever keyboard typed it."""
    return text.translate(_DIGITS_TO_ASCII)


def digits_to_persian(text: str) -> str:
    """ASCII and Arabic-Indic digits -> Persian digits, for display in Persian.

    Arabic-Indic digits are converted too: their 4, 5 and 6 look different from the Persian ones.
    """
    return text.translate(_DIGITS_TO_PERSIAN)


# Spellings Persian writers use interchangeably, so matching must not depend on which one was typed:
# optional hamza/madda (تأمین/تامین, رئیس/رییس, اجزاء/اجزا), teh marbuta and ezafe heh (ۀ) vs. heh.
_SEARCH_FOLDS: Final = {
    ord("\u0622"): "\u0627",  # آ -> ا
    ord("\u0623"): "\u0627",  # أ -> ا
    ord("\u0625"): "\u0627",  # إ -> ا
    ord("\u0671"): "\u0627",  # ٱ -> ا
    ord("\u0624"): "\u0648",  # ؤ -> و
    ord("\u0626"): "\u06cc",  # ئ -> ی
    ord("\u0621"): None,  # ء (standalone hamza) dropped
    ord("\u0629"): "\u0647",  # ة -> ه
    ord("\u06c0"): "\u0647",  # ۀ -> ه
    ord("\u200c"): None,  # ZWNJ dropped: می‌روم == میروم
}
# Dense for the same reason as _TABLE (Persian text nearly always has a ZWNJ or a hamza to fold).
_SEARCH_TABLE: Final[dict[int, str | int | None]] = {
    code: code for block in ((0, 0x800), (0x2000, 0x2070)) for code in range(*block)
} | _SEARCH_FOLDS
# A space touching Arabic script: Persian compounds are written with a space, a ZWNJ or nothing.
# Both branches start with the space itself so the engine can skip from space to space.
_ARABIC: Final = r"\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff"
_SPACE_BY_ARABIC: Final = re.compile(rf" (?<=[{_ARABIC}] )| (?=[{_ARABIC}])")


def search_key(text: str) -> str:
    """Return a matching key: equal keys mean "the same words" for search and uniqueness checks.

    On top of :func:`normalize`: case-folded, optional hamza/madda and teh marbuta folded, and ZWNJ
    and every space next to an Arabic-script character removed, so ``می‌روم``, ``میروم`` and
    ``می روم`` (and ``تامین اجتماعی``/``تأمین‌اجتماعی``) give one key. Spaces between Latin words
    or numbers are kept, so ``"2 3"`` and ``"23"`` stay different. The key is for comparison and
    substring search only: it has no Persian word boundaries, so tokenise :func:`normalize` instead.
    """
    key = normalize(text).casefold().translate(_SEARCH_TABLE)
    if " " in key:
        # Split/join again: a dropped standalone hamza can leave two spaces or an edge space.
        key = _SPACE_BY_ARABIC.sub("", " ".join(key.split()))
    return key
