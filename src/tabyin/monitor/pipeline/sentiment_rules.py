"""The default sentiment scorer: hand-written lexicons and rules, no training data.

A text is read sentence by sentence. Each evaluative entry (longest first) counts its weight,

* turned the other way by a negative verb in the next two words (every personal ending:
  «راضی نبودند», «نبودم», «نیستیم», «نمی‌…») or «بدون/عدم/هیچ» before it; a negated complaint
  («بد نبود», «مشکلی نداشت») counts only half, the other way;
* strengthened or softened by an intensifier before it («خیلی», «اصلاً», «کمی»);
* composed with a shifter near it: «کاهش صف», «صف‌ها کاهش یافت» and «بدهی … در حال تسویه» are good
  news, «کاهش مستمری» and «افزایش تاخیر» bad (see ``lexicon_rules``); «تاخیر در پرداخت» stays a
  complaint;
* dropped when it is a complaint inside a denied sentence («خبر تاخیر … تکذیب شد»): a denied bad
  news item is not bad news for the organization;
* weighted up after the last «ولی/اما» and down before it.

Emoji count on the raw text. A text with strong praise and strong complaint in balance is
"neutral" (mixed); otherwise score = tanh(sum / 2) and |score| < ``NEUTRAL_BAND`` is neutral.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from typing import NamedTuple

from tabyin.monitor.pipeline import (
    lexicon_general,
    lexicon_rules,
)
from tabyin.monitor.pipeline import sentiment_clauses as clauses
from tabyin.monitor.pipeline.sentiment_table import (
    ALSO_PRAISE,
    BAD,
    GOOD,
    INCREASE,
    INTENSIFY,
    PHRASES,
    REDUCE,
    RESOLVE,
    SHIFTERS,
    STARTS,
    TABLE,
    WORD,
    Entry,
)
from tabyin.monitor.pipeline.sentiment_words import (
    key_of,
    questions,
    tokens,
)

NEGATIVE, NEUTRAL, POSITIVE = "negative", "neutral", "positive"
# Hand-set constants (chosen on the tuning part of the evaluation data, never on its held-out part).
NEUTRAL_BAND = 0.4
CONTRAST_AFTER, CONTRAST_BEFORE = 1.5, 0.7
SUMMARY_AFTER, SUMMARY_BEFORE = 2.0, 0.5
NEGATED_COMPLAINT = 0.5
# A negative verb this many words after an evaluative word negates it (Persian puts the verb last:
# «کیفیتش اصلاً خوب نیست»).
NEGATION_REACH = 3
# …and «وجود ندارد» (existence denied) negates any complaint up to this many words before it.
EXISTENCE_REACH = 6
# Praise and complaint both at least MIXED_MIN, the weaker at least MIXED_RATIO of the stronger.
MIXED_MIN, MIXED_RATIO = 2.0, 0.8
# Praise and complaint joined by a concession («ولی», «اما», «هرچند», «البته»), each at least
# CONCEDED_MIN and the weaker at least CONCEDED_RATIO of the stronger (before contrast weighting).
CONCEDED_MIN, CONCEDED_RATIO = 0.7, 0.5
PAST_PRAISE = 1.0
# Evidence in a hedged sentence («شاید», «فکر کنم», «مطمئن نیستم») counts this much.
HEDGED = 0.5
# Praise inside a question counts this much.
QUESTIONED_PRAISE = 0.0
# A complaint weighs more than praise of the same word weight: people who complain often concede
# something good («بسته‌بندی خوب بود ولی …»), people who praise rarely concede something bad.
NEGATIVITY = 1.2
ORPHAN_NEGATION = -0.9
# «طعمش خیلی خوبه ولی <words the lexicon does not know>»: a clause after «ولی» that brings no known
# evidence is still a reservation against what precedes it; it counts this much the other way (a
# negative verb in it counts as the orphan negation).
UNKNOWN_RESERVATION = 1.5
_REGRETS = frozenset({"کاش", "ایکاش"})
# Evidence inside an "although" clause («با اینکه خوشمزه بود، …») counts this much.
SUBORDINATE = 0.5

_PRE_NEGATORS = frozenset(" ".join(tokens(w)) for w in lexicon_rules.PRE_NEGATORS)
_FAR_PRE_NEGATORS = frozenset(" ".join(tokens(w)) for w in lexicon_rules.FAR_PRE_NEGATORS)
_NOT_ONLY = frozenset(lexicon_rules.NOT_ONLY)
_CLAUSE_ENDS, _CLAUSE_VERBS, _CONTRASTS = clauses.CLAUSE_ENDS, clauses.CLAUSE_VERBS, clauses.CONTRASTS
_CONDITIONALS, _HEDGES = clauses.CONDITIONALS, clauses.HEDGES
_negates, _conditional, _subordinate = clauses.negates, clauses.conditional, clauses.subordinate
_UNNEGATED = frozenset(" ".join(tokens(w)) for w in lexicon_rules.UNNEGATED)
_PAST = frozenset(" ".join(tokens(w)) for w in lexicon_rules.PAST)
_WISHES = frozenset(" ".join(tokens(w)) for w in lexicon_rules.WISHES)
_EXISTENCE = frozenset(lexicon_rules.EXISTENCE)
_HEDGE_STARTS = frozenset(h.split()[0] for h in _HEDGES if " " in h)
_SUMMARIES = frozenset(" ".join(tokens(w)) for w in lexicon_rules.SUMMARIES)
_SUMMARY_WORDS = frozenset(s.split()[0] for s in _SUMMARIES)
_CONCESSIONS = frozenset(" ".join(tokens(w)) for w in lexicon_rules.CONCESSIONS)
_MARKERS = _CONTRASTS | _CONCESSIONS | _SUMMARY_WORDS
_DENIALS = tuple(" ".join(tokens(w)) for w in lexicon_rules.DENIALS)
_UNDENIED = tuple(" ".join(tokens(w)) for w in lexicon_rules.UNDENIED)
_DENIAL_WORDS = re.compile("تکذیب|کذب|صحت|حقیقت|واقعیت|شایعه|جعلی|دروغ|فیک|نادرست|اساس")
# Every emoji of the list is above U+2600 (Persian letters are far below), or an ASCII ":)".
_ABOVE_U2600 = re.compile("[\u2600-\U0010ffff]")
_EMOJI = re.compile("|".join(map(re.escape, sorted(lexicon_general.EMOJI, key=len, reverse=True))))


def _hedged(words: Sequence[str]) -> bool:
    """«شاید خوشمزه باشد», «فکر کنم خوب باشه», «مطمئن نیستم»: the writer does not say it is so."""
    if not _HEDGES.isdisjoint(words):
        return True
    return not _HEDGE_STARTS.isdisjoint(words) and any(
        word in _HEDGE_STARTS and " ".join(words[at : at + 2]) in _HEDGES for at, word in enumerate(words)
    )


def _negated_after(words: Sequence[str], at: int, *, complaint: bool = False) -> bool:
    """A negative verb within reach, and no other entry before it («مشکل سامانه حل نشد»: the
    «نشد» negates «حل», not «مشکل»)."""
    if at and words[at - 1] in _CLAUSE_ENDS:  # the entry ends with its own verb: «خراب بود»
        return False
    for k, word in enumerate(words[at : at + NEGATION_REACH], start=at):
        if _negates(word) and not (word == "نه" and words[k - 1] == "یا"):  # «خوبه یا نه؟» asks
            return True
        if word in STARTS or word in _CLAUSE_ENDS:
            break
    if not complaint:
        return False
    # «مشکلی در پرداخت‌ها وجود ندارد», «تاخیری در پرداخت‌ها دیده نشد»: a denied existence reaches
    # back over the clause it ends (up to a contrast) to the complaint that is its subject.
    for k in range(at, min(len(words) - 1, at + EXISTENCE_REACH)):
        if words[k] in _CONTRASTS:
            return False
        if words[k] in _EXISTENCE and _negates(words[k + 1]):
            return True
    return False


class Span(NamedTuple):
    start: int
    end: int
    weight: float
    role: int
    negated: bool


def _spans(words: Sequence[str]) -> list[Span]:
    """Entries found in the words, longest first, with negation and intensifiers applied."""
    spans: list[Span] = []
    n, done, boost, boost_end = len(words), 0, 1.0, -9
    existential = not _EXISTENCE.isdisjoint(words)
    for i, word in enumerate(words):
        if i < done or word not in STARTS:
            continue
        entry, size = None, 1
        longest = PHRASES.get(word)
        if longest:
            for size in range(min(longest, n - i), 1, -1):
                entry = TABLE.get(" ".join(words[i : i + size]))
                if entry is not None:
                    break
        if entry is None:
            size, entry = 1, TABLE.get(word)
            if entry is None:
                continue
        done = i + size
        # «ماندگاری کمی داره»: little of it, not "a little".
        little = entry.role == INTENSIFY and word == "کمی" and done < n and words[done] in _CLAUSE_VERBS
        entry = TABLE["کم"] if little else entry
        if entry.role == INTENSIFY:
            praise = ALSO_PRAISE.get(" ".join(words[i:done]))
            if praise is None or (done < n and words[done] in STARTS):
                boost, boost_end = (entry.weight * boost if boost_end == i else entry.weight), done
                continue
            entry = Entry(praise, WORD)
        weight = entry.weight * (boost if boost_end >= i - 1 else 1.0)
        negated = word not in _UNNEGATED and (
            _negated_after(words, done, complaint=existential and (entry.role == BAD or entry.weight < 0))
            or (i > 0 and words[i - 1] in _PRE_NEGATORS)
            or (i > 1 and words[i - 2] in _FAR_PRE_NEGATORS)
            or (i > 1 and words[i - 2] == "نه" and words[i - 1] not in _NOT_ONLY)
        )
        if negated and entry.role == GOOD:  # «کیفیت ندارد», «حقوق نگرفتیم»
            weight = -1.0
        elif negated and entry.role == BAD:  # «صفی نبود»
            weight = NEGATED_COMPLAINT
        elif negated and entry.role == WORD:
            # «توصیه نمی‌کنم»: denied praise is a complaint, even of mild praise.
            weight = -weight * NEGATED_COMPLAINT if weight < 0 else -max(weight, 1.0)
        spans.append(Span(i, done, weight, entry.role, negated))
    return _coordinated(words, spans)


def _coordinated(words: Sequence[str], spans: list[Span]) -> list[Span]:
    """«خوب و تمیز نبود», «خوب و مثل قبل نیست»: one negative verb denies both words joined by «و»."""
    for k in range(len(spans) - 2, -1, -1):
        first, second = spans[k], spans[k + 1]
        if (
            first.role == WORD
            and not first.negated
            and second.role == WORD
            and second.start == first.end + 1
            and words[first.end] == "و"
            and (second.negated or _negates(words[second.end - 1]))
        ):
            weight = -max(first.weight, 1.0) if first.weight > 0 else -first.weight * NEGATED_COMPLAINT
            spans[k] = first._replace(weight=weight, negated=True)
    return spans


def _target(words: Sequence[str], spans: list[Span], at: int, used: set[int]) -> int | None:
    """The thing a shifter changes: the nearest un-negated word after it (within two words), else
    before it (within three) unless that one is a manner («با تاخیر واریز شد» is paid late)."""
    shifter = spans[at]
    for k in range(at + 1, len(spans)):
        other = spans[k]
        if other.start - shifter.end > 2 or "و" in words[shifter.end : other.start]:
            break  # «کم بو و خوش خوراک»: «و» ends what the shifter changes
        if other.role in (WORD, GOOD, BAD) and not other.negated and k not in used:
            return k
    for k in range(at - 1, -1, -1):
        other = spans[k]
        if shifter.start - other.end > 3:
            break
        manner = other.start > 0 and words[other.start - 1] == "با"
        weak = other.role == WORD and abs(other.weight) < 1.0  # «متوسط و رو به پایین»
        if other.role in (WORD, GOOD, BAD) and not other.negated and k not in used and not (manner or weak):
            return k
    return None


def _compose(words: Sequence[str], spans: list[Span]) -> list[tuple[int, float]]:
    """(position, weight) of every piece of evidence, shifters composed with what they change."""
    weights = [s.weight if s.role in (WORD, GOOD, BAD) else 0.0 for s in spans]
    used: set[int] = set()
    for at, shifter in enumerate(spans):
        if shifter.role not in SHIFTERS:
            continue
        own = -shifter.weight if shifter.negated else shifter.weight
        previous = spans[at - 1] if at else None
        # «تاخیر در پرداخت حقوق»: the payment is what is delayed, not a resolution; «با تاخیر
        # واریز شد»: it was paid, late. The complaint alone counts.
        # (A negated complaint, «مشکلی در پرداخت‌ها وجود ندارد», is still what the payment has.)
        complaint = previous is not None and (
            previous.weight < 0 or (previous.negated and previous.weight > 0)
        )
        delayed = complaint and previous is not None and previous.end == shifter.start - 1
        late = any(
            s.weight < 0 and s.start > 0 and words[s.start - 1] == "با" and shifter.start - s.end <= 3
            for s in spans[:at]
        )
        if (delayed and previous is not None and words[previous.end] == "در") or late:
            weights[at] = 0.0
            following = _target(words, spans, at, used | {at - 1})
            if following is not None and following > at:
                used.add(following)
                weights[following] = 0.0
            continue
        k = _target(words, spans, at, used)
        if k is None:
            # «کاهش صف‌های طولانی»: an adjective right after what another shifter changed adds nothing.
            weights[at] = (
                0.0 if previous is not None and at - 1 in used and previous.end == shifter.start else own
            )
            continue
        target = spans[k]
        sign = {GOOD: 1.0, BAD: -1.0}.get(target.role, math.copysign(1.0, target.weight))
        size = max(abs(target.weight), 1.0)
        combined = {RESOLVE: size, REDUCE: -sign * size, INCREASE: sign * size}[shifter.role]
        weights[at], weights[k] = (-combined if shifter.negated else combined), 0.0
        used.add(k)
    return [(s.start, w) for s, w in zip(spans, weights, strict=True) if w]


def _summary(words: Sequence[str]) -> int | None:
    """Where the writer's summing-up («در کل», «در مجموع», «کلاً») starts, if anywhere."""
    if _SUMMARY_WORDS.isdisjoint(words):
        return None
    for at, word in enumerate(words):
        if word in _SUMMARIES:
            return at
        if word in _SUMMARY_WORDS and " ".join(words[at : at + 2]) in _SUMMARIES:
            return at
    return None


