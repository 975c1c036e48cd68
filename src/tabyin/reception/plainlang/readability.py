"""The readability score: Flesch's Reading Ease as adapted to Persian by Dayani (Flesch–Dayani).

    score = 262.835 − 0.846 × WL − 1.015 × SL

    WL = syllables per 100 words, SL = words per sentence (average)

Source: M. H. Dayani, «سنجش خوانایی متون فارسی» (1379/2000), who kept both of Flesch's coefficients and
moved the constant from 206.835 to 262.835. Flesch's own formula (R. Flesch, "A new readability
yardstick", Journal of Applied Psychology 32(3), 1948) is published in this same shape,
``206.835 − 0.846 wl − 1.015 sl`` with *wl = syllables per 100 words*; the better-known
``206.835 − 84.6 × syllables/word − 1.015 × words/sentence`` is the identical formula with the
factor 100 moved into the coefficient. So 0.846 belongs to syllables *per 100 words*. At least one
public implementation (the Persian-Readability script on GitHub, ``262.835 − 1.015 × ASL − 0.846 ×
ASW`` with ASW = syllables per *word*) multiplies 0.846 by syllables per word: the word-length term
then moves the score by about 0.3 between a text of one-syllable words and one of three-syllable
words, so the score is sentence length alone. We could not read Dayani's paper itself; the
coefficients above are as the Persian secondary literature and that script quote them, and their
per-100-words reading follows from Flesch 1948.

Persian words carry more syllables than English ones (about 2.3 per word against 1.5), which is
why the constant is higher. How scores map to "easy" and "hard" is not taken from the paper: the
bands below were set on texts of known difficulty (``benchmarks/reception_plainlang_calibration.py``
prints the figures; docs/modules/reception.md has them).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tabyin.reception.plainlang import syllables
from tabyin.reception.plainlang.text import Sentence

CONSTANT = 262.835
WORD_LENGTH_COEFFICIENT = 0.846  # × syllables per 100 words
SENTENCE_LENGTH_COEFFICIENT = 1.015  # × words per sentence

# Band edges, set on the calibration half of the texts of known difficulty (children's stories,
# news, legal and administrative text): midway between the median scores of neighbouring groups.
EASY_FROM = 96.5
HARD_BELOW = 57.1


class Band(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


@dataclass(frozen=True, slots=True)
class Readability:
    score: float
    band: Band
    words: int  # every word, numbers included (sentence length counts them)
    sentences: int
    syllables: int  # over the Persian words only
    persian_words: int
    words_per_sentence: float
    syllables_per_100_words: float


def flesch_dayani(*, syllables_per_100_words: float, words_per_sentence: float) -> float:
    return (
        CONSTANT
        - WORD_LENGTH_COEFFICIENT * syllables_per_100_words
        - SENTENCE_LENGTH_COEFFICIENT * words_per_sentence
    )


def band_of(score: float) -> Band:
    if score >= EASY_FROM:
        return Band.EASY
    if score < HARD_BELOW:
        return Band.HARD
    return Band.MEDIUM


def measure(sentences: list[Sentence]) -> Readability | None:
    """None when there is no Persian word to measure. Numbers and Latin words count towards
    sentence length but not towards word length: their spoken syllables are not in their spelling."""
    words = sum(s.words for s in sentences)
    persian = [t for s in sentences for t in s.tokens if t.is_persian and not t.is_number]
    if not sentences or not persian:
        return None
    total_syllables = sum(syllables.count_folded(t.text) for t in persian)
    per_100 = 100.0 * total_syllables / len(persian)
    per_sentence = words / len(sentences)
    score = flesch_dayani(syllables_per_100_words=per_100, words_per_sentence=per_sentence)
    return Readability(
        score=round(score, 1),
        band=band_of(score),
        words=words,
        sentences=len(sentences),
        syllables=total_syllables,
        persian_words=len(persian),
        words_per_sentence=round(per_sentence, 1),
        syllables_per_100_words=round(per_100, 1),
    )
