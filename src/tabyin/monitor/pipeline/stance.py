"""Stance of a post towards a claim: agree, disagree (a denial), discuss, or unrelated (pure).

A denial repeats the claim's own words («خبر تاخیر در پرداخت حقوق … تکذیب شد»), so the
near-duplicate index puts it beside the rumor it denies; this step tells the two apart. It is a
small set of rules with hand-set weights, not a model fitted on data (the Persian stance set used to
measure it is non-commercial, so nothing here is derived from it):

1. Relatedness: how much of the claim's content words the post carries (and the reverse), words
   compared after folding spelling (ی/ي, ک/ك, hamza, ZWNJ), dropping plural/ezafe endings and the
   negation prefix, so «جدا نمی‌شود» still carries «جدا می‌شود». Character 4-grams back the word
   count up for compounds written apart or together. Below :data:`RELATED` the post is unrelated.
2. Disagree: a denial cue the claim itself does not have («تکذیب شد», «دروغ است», «شایعه است»,
   «صحت ندارد», «کذب محض», «واقعیت ندارد», «… نادرست است», «بی‌اساس», fact-check verdicts), or a
   verb the claim states that the post negates (می‌شود → نمی‌شود, است → نیست).
3. Discuss: a question or hedge («آیا», «؟», «ماجرای», «واکنش», «توضیحات»).
4. Otherwise agree when most of the claim is carried (:data:`AGREE`), discuss when only part is.

The score is a confidence in [0.5, 1): how far the deciding figure is from its threshold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import ahocorasick  # ships no type stubs (ignored in pyproject)

from tabyin.core.persian_text import normalize

__all__ = [
    "RELATED",
    "Stance",
    "StanceResult",
    "classify",
    "content_words",
    "denial_cues",
    "is_denial",
    "relatedness",
]


class Stance(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    DISCUSS = "discuss"
    UNRELATED = "unrelated"


@dataclass(frozen=True, slots=True)
class StanceResult:
    label: Stance
    score: float
    related: float
    cues: tuple[str, ...] = ()


# Share of the claim's content (the larger of the word and 4-gram measures) a post must carry to be
# about the claim, and to repeat it rather than only touch on it.
RELATED: Final = 0.34
AGREE: Final = 0.6

_FOLDS: Final = str.maketrans(
    {
        "\u0622": "\u0627",  # آ
        "\u0623": "\u0627",  # أ
        "\u0625": "\u0627",  # إ
        "\u0624": "\u0648",  # ؤ
        "\u0626": "\u06cc",  # ئ
        "\u0621": None,  # ء
        "\u0629": "\u0647",  # ة
        "\u06c0": "\u0647",  # ۀ
        "\u200c": " ",  # ZWNJ: words written apart or joined read alike
        "\u064b": None,
        "\u064c": None,
        "\u064d": None,
        "\u064e": None,
        "\u064f": None,
        "\u0650": None,
        "\u0651": None,
        "\u0652": None,
    }
)


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_WORD: Final = re.compile(r"[^\W_]+")
_VERB_PREFIXES: Final = frozenset({"می", "نمی"})

# Function words: they carry no claim. The verdict and cue words below are left out of the overlap
# too, so that «… دروغ است» is measured on the claim's own words.
_STOP: Final = _set(
    """
    و در به از که این آن را با برای تا یا هم بر ای یک ها های اش شان ما من تو او ایشان انها اینها
    است هست نیست بود نبود شد شده نشد شود نشود میشود نمیشود باشد نباشد کرد کرده کند میکند نمیکند
    خواهد نخواهد دارد ندارد داشت نداشت گفت گفته اند ان بین پس پیش روی زیر سر نیز اما ولی اگر چون
    چه چرا ایا هر همه دیگر خود خیلی فقط حتی بی جز طی توسط درباره خصوص مورد عنوان پیرامون
    خبر اخبار عکس فیلم ویدئو ویدیو تصاویر تصویر فوری شایعه شایعات
    """
)
_DENIAL_WORDS: Final = _set("تکذیب تکذیبیه دروغ کذب صحت واقعیت حقیقت جعلی ساختگی نادرست اساس واهی فیک شایعه")

# Denials as phrases over the folded text (words kept apart by one space). Each names itself.
_DENIALS: Final = {
    "تکذیب": r"تکذیب",
    "دروغ": r"دروغ(?: است| بود| محض| میگوید| گفت|ین)?",
    "کذب": r"کذب(?: محض| است)?",
    "صحت ندارد": r"صحت ندار|صحت نداشت|فاقد صحت|عاری از صحت",
    "واقعیت ندارد": r"واقعیت ندار|واقعیت نداشت|حقیقت ندار|حقیقت نداشت|فاقد واقعیت|غیر ?واقعی",
    "شایعه است": r"شایعه (?:است|بود|ای بیش نیست|بیش نیست)|شایعه ای بیش|صرفا شایعه|فقط یک شایعه",
    "نادرست": r"نادرست(?: است)?|درست نیست|صحیح نیست",
    "جعلی": r"جعلی(?: است)?|ساختگی|فتوشاپ|فیک",
    "بی اساس": r"بی ?اساس|بی ?پایه|اساسی ندارد|واهی|پوچ",
    "رد شد": r"(?:ادعا|خبر|شایعه)[^.؟?!]{0,80} رد (?:شد|کرد)",
    "راستی ازمایی": r"راستی ?ازمایی[^.؟?!]{0,40}(?:نادرست|غلط|گمراه)",
}
_DENIAL_RE: Final = {name: re.compile(rf"(?:^| )(?:{pattern})") for name, pattern in _DENIALS.items()}
_ANY_DENIAL: Final = re.compile("(?:^| )(?:" + "|".join(f"(?:{p})" for p in _DENIALS.values()) + ")")
# Questions and hedges: the post talks about the claim without taking a side.
_DISCUSS_RE: Final = re.compile(
    r"[؟?]|(?:^| )(?:ایا|چرا|چگونه|چیست|چقدر|ماجرای|ماجرا|واکنش|توضیح|توضیحات|پاسخ|ادعای|ادعا|"
    r"بررسی|احتمال|ممکن|شاید|گویا|ظاهرا|درباره|واقعیت|حقیقت|پشت پرده|جزئیات|شایعه|شایعات|ابهام)(?: |$)"
)
# Negated verbs and auxiliaries a denial closes with («… تصویب نکرده است», «… نبوده است»); words
# starting with «ن» are too many to take the prefix alone as a negation.
_NEGATED: Final = _set(
    """
    نیست نیستند نیستیم نبود نبودند نبوده ندارد ندارند نداشت نداشته نداشتند نشد نشده نشدند نشود
    نکرد نکرده نکردند نکند نگفت نگفته نگفتند نداده ندادند نخواهد نخواهند نمیشود نمیشوند نمیکند
    """
)
_ENDINGS: Final = ("هایی", "های", "ها", "ترین", "تر", "یی", "ی", "ان", "ات")


def _fold(text: str) -> str:
    return normalize(text).casefold().translate(_FOLDS)


def _tokens(folded: str) -> list[str]:
    words = _WORD.findall(folded)
    out: list[str] = []
    for word in words:
        if out and out[-1] in _VERB_PREFIXES:
            out[-1] += word
        else:
            out.append(word)
    return out


def _stem(word: str) -> str:
    """The word without negation prefix and plural/ezafe/comparative ending (never below 3 letters)."""
    if word.startswith("نمی") and len(word) > 4:
        word = word[1:]
    if word.startswith("می") and len(word) > 4:
        word = word[2:]
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _content(tokens: Iterable[str]) -> list[str]:
    return [_stem(t) for t in tokens if t not in _STOP and t not in _DENIAL_WORDS and len(t) > 1]


def _grams(words: Iterable[str]) -> set[str]:
    joined = "".join(words)
    return {joined[i : i + 4] for i in range(len(joined) - 3)}


def _carried(words: list[str], other: set[str]) -> float:
    if not words:
        return 0.0
    # A shared start of four letters or more counts: «جدایی»/«جدا», «فیلترینگ»/«فیلتر».
    long = [o for o in other if len(o) >= 4]
    hits = 0
    for word in words:
        if word in other or (len(word) >= 4 and any(o.startswith(word) or word.startswith(o) for o in long)):
            hits += 1
    return hits / len(words)


def content_words(text: str) -> frozenset[str]:
    """The text's content words as the rules compare them (folded, stemmed, no function words)."""
    return frozenset(_content(_tokens(_fold(text))))


