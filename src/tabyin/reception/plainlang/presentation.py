"""What a person reads about a report: the translated names of the finding kinds and bands, the
messages for a refused text, and the text cut into plain and marked pieces for the page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tabyin.core.templatetags.persian import number
from tabyin.reception.plainlang.checker import MAX_CHARACTERS, Finding, Kind, Problem
from tabyin.reception.plainlang.readability import Band

KIND_LABELS: dict[Kind, Promise] = {
    Kind.LONG_SENTENCE: _("Long sentence"),
    Kind.PASSIVE: _("Passive: who does it?"),
    Kind.NOMINAL: _("Action hidden in a noun"),
    Kind.JARGON: _("Office word"),
    Kind.NUMBER: _("Number without a unit"),
    Kind.ABBREVIATION: _("Abbreviation not explained"),
}
KIND_ADVICE: dict[Kind, Promise] = {
    Kind.LONG_SENTENCE: _("Split it: one idea per sentence."),
    Kind.PASSIVE: _("Say who acts: the organization, the branch, the applicant."),
    Kind.NOMINAL: _("Use the verb and say who acts."),
    Kind.JARGON: _("Use the plainer word."),
    Kind.NUMBER: _("Say what the number counts."),
    Kind.ABBREVIATION: _("Write the full name at its first use, with the abbreviation in brackets."),
}
BAND_LABELS: dict[Band, Promise] = {
    Band.EASY: _("easy to read"),
    Band.MEDIUM: _("fairly hard to read"),
    Band.HARD: _("hard to read"),
}


def problem_message(problem: Problem, *, length: int = 0) -> str:
    """Why a text was not checked, in the page's language; ``length`` is the text's length."""
    if problem == Problem.EMPTY:
        return str(_("Paste the text to check: the box is empty."))
    if problem == Problem.NOT_PERSIAN:
        return str(
            _(
                "This checker reads Persian text; this text has no Persian words or is mostly in Latin "
                "letters."
            )
        )
    return str(
        _(
            "The text has %(length)s characters; the checker takes at most %(max)s (about 25 pages). "
            "Check it one part at a time: your text is still in the box."
        )
        % {"length": number(length), "max": number(MAX_CHARACTERS)}
    )


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    finding: int = 0  # 1-based number in the findings list; 0 for unmarked text
    kind: str = ""
    label: str = ""


def pieces(text: str, findings: tuple[Finding, ...]) -> list[Piece]:
    """The text in order, with each word-level finding marked once. Long sentences are listed,
    not marked (they would cover everything else); where two findings overlap, the first is
    marked and the second is still in the list."""
    out: list[Piece] = []
    position = 0
    for n, f in enumerate(findings, start=1):
        if f.kind == Kind.LONG_SENTENCE or f.start < position:
            continue
        if f.start > position:
            out.append(Piece(text[position : f.start]))
        out.append(Piece(text[f.start : f.end], n, f.kind.value, str(KIND_LABELS[f.kind])))
        position = f.end
    if position < len(text):
        out.append(Piece(text[position:]))
    return out
