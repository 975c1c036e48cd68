"""One rule for every CSV and spreadsheet export: text a spreadsheet would run as a formula is
written with a leading apostrophe, so it is shown, never evaluated (CSV injection, OWASP).

A cell is a formula when its first visible character is ``= + - @`` (or their full-width forms,
which some locales' spreadsheets accept), or when it starts with a tab, a carriage return or a
line feed. "First visible" matters: a right-to-left mark, a bidi embedding or isolate, a
zero-width (non-)joiner, a word joiner or a byte-order mark before the ``=`` is not shown, and a
check of the first character alone lets ``\\u200f=HYPERLINK(…)`` through. Leading spaces are
skipped too. The text itself is kept as it is (Persian needs the zero-width non-joiner).

Numbers are not text: the writers format them and do not pass them here, so ``-5`` stays a number.
"""

from __future__ import annotations

from typing import Final

FORMULA_CHARACTERS: Final = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
CONTROL_STARTS: Final = ("\t", "\r", "\n")
# Not shown, so not seen by whoever opens the file: skipped when looking for the first character.
INVISIBLE: Final = frozenset(
    " \u00a0\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)


def is_formula(text: str) -> bool:
    if text.startswith(CONTROL_STARTS):
        return True
    for character in text:
        if character not in INVISIBLE:
            return character in FORMULA_CHARACTERS or character in CONTROL_STARTS
    return False


def neutralize(text: str) -> str:
    """``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``; anything else unchanged."""
    return "'" + text if is_formula(text) else text
