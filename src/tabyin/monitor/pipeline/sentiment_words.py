"""The words of a text as the sentiment rules read them: normalised, joined and cut into sentences.

Detached verb prefixes and plural suffixes are joined to their word («نمی شود» → «نمیشود»), a letter
stretched for emphasis is written once («عاااالی»), and a question is found where Persian marks it
(«؟», a leading «آیا», the last clause of «…، مگر نه؟»). Shared by the rule scorer and the trained
model's features, so both read the same words.
"""

from __future__ import annotations

import re

from tabyin.monitor.pipeline.query import match_key

_WORDS = re.compile(r"[^\W_]+")
_SENTENCE = re.compile(r"[.!?؟؛;\n…]+")
_ASKED = re.compile(r"([.!?؟؛;\n…]+)")
_COMMA = re.compile("[،,]")
_REPEATS = re.compile(r"(\w)\1{2,}")
_JOIN_NEXT = frozenset({"می", "نمی", "بی"})
_JOIN_PREVIOUS = frozenset({"ها", "های", "هایی", "تر", "ترین"})


def join_parts(words: list[str]) -> list[str]:
    """Detached verb prefixes and plural/comparative suffixes joined to their word («نمی شود»)."""
    out: list[str] = []
    for word in words:
        if out and (out[-1] in _JOIN_NEXT or word in _JOIN_PREVIOUS):
            out[-1] += word
        else:
            out.append(word)
    return out


def words_of(key: str) -> list[str]:
    words: list[str] = _WORDS.findall(key)
    if _JOIN_NEXT.isdisjoint(words) and _JOIN_PREVIOUS.isdisjoint(words):
        return words
    return join_parts(words)


def key_of(text: str) -> str:
    key = match_key(text.replace("\u200c", ""))
    # «عاااالی», «خیلیییی»: no Persian word has a letter three times in a row.
    return _REPEATS.sub(r"\1", key) if _REPEATS.search(key) else key


def tokens(text: str) -> list[str]:
    """Normalised words: what the lexicon and the trained model look up."""
    return words_of(key_of(text))


def sentences(text: str) -> list[list[str]]:
    return sentences_of(key_of(text))


def sentences_of(key: str) -> list[list[str]]:
    return [words for part in _SENTENCE.split(key) if (words := words_of(part))]


def questions(key: str) -> list[tuple[list[str], int]]:
    """Each sentence's words, and where the question in it starts (its length if it asks
    nothing): a question ends in «؟» or starts with «آیا»; in «…، مگر نه؟» only the last clause asks."""
    parts = _ASKED.split(key)
    out = []
    for i in range(0, len(parts), 2):
        words = words_of(parts[i])
        if words:
            end = parts[i + 1] if i + 1 < len(parts) else ""
            asked = "؟" in end or "?" in end or words[0] == "ایا"
            head = _COMMA.split(parts[i])[:-1] if asked else ()
            out.append((words, len(words_of(" ".join(head))) if asked else len(words)))
    return out
