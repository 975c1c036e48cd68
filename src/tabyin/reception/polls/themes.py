"""Open answers grouped into simple themes by word overlap (pure code over core's normalizer).

Method: each answer is normalized with ``core.persian_text.normalize`` (Arabic ی/ک, digits, ZWNJ,
diacritics), folded with ``search_key`` per word (hamza, madda, teh marbuta, ZWNJ), split into
words; words of one letter, digits and a short list of Persian function words are dropped, and a
plural «ها»/«های» ending is cut. Answers are then read oldest first: an answer joins the first
theme whose seed (the theme's first answer) shares at least half of the smaller word set and at
least one word; otherwise it seeds a new theme. A theme is labelled by its three most frequent
words. Answers with no content word go to no theme and are counted apart.

Limits: no synonyms (تأخیر and دیرکرد are different words), no stemming beyond the plural ending,
no word order or negation (پرداخت شد / پرداخت نشد share «پرداخت»), and the result depends on which
answer came first. It is a reading aid for a few hundred answers, not a topic model: staff read the
examples before they trust a theme.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Final

from tabyin.core.persian_text import normalize, search_key

# Function words that say nothing about a theme (folded like the answers' words).
_STOPWORDS_TEXT: Final = """
و در به از که این آن با برای را تا یا هم اما اگر چه چرا کی کجا چطور است هست بود شد شود می نمی
من ما شما او آنها ایشان خود یک هر همه هیچ نه بله خیلی بسیار کمی دیگر باید نیز ولی پس چون روی زیر
بر بی درباره مثل مانند چیزی کسی اینکه آیا ها های the a an of to and is it
"""
STOPWORDS: Final = frozenset(search_key(word) for word in _STOPWORDS_TEXT.split())
# A ZWNJ is part of a word (مستمری‌ها is one word, not مستمری and ها).
_WORD: Final = re.compile(r"[\w\u200c]+")
_PLURAL: Final = ("های", "ها")


def words(text: str) -> frozenset[str]:
    found = set()
    for raw in _WORD.findall(normalize(text)):
        word = search_key(raw)
        for ending in _PLURAL:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                word = word[: -len(ending)]
                break
        if len(word) >= 2 and not word.isdigit() and word not in STOPWORDS:
            found.add(word)
    return frozenset(found)


@dataclass
class Theme:
    seed: frozenset[str]
    answers: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def label(self) -> list[str]:
        # Ties broken by the word itself, so the label does not depend on set order.
        return [w for w, _n in sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]


def _joins(answer: frozenset[str], seed: frozenset[str]) -> bool:
    shared = len(answer & seed)
    return shared >= 1 and 2 * shared >= min(len(answer), len(seed))


def group(texts: list[str]) -> tuple[list[Theme], int]:
    """Themes, largest first (ties: first seen), and how many answers had no content word."""
    themes: list[Theme] = []
    empty = 0
    for text in texts:
        found = words(text)
        if not found:
            empty += 1
            continue
        theme = next((t for t in themes if _joins(found, t.seed)), None)
        if theme is None:
            theme = Theme(seed=found)
            themes.append(theme)
        theme.answers.append(text)
        theme.counts.update(found)
    ordered = sorted(enumerate(themes), key=lambda it: (-len(it[1].answers), it[0]))
    return [t for _i, t in ordered], empty
