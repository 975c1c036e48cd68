"""Bureaucratic and Arabic-heavy words with plain alternatives, and how they are found in a text.

The reviewed list is ``data/jargon.tsv`` (numbered; columns n, term, plain, note). On a site the
list lives in the database (``JargonEntry``, seeded from this file by a migration) where staff edit
it in the administration; this module only matches, whatever the list's source.

A term matches whole words only, and regardless of how its parts are joined: «نمی‌باشد»,
«نمی باشد» and «نمیباشد» are one term (tokens are joined without spaces or ZWNJ before lookup).
Longer terms win over their prefixes («اقدام نمود» over «نمود»).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from tabyin.reception.plainlang.text import Token, gap_is_space, key

MAX_TERM_TOKENS = 6
EZAFE = "\u200cی"  # the ezafe written after a final «ه»: «کلیه‌ی»


@dataclass(frozen=True, slots=True)
class Entry:
    term: str
    plain: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    first: int  # index of the first token
    last: int  # index of the last token
    entry: Entry


class Lexicon:
    """A list of entries, indexed for lookup by joined key. Built once per distinct list
    (``lexicon_for`` caches by content, so an edited list gets a new index and an unchanged one
    is reused)."""

    def __init__(self, entries: tuple[Entry, ...]) -> None:
        self.entries = entries
        self._by_key: dict[str, Entry] = {}
        self._prefixes: set[str] = set()  # every prefix of every key: stops a lookup early
        for entry in entries:
            term_key = key(entry.term.replace(" ", ""))
            self._by_key.setdefault(term_key, entry)
            self._prefixes.update(term_key[:k] for k in range(1, len(term_key) + 1))

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, folded: str, toks: list[Token]) -> list[Match]:
        found: list[Match] = []
        i = 0
        n = len(toks)
        while i < n:
            match = None
            joined = ""
            candidates: list[tuple[int, str]] = []
            for j in range(i, min(n, i + MAX_TERM_TOKENS)):
                if j > i and not gap_is_space(folded, toks[j - 1], toks[j]):
                    break
                joined += toks[j].key
                if joined not in self._prefixes and not (
                    toks[j].text.endswith(EZAFE) and joined[:-1] in self._prefixes
                ):
                    break
                candidates.append((j, joined))
            for j, joined_key in reversed(candidates):
                entry = self._by_key.get(joined_key)
                if entry is None and toks[j].text.endswith(EZAFE):
                    entry = self._by_key.get(joined_key[:-1])  # «کلیه‌ی» is «کلیه» with its ezafe
                if entry is not None:
                    match = Match(i, j, entry)
                    break
            if match is None:
                i += 1
            else:
                found.append(match)
                i = match.last + 1
        return found


@lru_cache(maxsize=4)
def lexicon_for(entries: tuple[Entry, ...]) -> Lexicon:
    return Lexicon(entries)


def read_file() -> tuple[Entry, ...]:
    """The shipped list, in file order."""
    text = resources.files("tabyin.reception.plainlang").joinpath("data/jargon.tsv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple(Entry(r["term"].strip(), r["plain"].strip(), (r["note"] or "").strip()) for r in rows)