def _denied(words: Sequence[str]) -> bool:
    line = " ".join(words)
    return any(d in line for d in _DENIALS) and not any(u in line for u in _UNDENIED)


class Reading(NamedTuple):
    """What the rules found: ``weights`` in reading order (contrast applied), ``raw`` the same
    before the contrast weighting, whether a concession joins the text's clauses, and whether the
    writer hedges («شاید», «مطمئن نیستم»)."""

    weights: list[float]
    raw: list[float]
    conceded: bool
    hedged: bool = False


def evidence(text: str) -> list[float]:
    """Every weight the rules find in the text, in reading order (what the trained model counts)."""
    return read(text).weights


def _sentence(words: list[str], asked: int, maybe_denied: bool) -> list[tuple[int, float]]:
    """(position, weight) of the evidence in one sentence."""
    hits = _compose(words, _spans(words))
    if maybe_denied and _denied(words):
        hits = [(at, w) for at, w in hits if w > 0]
    elif asked < len(words):
        # «آیا مستمری زودتر واریز می‌شود؟» asks for good news, it does not bring it; a complaint
        # in a question is usually rhetorical («چرا کسی رسیدگی نمی‌کند؟») and stays.
        hits = [(at, w * QUESTIONED_PRAISE if w > 0 and at >= asked else w) for at, w in hits]
    elif _hedged(words):
        hits = [(at, w * HEDGED) for at, w in hits]
    elif not hits and ORPHAN_NEGATION:
        # «حس قهوه را منتقل نمی‌کند»: a sentence whose only sign is a negative verb says that
        # something is missing.
        # «کاش با منطق بیشتری به پایان توجه می‌شد»: so does a bare wish.
        first = next((at for at, word in enumerate(words) if _negates(word) or word in _REGRETS), None)
        hits = [] if first is None else [(first, ORPHAN_NEGATION)]
    for markers in (_WISHES, _PAST):
        if not markers.isdisjoint(words):
            # «توقع داشتم خوشمزه باشد», «قبلاً خوشمزه‌تر بود»: praise wished for, or of how it
            # used to be, is a complaint about how it is — up to a «ولی» («… ولی هنوز خوبه»).
            first = min(at for at, word in enumerate(words) if word in markers)
            until = next((at for at in range(first, len(words)) if words[at] in _CONTRASTS), len(words))
            return [(at, -PAST_PRAISE * w if first < at < until and w > 0 else w) for at, w in hits]
    return hits


