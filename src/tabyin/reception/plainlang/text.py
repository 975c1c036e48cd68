"""Words and sentences of a Persian text, with offsets into the text as it was given.

Everything here works on a *folded* copy of the text that has exactly the same length as the
original: Arabic ي/ك become Persian ی/ک, Arabic-Indic and Persian digits become ASCII, NBSP becomes a
space. One character in, one character out, so an offset found in the folded copy is an offset in
the original and a finding can point at the editor's own words. (``core.persian_text.normalize``
removes and merges characters, which would shift offsets; it is not used here for that reason.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tabyin.core.persian_text import DIGITS_TO_ASCII_TABLE

ZWNJ = "\u200c"

_FOLD = (
    str.maketrans(
        {
            "ي": "ی",
            "ى": "ی",
            "ك": "ک",
            "ە": "ه",
            "\u00a0": " ",
            "\u202f": " ",
        }
    )
    | DIGITS_TO_ASCII_TABLE
)  # Persian and Arabic-Indic digits, core's one table

# Letters of the Arabic script as Persian uses it, combining marks (short-vowel signs, tashdid,
# hamza above) and ZWNJ, which joins the parts of one word («می‌شود»).
_LETTER = "\u0621-\u063a\u0641-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ffA-Za-z"
_MARK = "\u064b-\u065f\u0670\u0640"
_WORD_CHARS = f"[{_LETTER}{_MARK}0-9]"
# A number keeps its decimal and thousands separators: «۲٫۵», «1,200», «۱۴۰۳/۰۵/۱۲».
_NUMBER = r"[0-9]+(?:[.,٫٬/][0-9]+)*"
_WORD = f"[{_LETTER}{_MARK}](?:[{_LETTER}{_MARK}0-9{ZWNJ}]*[{_LETTER}{_MARK}0-9])?"
_TOKEN = re.compile(f"{_NUMBER}(?![{_LETTER}])|{_NUMBER}[{_LETTER}{_MARK}{ZWNJ}]+|{_WORD}")
PERSIAN_LETTER = re.compile("[\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]")
LATIN_LETTER = re.compile("[A-Za-z]")
_SENTENCE_END = ".؟?!؛;…\n"


def fold(text: str) -> str:
    """The same-length comparison copy of ``text`` (see the module docstring)."""
    return text.translate(_FOLD)


_DROP = str.maketrans(dict.fromkeys([ZWNJ, "\u0640", *map(chr, range(0x064B, 0x0653))]))


def key(word: str) -> str:
    """A word as the lists look it up: folded, without ZWNJ, kashida or short-vowel signs, so
    «می‌باشد», «میباشد» and «می باشد» (once joined) are one key."""
    return fold(word).translate(_DROP)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str  # the folded text of the token
    key: str
    joins_next: bool = False  # only spaces or ZWNJ between this token and the next

    @property
    def is_number(self) -> bool:
        return self.text[0].isdigit()

    @property
    def is_persian(self) -> bool:
        return PERSIAN_LETTER.search(self.text) is not None


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    tokens: tuple[Token, ...]

    @property
    def words(self) -> int:
        return len(self.tokens)


_SPACES = re.compile(f"[ \t{ZWNJ}]*")


def tokens(folded: str) -> list[Token]:
    matches = list(_TOKEN.finditer(folded))
    out: list[Token] = []
    for i, m in enumerate(matches):
        text = m.group()
        joins = (
            i + 1 < len(matches) and _SPACES.fullmatch(folded, m.end(), matches[i + 1].start()) is not None
        )
        out.append(Token(m.start(), m.end(), text, text.translate(_DROP), joins))
    return out


def _is_boundary(folded: str, i: int) -> bool:
    char = folded[i]
    if char not in _SENTENCE_END:
        return False
    if char == ".":
        before = folded[i - 1] if i else ""
        after = folded[i + 1] if i + 1 < len(folded) else ""
        if before.isdigit() and after.isdigit():  # 2.5
            return False
        # «ت.ا.ا.»: a single letter between dots (or after a space) is an abbreviation.
        before2 = folded[i - 2] if i >= 2 else " "
        if before.isalpha() and before2 == ".":  # the last dot of «ت.ا.ا.»
            return False
        if before.isalpha() and (before2 in " (\n" or i == 1) and after not in " \n":
            return False
        if after == ".":  # "..." ends once, at its last dot
            return False
    return True


def sentences(folded: str, toks: list[Token]) -> list[Sentence]:
    """Sentences end at «.», «؟», «?», «!», «؛», «;», «…» and at each line break; a decimal point
    between digits and the dots of a letter-dot abbreviation do not end one. Sentences without a
    word (a line of dashes, a blank line) are dropped."""
    found: list[Sentence] = []
    current: list[Token] = []
    start = None
    position = 0
    ti = 0
    length = len(folded)
    while position < length:
        if ti < len(toks) and toks[ti].start == position:
            token = toks[ti]
            if start is None:
                start = token.start
            current.append(token)
            position = token.end
            ti += 1
            continue
        if _is_boundary(folded, position):
            if current and start is not None:
                end = position + (0 if folded[position] == "\n" else 1)
                found.append(Sentence(start, end, tuple(current)))
            current, start = [], None
        position += 1
    if current and start is not None:
        found.append(Sentence(start, current[-1].end, tuple(current)))
    return found


def gap_is_space(folded: str, left: Token, right: Token) -> bool:
    """True when only spaces or ZWNJ stand between two neighbouring tokens (no punctuation, no
    line break); worked out once by ``tokens``."""
    return left.joins_next
