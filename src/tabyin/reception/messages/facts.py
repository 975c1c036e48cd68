"""The essential facts of a Persian sentence: numbers (with their unit), dates and who is eligible.

Pure Python (no Django): the fidelity check, its benchmark and the key-message form all read facts
through :func:`extract`. Text goes through core's one normaliser first (Persian/Arabic digits to
ASCII, Arabic ي/ك folded), so «۳ میلیون», «3 میلیون» and «٣ ميليون» are one fact.

A fact has a ``kind`` and a comparable ``value``:

* ``number``: the amount with its multiplier applied («۳ میلیون تومان» → 3000000) and a unit class
  (``percent``, ``money``, ``count``, ``time`` or ``""``), so a percentage is only ever compared with a
  percentage. Digits of a date are not numbers.
* ``date``: Jalali (year or None, month, day or None) from «۱۴۰۵/۰۱/۱۵», «۱۵ فروردین ۱۴۰۵» or
  «فروردین ۱۴۰۵»; a year alone («سال ۱۴۰۵») is a date with month 0.
* ``scope``: the eligibility quantifier: ``only`` («فقط»، «تنها»، «صرفاً»), ``all`` («همه»، «تمام»،
  «کلیه»، «همگی»), ``covered``/``not_covered`` («مشمول» / «غیرمشمول»، «مشمول … نمی‌شوند»).
* ``negation``: a negated verb («نمی‌شود»، «نیست»، «ندارد»، «نخواهد»…), valued by its positive form.

Limits (written down because they decide what the check can see): number words («سه میلیون») are
read for one to ten, hundred and the multipliers only; a negation is recognised by the verb's
written prefix on a closed list of frequent verbs, so «ممنوع است» is not a negation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from tabyin.core.persian_text import normalize

Kind = Literal["number", "date", "scope", "negation"]

MONTHS: Final = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
_MONTH_ALT: Final = {"امرداد": 8, "ارديبهشت": 2}
MULTIPLIERS: Final = {"هزار": 1_000, "میلیون": 1_000_000, "میلیارد": 1_000_000_000, "همت": 10**12}
_WORD_NUMBERS: Final = {
    "یک": 1,
    "دو": 2,
    "سه": 3,
    "چهار": 4,
    "پنج": 5,
    "شش": 6,
    "هفت": 7,
    "هشت": 8,
    "نه": 9,
    "ده": 10,
    "صد": 100,
}
_UNITS: Final = {
    "percent": ("درصد", "%", "٪"),
    "money": ("تومان", "ریال", "دلار", "یورو"),
    "count": ("نفر", "مستمری‌بگیر", "بیمه‌شده", "خانوار", "کارگر", "بازنشسته", "مورد", "هزارنفر"),
    "time": ("روز", "ماه", "سال", "ساعت", "هفته", "دقیقه"),
}
SCOPE_WORDS: Final = {
    "only": ("فقط", "تنها", "صرفا", "صرفاً", "منحصرا", "منحصراً"),
    "all": ("همه", "همه‌ی", "همهٔ", "تمام", "تمامی", "کلیه", "کلیه‌ی", "همگی", "هرگونه"),
}
# Negated verb forms (written prefix «ن»/«نمی»): a closed list of stems frequent in the
# organization's announcements and in news; «نه» alone is left out (it is also the number nine).
_NEG_STEMS: Final = (
    "می",
    "یست",
    "دار",
    "خواه",
    "شد",
    "شو",
    "کرد",
    "کن",
    "باید",
    "بود",
    "داد",
    "ده",
    "گیر",
    "گرفت",
    "یاب",
    "یافت",
    "رس",
    "رسید",
    "توان",
    "تواند",
    "دارد",
)
_NEG: Final = re.compile(
    r"(?<![\w\u200c])ن(?:" + "|".join(sorted(_NEG_STEMS, key=len, reverse=True)) + r")[\w\u200c]*"
)
_NUMBER: Final = re.compile(r"(?<![\d/.])(\d{1,3}(?:[,٬]\d{3})+|\d+(?:[.٫]\d+)?)(?![\d/])")
_DATE_SLASH: Final = re.compile(r"(?<!\d)(1[34]\d\d|\d\d)[/\-.](\d{1,2})[/\-.](\d{1,2})(?!\d)")
_MONTH_RE: Final = "|".join(sorted((*MONTHS, *_MONTH_ALT), key=len, reverse=True))
_DATE_WORDS: Final = re.compile(
    rf"(?:(\d{{1,2}})\s*(?:ام\s*)?)?(?<![\w])({_MONTH_RE})(?![\w\u200c])(?:\s*(?:ماه\s*)?(?:سال\s*)?(1[34]\d\d))?"
)
_YEAR: Final = re.compile(r"(?:سال\s+)(1[34]\d\d)(?!\d)")
_WORD: Final = re.compile(r"[\w\u200c]+")


@dataclass(frozen=True)
class Fact:
    kind: Kind
    value: str  # comparable: "3000000|money", "1405-01-15", "only", "neg"
    text: str  # the words in the sentence that carry it (for display, marked)
    start: int = 0
    end: int = 0

    @property
    def unit(self) -> str:
        return self.value.split("|", 1)[1] if self.kind == "number" else self.kind

    def same_slot(self, other: Fact) -> bool:
        """Two facts that answer the same question (which amount? which date? who?)."""
        if self.kind != other.kind:
            return False
        if self.kind == "number":
            return self.unit == other.unit
        if self.kind == "date":
            return (self.value.count("-") > 0) == (other.value.count("-") > 0)
        return True


_NOISE: Final = re.compile(r"https?://\S+|www\.\S+|[@#][\w\u200c]+")


def prepare(text: str) -> str:
    """Core's normalisation with links, @handles and #hashtags removed (the digits of
    ``t.co/82mGB6`` are no fact). Idempotent, so every offset of a fact is into ``prepare(text)``
    however many times a caller prepared it."""
    return normalize(_NOISE.sub(" ", normalize(text)))


def _unit_after(text: str, end: int) -> tuple[str, int]:
    rest = text[end : end + 24].lstrip()
    offset = end + (len(text[end : end + 24]) - len(rest))
    for unit, words in _UNITS.items():
        for word in words:
            if rest.startswith(word):
                return unit, offset + len(word)
    return "", end


def _numbers(text: str, taken: list[tuple[int, int]]) -> list[Fact]:
    found: list[Fact] = []
    for match in _NUMBER.finditer(text):
        if any(a <= match.start() < b for a, b in taken):
            continue
        raw = match.group(1).replace(",", "").replace("٬", "").replace("٫", ".")
        value = float(raw)
        end = match.end()
        rest = text[end:].lstrip()
        for word, factor in MULTIPLIERS.items():
            if rest.startswith(word):
                value *= factor
                end = end + (len(text[end:]) - len(rest)) + len(word)
                break
        unit, end2 = _unit_after(text, end)
        if text[match.start() - 1 : match.start()] in ("%", "٪"):
            unit = "percent"
        found.append(_number_fact(value, unit, text, match.start(), max(end, end2)))
    for match in _WORD.finditer(text):
        word = match.group(0)
        if word not in _WORD_NUMBERS or any(a <= match.start() < b for a, b in taken):
            continue
        rest = text[match.end() :].lstrip()
        factor = next((f for w, f in MULTIPLIERS.items() if rest.startswith(w)), 0)
        if not factor and word != "صد":
            continue  # «دو» or «نه» alone are too often not numbers
        end = match.end() + (len(text[match.end() :]) - len(rest))
        end += next((len(w) for w, f in MULTIPLIERS.items() if rest.startswith(w)), 0)
        unit, end2 = _unit_after(text, end)
        value = _WORD_NUMBERS[word] * max(factor, 1)
        found.append(_number_fact(float(value), unit, text, match.start(), max(end, end2)))
    return found


def _number_fact(value: float, unit: str, text: str, start: int, end: int) -> Fact:
    shown = f"{value:.6f}".rstrip("0").rstrip(".")
    return Fact("number", f"{shown}|{unit}", text[start:end].strip(), start, end)


def _dates(text: str) -> tuple[list[Fact], list[tuple[int, int]]]:
    found: list[Fact] = []
    taken: list[tuple[int, int]] = []
    for match in _DATE_SLASH.finditer(text):
        year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        year = year + 1400 if year < 100 else year
        found.append(Fact("date", f"{year}-{month:02d}-{day:02d}", match.group(0), *match.span()))
        taken.append(match.span())
    for match in _DATE_WORDS.finditer(text):
        if any(a <= match.start() < b for a, b in taken):
            continue
        name = match.group(2)
        month = _MONTH_ALT.get(name) or MONTHS.index(name) + 1
        day_text, year_text = match.group(1) or "0", match.group(3) or "0"
        if name == "دی" and not match.group(1) and not match.group(3):
            continue  # «دی» alone is also the word "yesterday" in older prose
        found.append(
            Fact(
                "date", f"{year_text}-{month:02d}-{int(day_text):02d}", match.group(0).strip(), *match.span()
            )
        )
        taken.append(match.span())
    for match in _YEAR.finditer(text):
        if any(a <= match.start(1) < b for a, b in taken):
            continue
        found.append(Fact("date", f"{match.group(1)}-00-00", match.group(0), *match.span()))
        taken.append(match.span())
    return found, taken


def _scope(text: str) -> list[Fact]:
    found: list[Fact] = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        for value, words in SCOPE_WORDS.items():
            if word in words:
                found.append(Fact("scope", value, word, *match.span()))
        if word.startswith(("غیرمشمول", "غیر‌مشمول")):
            found.append(Fact("scope", "not_covered", word, *match.span()))
        elif word.startswith("مشمول"):
            found.append(Fact("scope", "covered", word, *match.span()))
    return found


def positive(negated: str) -> str:
    """The verb without its negation: «نمی‌شود» → «می‌شود», «نیست» → «است», «ندارد» → «دارد»."""
    return "است" if negated.startswith("نیست") else negated[1:]


def _negations(text: str) -> list[Fact]:
    # The value is the verb's positive form, so a post's «پرداخت می‌شود» meets a message's
    # «پرداخت نمی‌شود» (a reversal) and another negated verb does not.
    return [Fact("negation", positive(m.group(0)), m.group(0), *m.span()) for m in _NEG.finditer(text)]


def extract(text: str) -> list[Fact]:
    """Every fact of ``text`` in reading order; offsets are into :func:`prepare`'d text."""
    clean = prepare(text)
    dates, taken = _dates(clean)
    facts = [*dates, *_numbers(clean, taken), *_scope(clean), *_negations(clean)]
    return sorted(facts, key=lambda f: (f.start, f.kind))


def essential(facts: list[Fact]) -> list[Fact]:
    """The facts a key message is checked on: one per distinct value (a repeated number once)."""
    seen: set[tuple[str, str]] = set()
    kept: list[Fact] = []
    for fact in facts:
        if (fact.kind, fact.value) not in seen:
            seen.add((fact.kind, fact.value))
            kept.append(fact)
    return kept
