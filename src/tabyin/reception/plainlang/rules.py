"""The rules that find hidden actors, numbers without units and undefined abbreviations.

Each rule takes the folded text and its tokens and returns ``Hit``s: which tokens (by index), the
rule's kind and the suggested fix, in Persian (the fix is a piece of Persian text, like the text it
replaces). Nothing here needs a parser: the constructions are recognised by their fixed words.
"""

from __future__ import annotations

import re
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


# --- Numbers without a unit -------------------------------------------------------------

UNITS = frozenset(
    [
        "ریال",
        "تومان",
        "درصد",
        "نفر",
        "روز",
        "ماه",
        "سال",
        "ساعت",
        "دقیقه",
        "ثانیه",
        "هفته",
        "بار",
        "مورد",
        "عدد",
        "برابر",
        "متر",
        "کیلومتر",
        "سانتیمتر",
        "کیلوگرم",
        "گرم",
        "تن",
        "لیتر",
        "شعبه",
        "استان",
        "شهر",
        "خانوار",
        "خانواده",
        "فقره",
        "قسط",
        "سالگی",
        "ساله",
        "روزه",
        "ماهه",
        "ساعته",
        "درصدی",
        "نفری",
        "ریالی",
        "تومانی",
        "واحد",
        "دستگاه",
        "کارگاه",
        "کارگر",
        "بیمهشده",
        "مستمریبگیر",
        "بازنشسته",
        "پرونده",
        "نوبت",
        "مرحله",
        "برگ",
        "صفحه",
        "جلد",
        "سهم",
        "امتیاز",
        "رتبه",
        "مدرک",
        "سطر",
        "قلم",
    ]
)
MULTIPLIERS = frozenset(["هزار", "میلیون", "میلیارد", "هزارم", "صد"])
MONTHS = frozenset(
    ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]
)
# A number after these words is a label, a date or a time, not a quantity.
LABELS = frozenset(
    [
        "ماده",
        "بند",
        "تبصره",
        "شماره",
        "سال",
        "تاریخ",
        "مورخ",
        "ردیف",
        "اصل",
        "فصل",
        "صفحه",
        "کد",
        "پلاک",
        "نسخه",
        "قانون",
        "جدول",
        "بخش",
        "ساعت",
        "تلفن",
        "شمارهٔ",
        "کدپستی",
        "مصوب",
        "سامانه",
        "دوره",
    ]
)
_YEAR = re.compile(r"^(1[34]\d\d|19\d\d|20\d\d)$")


def numbers_without_units(folded: str, toks: list[Token]) -> list[Hit]:
    hits: list[Hit] = []
    n = len(toks)
    for i, tok in enumerate(toks):
        if not tok.is_number or not tok.text[-1].isdigit():
            continue  # «۲۰درصد», «۵ام»: the unit or ordinal is written onto the number
        if "/" in tok.text or _YEAR.match(tok.text):
            continue
        if folded[tok.end : tok.end + 3].lstrip(" ")[:1] in ("%", "٪"):
            continue
        if i > 0 and toks[i - 1].key in LABELS and gap_is_space(folded, toks[i - 1], tok):
            continue
        j = i + 1
        while j < n and (toks[j].key in MULTIPLIERS or toks[j].key == "و" or toks[j].is_number):
            if not gap_is_space(folded, toks[j - 1], toks[j]):
                break
            j += 1
        if j < n and gap_is_space(folded, toks[j - 1], toks[j]):
            following = toks[j].key
            if (
                following in UNITS
                or following in MONTHS
                or any(following.startswith(u) for u in UNITS if len(u) > 2)
            ):
                continue
        hits.append(Hit("number", i, j - 1, "ریال، تومان، نفر، روز، درصد…"))
    return hits


# --- Abbreviations not defined in the text ------------------------------------------------

_LATIN_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z][A-Z0-9&]{1,9}(?![A-Za-z])")
_PERSIAN_ACRONYM = re.compile(r"(?<![\u0600-\u06ff])(?:[\u0621-\u064a\u067e-\u06cc]\.){2,}")


@dataclass(frozen=True, slots=True)
class Span:
    kind: str
    start: int
    end: int
    fix: str


def undefined_abbreviations(folded: str) -> list[Span]:
    """The first use of each acronym (Latin capitals «SSO», or Persian letters with dots «ت.ا.»)
    that the text never defines. Defined means written next to its long form in parentheses,
    either way round: «سازمان تأمین اجتماعی (SSO)» or «SSO (سازمان تأمین اجتماعی)»."""
    spans: list[Span] = []
    seen: set[str] = set()
    for pattern in (_LATIN_ACRONYM, _PERSIAN_ACRONYM):
        for m in pattern.finditer(folded):
            acronym = m.group()
            if acronym in seen:
                continue
            seen.add(acronym)
            escaped = re.escape(acronym)
            defined = re.search(rf"\(\s*{escaped}\s*\)|{escaped}\s*\([^)]{{3,}}\)", folded)
            if not defined:
                spans.append(Span("abbreviation", m.start(), m.end(), f"{acronym} (نام کامل)"))
    return spans
