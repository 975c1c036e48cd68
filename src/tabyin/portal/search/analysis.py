"""Turn Persian and English text into search terms, the same way for stored rows and for queries.

A term is a word as :func:`tabyin.core.persian_text.search_key` writes it (ی/ك, hamza, ZWNJ,
diacritics, digits folded), then stemmed by :func:`stem`: a small suffix stripper for Persian
plurals, the adjectival/abstract «ی» and «گی», comparatives and the English plural «s». We strip
instead of using hazm's lemmatizer because hazm is a dev-only dependency (ADR 0004: it pulls in
NLTK and is 20-30 times slower than our normalizer); ``tests/portal/test_search_analysis.py`` checks
our stems against hazm's ``Stemmer`` on the catalogue's words. A stem need not be a word: it only
has to be equal for the forms a reader sees as the same word (بازنشستگی/بازنشستگان/بازنشسته).

A word written with a ZWNJ (مستمری‌بگیران) gives the joined word's term and each part's term, so
«مستمری بگیران», «مستمری‌بگیران» and «مستمریبگیران» all match it.

Synonyms and common phrasings come from ``data/search_synonyms.txt`` (a reviewed list, one group
per line, each under its own comment). Every phrase of a group, found in a text, adds the group's concept term
(``qsyn<n>``) to it, so a query for «بازنشستگی» finds a row that only says «مستمری».
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from tabyin.core.persian_text import normalize, search_key

SYNONYMS_FILE: Final = Path(__file__).resolve().parent.parent / "data" / "search_synonyms.txt"
CONCEPT_PREFIX: Final = "qsyn"

# A word: letters, digits and the ZWNJ inside Persian words (normalize keeps only inner ZWNJs).
_WORD: Final = re.compile(r"[^\W_]+(?:\u200c[^\W_]+)*")

# Longest first; each with the shortest stem it may leave (shorter words keep the suffix).
_FA_SUFFIXES: Final = (
    ("هایی", 2),
    ("های", 2),
    ("ها", 2),
    ("ترین", 2),
    ("گان", 2),  # شدگان, بازنشستگان, بازماندگان -> شده, بازنشسته, بازمانده (see _GAN)
    ("گی", 2),  # بازنشستگی, ازکارافتادگی -> بازنشسته, ازکارافتاده
    ("یان", 3),
    ("ان", 3),
    ("ات", 3),
    ("تر", 3),
    ("ای", 3),  # بیمه‌ای -> بیمه
    ("ی", 3),
)
_GAN_ENDINGS: Final = ("گان", "گی")  # the «ه» of the singular becomes «گ» before these

# Function words a query or a title may contain that say nothing about the page.
_STOP_TEXT: Final = (
    "از به در با که و را این آن برای تا یا هر چه چند می نمی شود است هست بود اند ای ام ها های"
    " هم بر پس یک نیز اما ولی چرا چطور چگونه کجا کی آیا چی چیه ها ی ای من ما شما او آنها"
    " the of and in to for a an by per on at is are what how where when which"
)
STOPWORDS: Final = frozenset(search_key(w) for w in _STOP_TEXT.split())


def stem(word: str) -> str:
    """The stem of one search key (already folded, no ZWNJ). Latin: the plural «s».

    Suffixes are stripped until none applies (at most three), so a word and its derived forms end
    on the same stem whichever was typed: درمان, درمانی and درمان‌ها all give «درم». Over-stemming
    is harmless as long as it is the same on both sides; prefix matching uses the unstemmed key.
    """
    if not word or word.isdigit():
        return word
    if word.isascii():
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            return word[:-1]
        return word
    for _ in range(3):
        shorter = _strip_once(word)
        if shorter == word:
            break
        word = shorter
    return word


def _strip_once(word: str) -> str:
    for suffix, keep in _FA_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            base = word[: -len(suffix)]
            if suffix in _GAN_ENDINGS:
                base += "ه"
            elif suffix in ("ها", "های", "هایی", "ان", "ات", "یان") and len(base) > 3 and base.endswith("ی"):
                base = base[:-1]  # مستمری‌ها -> مستمر, like مستمری -> مستمر
            return base
    return word


@dataclass(frozen=True)
class Token:
    """One word of a text: where it is, its whole-word term and its parts' terms."""

    start: int
    end: int
    key: str  # the whole word's search key (ZWNJ removed), unstemmed: stop words, prefixes
    term: str  # stem of the whole word
    parts: tuple[str, ...]  # stems of the ZWNJ-separated parts; (term,) when there is no ZWNJ


