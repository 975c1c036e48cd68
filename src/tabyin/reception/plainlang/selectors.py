"""Reads for the plain-language checker: the list in use and ``check_text``."""

from __future__ import annotations

from tabyin.reception.plainlang.checker import Report, analyze
from tabyin.reception.plainlang.jargon import Entry, Lexicon, lexicon_for
from tabyin.reception.plainlang.models import JargonEntry


def jargon_lexicon() -> Lexicon:
    """The active entries, in list order. One query; the index is rebuilt only when the list's
    content changed (``lexicon_for`` is cached on the entries themselves)."""
    rows = JargonEntry.objects.filter(active=True).order_by("number").values_list("term", "plain", "note")
    return lexicon_for(tuple(Entry(term, plain, note) for term, plain, note in rows))


def check_text(text: str) -> Report:
    """Check one text against the rules and the staff-kept list. Raises
    ``checker.TextRejectedError`` when there is nothing to check (empty, not Persian, too long).
    Nothing is stored: the text stays with the person who pasted it."""
    return analyze(text, jargon_lexicon())