def read(text: str) -> Reading:
    """The rules' reading of the text (see ``Reading``)."""
    found: list[float] = []
    contrast_at = summarized_at = -1
    key = key_of(text)
    # Most texts deny nothing: one scan for the words every denial contains, then the exact check.
    maybe_denied = _DENIAL_WORDS.search(key) is not None
    conceded = hedged = False
    for words, asked in questions(key):
        hits = _sentence(words, asked, maybe_denied)
        hedged = hedged or _hedged(words)
        if not _CONDITIONALS.isdisjoint(words):
            hits = _conditional(words, hits)
        sub = _subordinate(words)
        if sub is not None:
            hits = [(at, w * SUBORDINATE if sub[0] <= at < sub[1] else w) for at, w in hits]
        if _MARKERS.isdisjoint(words):  # most sentences: no contrast, concession or summing-up
            found.extend(w for _at, w in hits)
            continue
        if not _CONTRASTS.isdisjoint(words):
            at = max(at for at, word in enumerate(words) if word in _CONTRASTS)
            hits = clauses.reserve(words, hits, at, ORPHAN_NEGATION)
            contrast_at = len(found) + sum(1 for h in hits if h[0] < at)
            conceded = conceded or sub is None
        elif not conceded and not _CONCESSIONS.isdisjoint(words):
            conceded = True
        summary = _summary(words) if hits else None
        if summary is not None and any(at >= summary for at, _w in hits):
            # «… ولی رنگش خوب نیست، در کل خوبه»: the writer's own verdict after «در کل / در مجموع»
            # settles the concessions before it, as a clause after «ولی» does.
            summarized_at = len(found) + sum(1 for h in hits if h[0] < summary)
        found.extend(w for _at, w in hits)
    raw = found
    if summarized_at >= max(contrast_at, 0):
        found = [w * (SUMMARY_BEFORE if i < summarized_at else SUMMARY_AFTER) for i, w in enumerate(found)]
    elif contrast_at >= 0:
        found = [w * (CONTRAST_BEFORE if i < contrast_at else CONTRAST_AFTER) for i, w in enumerate(found)]
    if ":" in text or _ABOVE_U2600.search(text):  # a fast pre-check: the alternation scans slowly
        emoji = [lexicon_general.EMOJI[e] for e in _EMOJI.findall(text)]
        found, raw = found + emoji, raw + emoji
    # «در کل گرون شده، ولی به نسبت مشابه‌ها خوبه»: the later of the two markers is the verdict.
    return Reading(found, raw, conceded and (summarized_at < 0 or summarized_at < contrast_at), hedged)


