"""The rules that find facts a reader cannot use: numbers without units and abbreviations the
text never explains (see ``rules`` for the hidden-actor rules)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tabyin.reception.plainlang.rules import Hit
from tabyin.reception.plainlang.text import Token, gap_is_space

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