def relatedness(claim: str, text: str) -> float:
    """Share of the claim's content carried by the text (the larger of words and 4-grams)."""
    return _related(_content(_tokens(_fold(claim))), _content(_tokens(_fold(text))))


def _related(claim_words: list[str], text_words: list[str]) -> float:
    if not claim_words or not text_words:
        return 0.0
    words = max(_carried(claim_words, set(text_words)), 0.8 * _carried(text_words, set(claim_words)))
    claim_grams, text_grams = _grams(claim_words), _grams(text_words)
    grams = len(claim_grams & text_grams) / len(claim_grams) if claim_grams else 0.0
    return max(words, grams)


def denial_cues(text: str) -> list[str]:
    """The denial cues of a text (names of :data:`_DENIALS`), in their declared order."""
    folded = " ".join(_tokens(_fold(text)))
    return [name for name, pattern in _DENIAL_RE.items() if pattern.search(folded)]


# Words one of which every denial cue needs, in either keyboard's kaf and yeh: one Aho-Corasick pass
# over the raw text answers "no" for nearly every post (ingestion asks each new one, tens of
# thousands a second), and only the rest are folded and matched against the cues.
# "‌" (ZWNJ) in a needle stands for a ZWNJ, a space or nothing.
_NEEDLES: Final = (
    "تکذیب دروغ کذب صحت واقعیت‌ندار واقعیت‌نداشت حقیقت‌ندار حقیقت‌نداشت فاقد‌واقعیت غیر‌واقعی شایعه شائعه"
    " نادرست درست‌نیست صحیح‌نیست جعلی ساختگی فتوشاپ ‌فیک بی‌اساس اساسی‌ندارد بی‌پایه واهی پوچ"
    " راستی‌آزمایی راستی‌ازمایی"
)
_VARIANTS: Final = {"\u06a9": "\u06a9\u0643", "\u06cc": "\u06cc\u064a\u0649"}


