"""The values the jury's arithmetic works on: plain frozen dataclasses, no Django."""

from __future__ import annotations

from dataclasses import dataclass

from tabyin.core.persian_text import digits_to_persian


class JuryError(ValueError):
    """Bad jury input, with a message in Persian first (Persian digits) and English second."""

    def __init__(self, persian: str, english: str) -> None:
        persian = digits_to_persian(persian)
        super().__init__(f"{persian} ({english})")
        self.persian = persian
        self.english = english


@dataclass(frozen=True, slots=True)
class Juror:
    id: str
    province: str
    unit: str
    conflicts: frozenset[str] = frozenset()  # entry ids the juror declared a conflict with


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    province: str
    unit: str
    author_id: str


@dataclass(frozen=True, slots=True)
class Score:
    juror_id: str
    entry_id: str
    criterion: str
    value: float


@dataclass(frozen=True, slots=True)
class Criterion:
    key: str
    weight: float
    max_value: float


@dataclass(frozen=True, slots=True)
class Comparison:
    """One pairwise judgement: a juror preferred ``winner`` to ``loser`` (no draws)."""

    winner: str
    loser: str
