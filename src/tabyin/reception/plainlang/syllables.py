"""Syllables of a Persian word, counted from its written letters.

Every Persian syllable has exactly one vowel and starts with one consonant (CV, CVC, CVCC). The
long vowels are written («ا» «آ» «و» «ی», and «ه» at the end of a word after a consonant, as in
«خانه»), the short ones (a, e, o) mostly are not. So the counter

1. reads each letter as a vowel (V) or a consonant (C): «و» and «ی» are consonants at the start of
   a word, after a vowel letter, or before «ا»; a word-initial «ا»/«آ» is a vowel carrying its
   glottal onset, and «او»/«ای» at the start of a word are one vowel; a written short-vowel sign
   (fatha, kasra, damma) is a vowel; «خوا» is read «خا» (the «و» is silent);
2. counts one syllable per written vowel, and
3. adds the syllables whose short vowel is not written, from the runs of consonants: before the
   first vowel a run of n consonants holds ceil((n-1)/2) unwritten syllables (one consonant is the
   onset of the written vowel's syllable, each unwritten syllable takes about two: «کتاب» k-t-ā-b →
   ke-tāb); between two vowels a run of n holds ceil((n-2)/2) (one coda, one onset: «دانشگاه» →
   dā-nesh-gāh); after the last vowel ceil((n-2)/2) (codas of up to two consonants: «کارمند» →
   kār-mand); a word with no written vowel has max(1, ceil((n-1)/2)) («درس» → 1, «شکستن» → 2,
   really 3).

The parts of a word joined by ZWNJ («می‌شود», «بازنشسته‌ها») are counted separately and added, since
each part is pronounced as if it stood alone. A short list of very common words whose spelling
misleads the rules (verb forms of «شدن», «خواستن», pronouns) holds their true counts.

Limits: a doubled consonant written once («مستمری» mos-ta-mer-ri) loses a syllable; words with no
written vowel are guessed («پدر» counts 1, is 2); «و» and «ی» between consonants are always read as
vowels («سوال» is right, «جوان» is right, «روشن» ro-shan is right, «نوشتن» ne-vesh-tan counts 2,
is 3). Against the hand-counted list in the tests the counter is exact on most words and within
one syllable on the rest; it is used for a text's average, where such errors mostly cancel.
"""

from __future__ import annotations

from functools import lru_cache
from math import ceil

from tabyin.reception.plainlang.text import ZWNJ, fold

_SHORT_VOWEL_SIGNS = "\u064e\u064f\u0650"  # fatha, damma, kasra
_IGNORED = "\u064b\u064c\u064d\u0651\u0652\u0654\u0670\u0640"  # tanvin, tashdid, sukun, hamza, kashida

# Spelling misleads the rules on these; they are among the most frequent words of any text.
KNOWN: dict[str, int] = {
    "شود": 2,
    "شوند": 2,
    "شوی": 2,
    "شوید": 2,
    "شوم": 2,
    "شویم": 2,
    "بشود": 3,
    "نشود": 3,
    "خواهد": 2,
    "خواهند": 2,
    "خواهم": 2,
    "خواهیم": 3,
    "خواهی": 2,
    "خواهید": 3,
    "کند": 2,
    "کنند": 2,
    "کنید": 2,
    "کنیم": 2,
    "کنم": 2,
    "دهد": 2,
    "دهند": 2,
    "باید": 2,
    "نباید": 3,
    "شاید": 2,
    "آمد": 2,
    "آید": 2,
    "این": 1,
    "او": 1,
    "اول": 2,
    "ایران": 2,
    "همه": 2,
    "نه": 1,
    "که": 1,
    "چه": 1,
    "به": 1,
    "هم": 1,
    "دو": 1,
    "تو": 1,
    "جو": 1,
    "نو": 1,
    "و": 1,
}


def _glide(letters: list[str], i: int, previous: str) -> str:
    """«و» or «ی»: "C" (v, y), "V" (u/o, i) or "" (the silent «و» of «خوا»)."""
    c = letters[i]
    after = letters[i + 1] if i + 1 < len(letters) else ""
    if c == "و" and i >= 1 and letters[i - 1] == "خ" and after == "ا":  # «خوا» is read «خا»
        return ""
    before_vowel = "اآ" if c == "و" else "اآو"
    if i == 0 or previous == "V" or (after != "" and after in before_vowel):
        return "C"
    return "V"


def _skeleton(word: str) -> str:
    """The word as a string of "C" and "V" (see the module docstring)."""
    letters = [c for c in word if c not in _IGNORED]
    out: list[str] = []
    n = len(letters)
    i = 0
    while i < n:
        c = letters[i]
        previous = out[-1] if out else ""
        after = letters[i + 1] if i + 1 < n else ""
        if c in _SHORT_VOWEL_SIGNS:
            out.append("V")
        elif c in "اآ":
            out.append("V")
            if i == 0 and c == "ا" and after != "" and after in "وی":  # «او», «این»: one vowel
                i += 1
        elif c in "وی":
            out.append(_glide(letters, i, previous))
        elif c == "ه" and i == n - 1 and i > 0 and previous == "C":
            out.append("V")  # «خانه»: the final «ه» writes the vowel e
        else:
            out.append("C")
        i += 1
    return "".join(out)


@lru_cache(maxsize=50_000)  # words repeat: a text of 2,000 words has a few hundred distinct ones
def _count_part(part: str) -> int:
    if not part:
        return 0
    known = KNOWN.get(part)
    if known is not None:
        return known
    skeleton = _skeleton(part)
    vowels = skeleton.count("V")
    if vowels == 0:
        return max(1, ceil((len(skeleton) - 1) / 2))
    runs = skeleton.split("V")
    first, middle, last = runs[0], runs[1:-1], runs[-1]
    extra = ceil(max(0, len(first) - 1) / 2)
    extra += sum(ceil(max(0, len(run) - 2) / 2) for run in middle)
    extra += ceil(max(0, len(last) - 2) / 2)
    return vowels + extra


def count(word: str) -> int:
    """Syllables in one written Persian word (ZWNJ-joined parts added); 0 for a non-Persian token."""
    return count_folded(fold(word))


def count_folded(word: str) -> int:
    """``count`` for a word already folded (``text.fold``), as the tokens are."""
    return sum(_count_part(part) for part in word.split(ZWNJ))
