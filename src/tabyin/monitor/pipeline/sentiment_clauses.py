"""Clause-level rules of the default sentiment scorer (see ``sentiment_rules``): which words negate,
where an "if" or an "although" clause ends, and a reservation after «ولی» the lexicon cannot read.

Each function takes the words of one sentence and the (position, weight) evidence found in it.
"""

from __future__ import annotations

from collections.abc import Sequence

from tabyin.monitor.pipeline import lexicon_rules
from tabyin.monitor.pipeline.sentiment_words import tokens

Hits = list[tuple[int, float]]

# Praise inside an "if" clause («اگه کیفیتش بهتر بود میخریدم», «اگر … خرید بهتری خواهید داشت») is
# hypothetical: it counts this much (what it would take is what is missing), up to the clause's
# verb, a «ولی», or this many words.
CONDITIONAL_PRAISE = 0.0
CONDITIONAL_REACH = 6

NEGATORS = frozenset(" ".join(tokens(w)) for w in lexicon_rules.NEGATORS)
HEDGES = frozenset(" ".join(tokens(w)) for w in lexicon_rules.HEDGES)
CONTRASTS = frozenset(lexicon_rules.CONTRASTS)
CLAUSE_ENDS = frozenset(lexicon_rules.CLAUSE_ENDS)
CLAUSE_VERBS = CLAUSE_ENDS - {"که", "چون", "فقط", "تا"}
CONDITIONALS = frozenset({"اگر", "اگه"})
_SUBORDINATORS = frozenset(" ".join(tokens(w)) for w in lexicon_rules.SUBORDINATORS)
_SUBORDINATOR_WORDS = frozenset(w.split()[-1] for w in _SUBORDINATORS)


def negates(word: str) -> bool:
    return word in NEGATORS or (word.startswith("نمی") and len(word) > 4 and word not in HEDGES)


def reserve(words: Sequence[str], hits: Hits, at: int, weight: float) -> Hits:
    """«طعمش خوبه ولی اونجوری که تو تصویره نیست»: a clause after «ولی» (at ``at``) whose only sign
    is a negative verb is a reservation, ``weight``, as a whole sentence with only that sign is."""
    before = sum(w for k, w in hits if k < at)
    if not before or any(k > at for k, _w in hits) or at + 2 >= len(words):
        return hits
    if any(negates(word) for word in words[at + 1 :]):
        return [*hits, (at + 1, weight)]
    return hits


def conditional(words: Sequence[str], hits: Hits) -> Hits:
    """Praise from «اگر/اگه» to the end of its clause is hypothetical."""
    start = next(at for at, word in enumerate(words) if word in CONDITIONALS)
    end = min(len(words), start + CONDITIONAL_REACH)
    for at in range(start + 1, end):
        if words[at] in CONTRASTS:
            end = at
            break
        if words[at] in CLAUSE_VERBS:
            end = at + 1
            break
    return [(at, w * CONDITIONAL_PRAISE if w > 0 and start < at < end else w) for at, w in hits]


def subordinate(words: Sequence[str]) -> tuple[int, int] | None:
    """Where an "although" clause («با اینکه …», «علیرغم …») starts and ends: at the next «ولی/اما»,
    else after its verb; None if there is none (or it does not end)."""
    if _SUBORDINATOR_WORDS.isdisjoint(words):
        return None
    for start, word in enumerate(words):
        if word not in _SUBORDINATOR_WORDS:
            continue
        first = next(
            (
                begin
                for size in (3, 2, 1)
                if (begin := start - size + 1) >= 0 and " ".join(words[begin : start + 1]) in _SUBORDINATORS
            ),
            None,
        )
        if first is None:
            continue
        for end in range(start + 1, len(words)):
            if words[end] in CONTRASTS:
                return first, end
            if words[end] in CLAUSE_VERBS:
                return first, end + 1
        return None
    return None