def label(score: float) -> str:
    if score <= -NEUTRAL_BAND:
        return NEGATIVE
    if score >= NEUTRAL_BAND:
        return POSITIVE
    return NEUTRAL


def _sides(found: Sequence[float]) -> tuple[float, float]:
    return sum(w for w in found if w > 0), -NEGATIVITY * sum(w for w in found if w < 0)


def score(found: Sequence[float], reading: Reading | None = None) -> tuple[str, float]:
    """(label, score in [-1, 1]) from the evidence; with the whole ``reading``, a balanced
    concession («خوشمزه است ولی گران») is neutral."""
    praise, complaint = _sides(found)
    value = round(math.tanh((praise - complaint) / 2.0), 4)
    if min(praise, complaint) >= MIXED_MIN and min(praise, complaint) >= MIXED_RATIO * max(praise, complaint):
        return NEUTRAL, value
    if reading is not None and reading.conceded:
        # Weighed before the contrast weighting: «X ولی Y» says both when X and Y are about as
        # strong; the clause after «ولی» decides only when it is clearly stronger.
        praise, complaint = _sides(reading.raw)
        if min(praise, complaint) >= CONCEDED_MIN and min(praise, complaint) >= CONCEDED_RATIO * max(
            praise, complaint
        ):
            return NEUTRAL, value
    if complaint and not praise and value < 0 and not (reading is not None and reading.hedged):
        # Only complaint, however mild («کمی چربه»): a review or a post that finds nothing good
        # and something bad is a complaint.
        return NEGATIVE, value
    return label(value), value


@functools.lru_cache(maxsize=4096)
def predict(text: str) -> tuple[str, float]:
    """(label, score) of the text. Cached: copies of one post are the common case in monitoring."""
    reading = read(text)
    return score(reading.weights, reading)
