"""Does a post carry a key message, and with its facts right? Pure Python, no Django.

**Carrying (pull-through).** A post carries a key message when it contains more than
``CARRY_THRESHOLD`` (half) of the message's content words (containment |M ∩ P| / |M|, not Jaccard: a post
is usually much longer than the one sentence it repeats, and Jaccard would punish that length),
words compared after core's normalisation, with function words dropped and the plural/ezafe
endings folded. The words of the terms that selected the coverage, and the organization's name,
are left out of the message (``KeyMessageFacts.without``): every post of the coverage has them by
construction, so they would make any post "carry" any message that names them. (Weighting words by
their IDF over the coverage was tried on the demo and rejected: a message that spreads makes its
own words common, and the more it is carried the less it would count as carried.)

**Fidelity.** Each essential fact of the message is looked for in a post that carries it:

* a number with the same unit class and the same value is *kept*; numbers of that class but none
  with that value is a *change* (the nearest one is shown); none of that class is *missing*;
* a date is kept when every part both sides give agrees (a post that omits the year still agrees),
  changed when the post gives dates and none agrees;
* «فقط» against «همه» (or the reverse), «مشمول» against «غیرمشمول» is a *reversal*;
* a negated verb of the message found without its negation in the post («پرداخت نمی‌شود» →
  «پرداخت می‌شود»), or a verb of the message found negated in the post, is a *reversal*; a denial
  reworded («ممنوع است») is not recognised either way.

A post is **distorted** when it has at least one change or reversal, **faithful** when it has
none (missing facts make it *partial*, which is still not a distortion: leaving out a date is not
stating a wrong one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final, Literal

from tabyin.core.persian_text import search_key
from tabyin.reception.messages.facts import Fact, essential, extract, prepare

CARRY_THRESHOLD: Final = 0.5
Outcome = Literal["faithful", "partial", "distorted"]
ChangeKind = Literal["changed", "reversed"]

_FUNCTION_WORDS: Final = (
    "و در به از که این آن را با برای تا یا هم نیز بر است هست شد شده شود می‌شود می‌شوند خواهد "
    "بود باشد کرد کرده کند می‌کند اند ای ها های یک دو هر اما ولی اگر چه چون پس آنها ما "
    "شما او ایشان خود همین همان نه روی زیر سر"
)
STOPWORDS: Final = frozenset(search_key(word) for word in _FUNCTION_WORDS.split())
_ENDINGS: Final = ("\u200cهای", "\u200cها", "های", "ها", "\u200cی", "ان")
_TOKEN: Final = re.compile(r"[^\W\d_][\w\u200c]*")


def content_words(text: str) -> frozenset[str]:
    words = set()
    for raw in _TOKEN.findall(prepare(text)):
        word = raw
        for ending in _ENDINGS:
            if len(word) > len(ending) + 2 and word.endswith(ending):
                word = word[: -len(ending)]
                break
        word = search_key(word)  # ZWNJ, optional hamza and teh marbuta folded
        if word not in STOPWORDS and len(word) > 1:
            words.add(word)
    return frozenset(words)


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    original: Fact
    found: Fact | None  # what the post says instead (None: a negation the post dropped)


@dataclass(frozen=True)
class Verdict:
    carried: bool
    containment: float
    outcome: Outcome | None  # None when not carried
    changes: tuple[Change, ...] = ()
    missing: tuple[Fact, ...] = ()

    @property
    def distorted(self) -> bool:
        return self.outcome == "distorted"


@dataclass(frozen=True)
class KeyMessageFacts:
    text: str
    facts: tuple[Fact, ...]
    words: frozenset[str] = field(default_factory=frozenset)

    def without(self, words: frozenset[str]) -> KeyMessageFacts:
        """The same message measured without ``words`` (unless nothing would be left)."""
        kept = self.words - words
        return KeyMessageFacts(self.text, self.facts, kept or self.words)

    @classmethod
    def of(cls, text: str, facts: list[Fact] | None = None) -> KeyMessageFacts:
        chosen = essential(extract(text) if facts is None else facts)
        return cls(prepare(text), tuple(chosen), content_words(text))


def _date_parts(value: str) -> tuple[int, int, int]:
    year, month, day = (int(p) for p in value.split("-"))
    return year, month, day


def _dates_agree(a: str, b: str) -> bool:
    return all(x == y or 0 in (x, y) for x, y in zip(_date_parts(a), _date_parts(b), strict=True))


def _number(value: str) -> float:
    return float(value.split("|", 1)[0])


def _has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w\u200c]){re.escape(word)}(?![\w\u200c])", text) is not None


def _check_number(key: Fact, post: list[Fact]) -> Change | Fact | None:
    # A number written without a unit («۵۷ زائر») may stand for one with a unit («۵۷ نفر»).
    same = [f for f in post if f.kind == "number" and (f.unit == key.unit or "" in (f.unit, key.unit))]
    if any(_number(f.value) == _number(key.value) for f in same):
        return None
    if not same:
        return key
    nearest = min(same, key=lambda f: abs(_number(f.value) - _number(key.value)))
    return Change("changed", key, nearest)


def _check_date(key: Fact, post: list[Fact]) -> Change | Fact | None:
    dates = [f for f in post if f.kind == "date"]
    if any(_dates_agree(key.value, f.value) for f in dates):
        return None
    return Change("changed", key, dates[0]) if dates else key


def _check_scope(key: Fact, post: list[Fact]) -> Change | Fact | None:
    values = {f.value for f in post if f.kind == "scope"}
    opposite = {"only": "all", "all": "only", "covered": "not_covered", "not_covered": "covered"}[key.value]
    if key.value in values:
        return None
    if opposite in values:
        return Change("reversed", key, next(f for f in post if f.value == opposite))
    return key


def _check(key: Fact, post: list[Fact], post_text: str) -> Change | Fact | None:
    """A change, the key fact itself when missing, or ``None`` when kept."""
    if key.kind == "number":
        return _check_number(key, post)
    if key.kind == "date":
        return _check_date(key, post)
    if key.kind == "scope":
        return _check_scope(key, post)
    # A negation: reversed only when the post has the same verb without it (another wording of
    # the denial, or none at all, is not a reversal: the check cannot tell).
    if any(f.kind == "negation" and f.value == key.value for f in post):
        return None
    return Change("reversed", key, None) if _has_word(post_text, key.value) else key


_SENTENCE_END: Final = re.compile(r"[.!?؟؛\n]")


def _denies_a_fact(message: KeyMessageFacts, text: str, facts: list[Fact], negation: Fact) -> bool:
    """The post negates the very sentence that repeats one of the message's facts («۲۰۰ میلیارد
    تومان … دریافت نشده»): a denial of the message, not a commentary line beside it."""
    starts = [0, *(m.end() for m in _SENTENCE_END.finditer(text)), len(text) + 1]
    lo = max(s for s in starts if s <= negation.start)
    hi = min(s for s in starts if s > negation.start)
    values = {(f.kind, f.value) for f in message.facts if f.kind in ("number", "date")}
    return any(lo <= f.start < hi and (f.kind, f.value) in values for f in facts)


def containment(message: frozenset[str], post: frozenset[str]) -> float:
    return len(message & post) / len(message) if message else 0.0


def judge(
    message: KeyMessageFacts,
    post_text: str,
    *,
    threshold: float = CARRY_THRESHOLD,
) -> Verdict:
    share = containment(message.words, content_words(post_text))
    if share <= threshold:
        return Verdict(False, share, None)
    return compare(message, post_text, containment=share)


def compare(message: KeyMessageFacts, post_text: str, *, containment: float = 1.0) -> Verdict:
    post_text = prepare(post_text)
    post_facts = extract(post_text)
    changes: list[Change] = []
    missing: list[Fact] = []
    for key in message.facts:
        result = _check(key, post_facts, post_text)
        if isinstance(result, Change):
            changes.append(result)
        elif result is not None:
            missing.append(result)
    kept_negations = {f.value for f in message.facts if f.kind == "negation"}
    for fact in post_facts:
        if fact.kind != "negation" or fact.value in kept_negations:
            continue
        if _has_word(message.text, fact.value) or (
            not kept_negations and _denies_a_fact(message, post_text, post_facts, fact)
        ):
            changes.append(Change("reversed", fact, fact))
            break
    outcome: Outcome = "distorted" if changes else ("partial" if missing else "faithful")
    return Verdict(True, containment, outcome, tuple(changes), tuple(missing))


def signature(change: Change) -> str:
    """The wrong claim a change makes, in a form that is equal across wordings: the cluster key."""
    found = change.found.value if change.found is not None and change.found is not change.original else "-"
    if change.found is change.original:
        return f"negation|{change.original.value}|added"
    return f"{change.kind}|{change.original.kind}|{change.original.value}|{found}"