def _spellings(word: str) -> list[str]:
    found = [""]
    for char in word:
        found = [head + variant for head in found for variant in _VARIANTS.get(char, char)]
    return found


def _automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    words = [w.replace("\u200c", joint) for w in _NEEDLES.split() for joint in ("\u200c", " ", "")]
    words += [f"{before}رد{after}" for before in " \n" for after in " \n\u200c"]
    for word in words:
        for spelling in _spellings(word):
            automaton.add_word(spelling, spelling)
    automaton.make_automaton()
    return automaton


_MAY_DENY: Final = _automaton()


def is_denial(text: str) -> bool:
    """Whether the text has any denial cue: the cheap test ingestion runs before a full stance."""
    if next(_MAY_DENY.iter(" " + text), None) is None:
        return False
    return _ANY_DENIAL.search(" ".join(_tokens(_fold(text)))) is not None


def _negated_verbs(claim_tokens: list[str], text_tokens: list[str]) -> bool:
    """The text negates what the claim states: «جدا می‌شود» → «جدا نمی‌شود», or a closing «نیست»."""
    claim_set = set(claim_tokens)
    if claim_set & _NEGATED or any(t.startswith("نمی") for t in claim_tokens):
        return False
    return any(t in _NEGATED or (t.startswith("نمی") and t[1:] in claim_set) for t in text_tokens)


def _confidence(distance: float) -> float:
    return round(min(0.99, 0.5 + abs(distance)), 3)


def classify(claim: str, text: str) -> StanceResult:
    """The stance of ``text`` towards ``claim`` (see the module docstring for the rules)."""
    claim_tokens, text_tokens = _tokens(_fold(claim)), _tokens(_fold(text))
    related = _related(_content(claim_tokens), _content(text_tokens))
    if related < RELATED:
        return StanceResult(Stance.UNRELATED, _confidence(RELATED - related), related)
    folded_text, folded_claim = " ".join(text_tokens), " ".join(claim_tokens)
    claim_cues = {n for n, p in _DENIAL_RE.items() if p.search(folded_claim)}
    cues = tuple(n for n, p in _DENIAL_RE.items() if n not in claim_cues and p.search(folded_text))
    if cues or _negated_verbs(claim_tokens, text_tokens):
        return StanceResult(Stance.DISAGREE, _confidence(0.2 + 0.1 * len(cues)), related, cues)
    if _DISCUSS_RE.search(folded_text) and not _DISCUSS_RE.search(folded_claim):
        return StanceResult(Stance.DISCUSS, _confidence(0.2), related)
    if related >= AGREE:
        return StanceResult(Stance.AGREE, _confidence(related - AGREE), related)
    return StanceResult(Stance.DISCUSS, _confidence(min(related - RELATED, AGREE - related)), related)