def tokens(text: str) -> Iterator[Token]:
    """The words of ``text`` (already :func:`normalize`-d), stop words included (phrases need them)."""
    for m in _WORD.finditer(text):
        word = m.group()
        key = search_key(word)
        term = stem(key)
        if "\u200c" in word:
            parts = tuple(p for p in (stem(search_key(p)) for p in word.split("\u200c")) if p)
        else:
            parts = (term,)
        if term:
            yield Token(m.start(), m.end(), key, term, parts)


def _sequence(toks: Iterable[Token]) -> list[str]:
    """The part terms in reading order: the sequence phrases are looked up in."""
    return [p for t in toks for p in t.parts]


@dataclass(frozen=True)
class Synonyms:
    """Phrases (as tuples of part terms, and as one joined term) to their group's concept term."""

    phrases: dict[tuple[str, ...], str]
    longest: int
    groups: tuple[tuple[str, ...], ...]  # the phrases as written, for the docs and tests


class SynonymFileError(ValueError):
    pass


def parse_synonyms(text: str) -> Synonyms:
    """Read the synonym list. Every group must come right after its own «#» comment."""
    phrases: dict[tuple[str, ...], str] = {}
    groups: list[tuple[str, ...]] = []
    commented = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            commented = False
            continue
        if line.startswith("#"):
            commented = True
            continue
        if not commented:
            raise SynonymFileError(f"line {number}: a synonym group needs a «#» comment saying why")
        written = tuple(p.strip() for p in line.split("|") if p.strip())
        if len(written) < 2:
            raise SynonymFileError(f"line {number}: a group needs at least two phrases")
        commented = False  # the next group needs its own comment
        concept = f"{CONCEPT_PREFIX}{len(groups) + 1}"
        groups.append(written)
        for phrase in written:
            seq = tuple(_sequence(tokens(normalize(phrase.casefold()))))
            if not seq:
                raise SynonymFileError(f"line {number}: «{phrase}» has no words")
            for key in {seq, (stem(search_key(phrase)),)}:
                if key in phrases and phrases[key] != concept:
                    raise SynonymFileError(f"line {number}: «{phrase}» is already in another group")
                phrases[key] = concept
    return Synonyms(phrases, max((len(k) for k in phrases), default=0), tuple(groups))


@cache
def synonyms() -> Synonyms:
    return parse_synonyms(SYNONYMS_FILE.read_text(encoding="utf-8"))


def concepts(sequence: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, concept) for every synonym phrase in a sequence of part terms, longest first at
    each position; a shorter phrase inside a longer one is found too («بیمه بیکاری» and «بیکاری»)."""
    syn = synonyms()
    found = []
    for i in range(len(sequence)):
        for n in range(min(syn.longest, len(sequence) - i), 0, -1):
            concept = syn.phrases.get(tuple(sequence[i : i + n]))
            if concept:
                found.append((i, i + n, concept))
    return found


def document_terms(*texts: str) -> list[str]:
    """The distinct terms of a row's texts (words, parts, concepts), stop words left out, in
    first-seen order so the stored value is stable."""
    out: dict[str, None] = {}
    for text in texts:
        toks = list(tokens(normalize(text.casefold())))
        for t in toks:
            if t.key in STOPWORDS:
                continue
            for term in (t.key, t.term, *t.parts):
                if term not in STOPWORDS:
                    out[term] = None
            if len(t.parts) > 1:  # the joined word as a phrase (مستمری‌بگیر as one word)
                joined = synonyms().phrases.get((t.term,))
                if joined:
                    out[joined] = None
        for _, _, concept in concepts(_sequence(toks)):
            out[concept] = None
    return list(out)
