"""The rules that find hidden actors: passives and actions turned into nouns (numbers and
abbreviations are in ``rules_facts``).

Each rule takes the folded text and its tokens and returns ``Hit``s: which tokens (by index), the
rule's kind and the suggested fix, in Persian (the fix is a piece of Persian text, like the text it
replaces). Nothing here needs a parser: the constructions are recognised by their fixed words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tabyin.reception.plainlang.text import Token, gap_is_space

WHO = "[چه کسی]"


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str
    first: int
    last: int
    fix: str


def _joined(folded: str, toks: list[Token], i: int, most: int) -> Iterator[tuple[int, str]]:
    """(last index, joined keys) for runs of 1..most tokens from ``i`` with only spaces between."""
    joined = ""
    for j in range(i, min(len(toks), i + most)):
        if j > i and not gap_is_space(folded, toks[j - 1], toks[j]):
            return
        joined += toks[j].key
        yield j, joined


def _longest(
    folded: str, toks: list[Token], i: int, table: dict[str, str], most: int = 3
) -> tuple[int, str] | None:
    """The longest run from ``i`` whose joined key is in ``table``: (last index, table value)."""
    best = None
    for j, joined in _joined(folded, toks, i, most):
        if joined in table:
            best = (j, table[joined])
    return best


# --- Passive: a past participle followed by a form of «شدن» / «گردیدن» -----------------------

# Auxiliary (joined key) → tense, which decides the active form offered.
_PASSIVE_AUX = {
    "شد": "past",
    "شدند": "past",
    "گردید": "past",
    "گردیدند": "past",
    "شدهاست": "perfect",
    "شدهاند": "perfect",
    "گردیدهاست": "perfect",
    "گردیدهاند": "perfect",
    "شدهبود": "pluperfect",
    "میشود": "present",
    "میشوند": "present",
    "میگردد": "present",
    "میگردند": "present",
    "شود": "subjunctive",
    "شوند": "subjunctive",
    "گردد": "subjunctive",
    "خواهدشد": "future",
    "خواهندشد": "future",
}
_GARDIDAN = {k: v for k, v in _PASSIVE_AUX.items() if "گرد" in k}
# «بررسی شده است»: a noun with the perfect of «شدن» (the brief's «… شده است»). With the simple
# past «شد» the same shape is far more often "became" («سرد شد»), so only the perfect is taken.
_PERFECT_SHODAN = {"شدهاست": "perfect", "شدهاند": "perfect"}
_STATES = frozenset(
    [
        "سرد",
        "گرم",
        "خوب",
        "بد",
        "بزرگ",
        "کوچک",
        "خوشحال",
        "ناراحت",
        "بیمار",
        "خسته",
        "آماده",
        "تمام",
        "کم",
        "زیاد",
        "بیشتر",
        "کمتر",
        "بلند",
        "کوتاه",
        "پیر",
        "جوان",
        "موفق",
        "متوجه",
        "مطلع",
        "آگاه",
        "باعث",
        "سبب",
        "موجب",
        "منجر",
        "تبدیل",
        "وارد",
        "خارج",
        "حاضر",
        "غایب",
        "دیر",
        "زود",
    ]
)
# Words ending in -ده/-ته that are not participles, or whose «شد» means "became".
_NOT_PARTICIPLES = frozenset(
    [
        "آماده",
        "ساده",
        "زنده",
        "برنده",
        "نماینده",
        "آینده",
        "پرونده",
        "عمده",
        "بنده",
        "خنده",
        "پرده",
        "شرمنده",
        "پراکنده",
        "ارزنده",
        "پیاده",
        "خسته",
        "آهسته",
        "وابسته",
        "شایسته",
        "برجسته",
        "خجسته",
        "پسته",
        "هفته",
        "رشته",
        "دسته",
        "فرشته",
        "گذشته",
        "آسوده",
        "آلوده",
        "افسرده",
        "شده",
        "کرده",
        "بوده",
        "گشته",
    ]
)
_AGENT_SUFFIXES = ("کننده", "دهنده", "گیرنده", "شونده", "رسنده")


def _is_participle(token: Token) -> bool:
    k = token.key
    return (
        len(k) >= 3
        and k.endswith(("ده", "ته"))
        and k not in _NOT_PARTICIPLES
        and not k.endswith(_AGENT_SUFFIXES)
        and token.is_persian
    )


def _active(stem_word: str, tense: str, *, participle: bool) -> str:
    """The active form to offer: «نوشته شد» → «نوشت»; «پرداخت گردید» → «پرداخت کرد»."""
    if participle:
        past_stem = stem_word[:-1]
        return {
            "past": f"{WHO} {past_stem}",
            "perfect": f"{WHO} {stem_word} است",
            "pluperfect": f"{WHO} {stem_word} بود",
        }.get(tense, f"{WHO} + فعل معلوم")
    verb = {
        "past": "کرد",
        "perfect": "کرده است",
        "pluperfect": "کرده بود",
        "present": "می‌کند",
        "subjunctive": "کند",
        "future": "خواهد کرد",
    }[tense]
    return f"{WHO} {stem_word} {verb}"


def passive(folded: str, toks: list[Token]) -> list[Hit]:
    hits: list[Hit] = []
    for i in range(len(toks) - 1):
        if not gap_is_space(folded, toks[i], toks[i + 1]):
            continue
        word = toks[i]
        if _is_participle(word):
            found = _longest(folded, toks, i + 1, _PASSIVE_AUX)
            if found:
                last, tense = found
                hits.append(Hit("passive", i, last, _active(word.text, tense, participle=True)))
                continue
        if word.is_persian and not word.is_number and word.key not in _STATES:
            found = _longest(folded, toks, i + 1, _GARDIDAN) or _longest(folded, toks, i + 1, _PERFECT_SHODAN)
            if found:  # «پرداخت گردید», «بررسی شده است»: the passive of a compound verb
                last, tense = found
                hits.append(Hit("passive", i, last, _active(word.text, tense, participle=False)))
    return hits


# --- Nominalised: the action turned into a noun that "was done" ---------------------------

_DONE = {  # after «انجام» / «صورت»
    "شد": "past",
    "شدند": "past",
    "شدهاست": "perfect",
    "گرفت": "past",
    "گرفتند": "past",
    "گرفتهاست": "perfect",
    "پذیرفت": "past",
    "پذیرفتهاست": "perfect",
    "میشود": "present",
    "میگیرد": "present",
    "میپذیرد": "present",
    "شود": "subjunctive",
    "گیرد": "subjunctive",
    "خواهدشد": "future",
    "خواهدگرفت": "future",
}
_CAME = {"آمد": "past", "آمدهاست": "perfect", "میآید": "present", "آید": "subjunctive"}  # «به عمل …»
_PLACED = {  # «مورد … قرار …»
    "گرفت": "past",
    "گرفتند": "past",
    "گرفتهاست": "perfect",
    "گرفتهاند": "perfect",
    "میگیرد": "present",
    "میگیرند": "present",
    "گیرد": "subjunctive",
    "خواهدگرفت": "future",
}
_DO = {
    "past": "کرد",
    "perfect": "کرده است",
    "present": "می‌کند",
    "subjunctive": "کند",
    "future": "خواهد کرد",
}


_PREPOSITIONS = frozenset(["از", "با", "در", "به", "برای", "تا", "بر", "روی", "درباره", "دربارهٔ"])


def _noun_before(folded: str, toks: list[Token], i: int) -> int | None:
    """Index of the Persian word just before token ``i`` (the action's noun), unless that word
    closes a prepositional phrase: in «بازدید از شعبه به عمل آمد» the action is «بازدید», not
    «شعبه», and the rule cannot tell which word it is, so it names none."""
    if i == 0 or not gap_is_space(folded, toks[i - 1], toks[i]):
        return None
    before = toks[i - 1]
    if not before.is_persian or before.is_number or before.key in _PREPOSITIONS:
        return None
    if i >= 2 and toks[i - 2].key in _PREPOSITIONS:
        return None
    return i - 1


def nominal(folded: str, toks: list[Token]) -> list[Hit]:
    hits: list[Hit] = []
    n = len(toks)
    for i in range(n - 1):
        word = toks[i].key
        if not gap_is_space(folded, toks[i], toks[i + 1]):
            continue
        if word == "مورد":
            # «مورد بررسی قرار گرفت», «مورد تأیید نهایی قرار گرفت»
            for q in (i + 2, i + 3):
                if (
                    q < n
                    and toks[q].key == "قرار"
                    and all(gap_is_space(folded, toks[k], toks[k + 1]) for k in range(i, q))
                ):
                    found = _longest(folded, toks, q + 1, _PLACED)
                    if found:
                        what = " ".join(t.text for t in toks[i + 1 : q])
                        hits.append(Hit("nominal", i, found[0], f"{WHO} {what} {_DO[found[1]]}"))
                    break
        elif word in ("انجام", "صورت"):
            # «بررسی انجام شد», «پرداخت صورت گرفت»; «… در تاریخ ۱۴۰۳ انجام شد» has no noun next to it
            found = _longest(folded, toks, i + 1, _DONE)
            if found:
                noun = _noun_before(folded, toks, i)
                what = "…" if noun is None else toks[noun].text
                first = i if noun is None else noun
                hits.append(Hit("nominal", first, found[0], f"{WHO} {what} {_DO[found[1]]}"))
        elif (
            word == "به"
            and i + 2 < n
            and toks[i + 1].key == "عمل"
            and gap_is_space(folded, toks[i + 1], toks[i + 2])
        ):
            found = _longest(folded, toks, i + 2, _CAME)
            if found:  # «بازدید به عمل آمد»
                noun = _noun_before(folded, toks, i)
                what = "…" if noun is None else toks[noun].text
                first = i if noun is None else noun
                hits.append(Hit("nominal", first, found[0], f"{WHO} {what} {_DO[found[1]]}"))
    return hits
