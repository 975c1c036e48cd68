"""``analyze(text, lexicon) -> Report``: every rule over one text, with offsets into that text.

Pure (no Django): the page, the API and ``selectors.check_text`` call it with the list of terms
staff keep in the database; the benchmark and the tests call it with the shipped file.

A finding is advice, never a block: nothing here refuses a text for its style. A text is refused
only when there is nothing to check (``Problem``): empty, not Persian, or longer than
``MAX_CHARACTERS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tabyin.reception.plainlang import readability, rules, rules_facts
from tabyin.reception.plainlang.jargon import Lexicon
from tabyin.reception.plainlang.text import (
    LATIN_LETTER,
    PERSIAN_LETTER,
    Sentence,
    Token,
    fold,
    sentences,
    tokens,
)

# About 8,000 words, some 25 pages: a long announcement or explanation is well inside, and the
# check stays under a second. A longer text is refused with this figure named, not cut.
MAX_CHARACTERS = 50_000
# Plain-language guides for Persian administrative writing put the limit around 20-25 words.
LONG_SENTENCE_WORDS = 25
LONGEST_SHOWN = 3


class Kind(StrEnum):
    LONG_SENTENCE = "long_sentence"
    PASSIVE = "passive"
    NOMINAL = "nominal"
    JARGON = "jargon"
    NUMBER = "number"
    ABBREVIATION = "abbreviation"


class Problem(StrEnum):
    EMPTY = "empty"
    NOT_PERSIAN = "not_persian"
    TOO_LONG = "too_long"


@dataclass(frozen=True, slots=True)
class Finding:
    kind: Kind
    start: int  # offsets into the text as given, end exclusive
    end: int
    excerpt: str  # text[start:end]
    fix: str  # what to write instead (Persian), or how to rewrite
    note: str = ""  # why, when the list gives a reason


@dataclass(frozen=True, slots=True)
class SentenceLength:
    start: int
    end: int
    words: int
    excerpt: str


@dataclass(frozen=True, slots=True)
class Report:
    characters: int
    readability: readability.Readability
    longest: tuple[SentenceLength, ...]
    findings: tuple[Finding, ...]  # by position; a long sentence before the words inside it

    def count(self, kind: Kind) -> int:
        return sum(1 for f in self.findings if f.kind == kind)


class TextRejectedError(ValueError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def problem_with(text: str) -> Problem | None:
    if not text.strip():
        return Problem.EMPTY
    if len(text) > MAX_CHARACTERS:
        return Problem.TOO_LONG
    persian = len(PERSIAN_LETTER.findall(text))
    if persian == 0 or persian < len(LATIN_LETTER.findall(text)):
        return Problem.NOT_PERSIAN
    return None


def _span(text: str, toks: list[Token], first: int, last: int) -> tuple[int, int, str]:
    start, end = toks[first].start, toks[last].end
    return start, end, text[start:end]


def _inside(inner: Finding, outer: Finding) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def analyze(text: str, lexicon: Lexicon) -> Report:
    """Raises ``TextRejectedError`` when ``problem_with(text)`` names a problem."""
    problem = problem_with(text)
    if problem is not None:
        raise TextRejectedError(problem)
    folded = fold(text)
    toks = tokens(folded)
    sents = sentences(folded, toks)
    measured = readability.measure(sents)
    if measured is None:  # Persian letters but no Persian word, e.g. only «؟؟»
        raise TextRejectedError(Problem.NOT_PERSIAN)

    findings: list[Finding] = []
    for s in sents:
        if s.words > LONG_SENTENCE_WORDS:
            findings.append(
                Finding(Kind.LONG_SENTENCE, s.start, s.end, text[s.start : s.end], "دو یا چند جملهٔ کوتاه‌تر")
            )
    actors: list[Finding] = []
    for hit in rules.passive(folded, toks) + rules.nominal(folded, toks):
        start, end, excerpt = _span(text, toks, hit.first, hit.last)
        actors.append(Finding(Kind(hit.kind), start, end, excerpt, hit.fix))
    # «مورد بررسی قرار گرفت» is one finding, not a passive inside a nominal one.
    actors = [
        a
        for a in actors
        if not any(o is not a and _inside(a, o) and o.end - o.start > a.end - a.start for o in actors)
    ]
    findings += actors
    for match in lexicon.find(folded, toks):
        start, end, excerpt = _span(text, toks, match.first, match.last)
        candidate = Finding(Kind.JARGON, start, end, excerpt, match.entry.plain, match.entry.note)
        if not any(_inside(candidate, a) for a in actors):  # «گردید» is already a passive finding
            findings.append(candidate)
    for hit in rules_facts.numbers_without_units(folded, toks):
        start, end, excerpt = _span(text, toks, hit.first, hit.last)
        findings.append(Finding(Kind.NUMBER, start, end, excerpt, hit.fix))
    for span in rules_facts.undefined_abbreviations(folded):
        findings.append(
            Finding(Kind.ABBREVIATION, span.start, span.end, text[span.start : span.end], span.fix)
        )

    order = {k: i for i, k in enumerate(Kind)}
    findings.sort(key=lambda f: (f.start, -f.end, order[f.kind]))
    return Report(
        characters=len(text),
        readability=measured,
        longest=_longest(text, sents),
        findings=tuple(findings),
    )


def _longest(text: str, sents: list[Sentence]) -> tuple[SentenceLength, ...]:
    ranked = sorted(sents, key=lambda s: (-s.words, s.start))[:LONGEST_SHOWN]
    return tuple(SentenceLength(s.start, s.end, s.words, text[s.start : s.end]) for s in ranked)
