"""The sentiment lexicon as one lookup table: every entry of the word lists, its suffixed forms and
its role (an evaluative word, a shifter such as «کاهش» or «تسویه», an intensifier such as «خیلی»).

Built once at import from ``lexicon*`` modules (hand-written, fitted on nothing). An exact entry wins
over another entry's suffixed form; a phrase written with a ZWNJ is also the one word it becomes
once the ZWNJ is folded.
"""

from __future__ import annotations

from typing import NamedTuple

from tabyin.monitor.pipeline import (
    lexicon,
    lexicon_complaint,
    lexicon_complaint_more,
    lexicon_general,
    lexicon_reviews,
    lexicon_rules,
)
from tabyin.monitor.pipeline.sentiment_words import tokens

WORD, GOOD, BAD, REDUCE, INCREASE, RESOLVE, INTENSIFY = range(7)
SHIFTERS = (REDUCE, INCREASE, RESOLVE)


class Entry(NamedTuple):
    weight: float
    role: int


def _build() -> tuple[dict[str, Entry], dict[str, int]]:
    """Every entry and its suffixed forms (an exact entry wins over another's suffixed form), and
    for each first word of a phrase its longest length."""
    sources: list[tuple[dict[str, float], int]] = [
        (lexicon_rules.INTENSIFIERS, INTENSIFY),
        (lexicon_rules.RESOLVERS, RESOLVE),
        (lexicon_rules.REDUCERS, REDUCE),
        (lexicon_rules.INCREASERS, INCREASE),
        (lexicon.NEGATIVE, WORD),
        (lexicon.POSITIVE, WORD),
        (lexicon_complaint.COMPLAINT, WORD),
        (lexicon_complaint_more.MORE_COMPLAINT, WORD),
        (lexicon_reviews.REVIEW_WORDS, WORD),
        (lexicon_general.PRAISE, WORD),
        (dict.fromkeys(lexicon_rules.GOODS, 0.0), GOOD),
        (dict.fromkeys(lexicon_rules.BADS, 0.0), BAD),
    ]
    table: dict[str, Entry] = {}
    phrases: dict[str, int] = {}
    for suffixes in (("",), lexicon_rules.SUFFIXES):
        for source, role in sources:
            for entry, weight in source.items():
                words = tokens(entry)
                if len(words) > 1:
                    phrases[words[0]] = max(phrases.get(words[0], 0), len(words))
                for suffix in suffixes if role != INTENSIFY else ("",):
                    form = " ".join([*words[:-1], words[-1] + suffix])
                    if suffix and form in lexicon_rules.FALSE_FRIENDS:
                        continue
                    table.setdefault(form, Entry(weight, role))
        # «فوق‌العاده», «دوست‌داشتنی»: a phrase written with a ZWNJ is one word once the ZWNJ is
        # folded; it is the same entry as the phrase written with a space.
        for source, role in sources:
            for entry, weight in source.items():
                words = tokens(entry)
                if len(words) > 1 and role != INTENSIFY:
                    for suffix in suffixes:
                        table.setdefault("".join(words) + suffix, Entry(weight, role))
    return table, phrases


def _also_praise() -> dict[str, float]:
    """Intensifiers that are evaluative words when nothing evaluative follows them («فوق‌العاده
    است» is praise, «فوق‌العاده بد» is very bad)."""
    words = {" ".join(tokens(e)): w for e, w in lexicon_general.PRAISE.items()}
    out: dict[str, float] = {}
    for entry in lexicon_rules.INTENSIFIERS:
        key = " ".join(tokens(entry))
        if key in words:
            out[key] = out["".join(key.split())] = words[key]
    return out


TABLE, PHRASES = _build()
ALSO_PRAISE = _also_praise()
for _word, _weight in ALSO_PRAISE.items():
    TABLE.setdefault(_word, Entry(_weight, WORD))
STARTS = frozenset(PHRASES) | frozenset(TABLE)
