"""Per-process memory of what every public answer reads and almost never changes: the provinces
(for the form's list and the answer's province) and a poll's questions. Without it an answer paid
three reads before its two writes (issue 17: 1,000 answers a second on embedded SQLite).

- Provinces are seeded reference data; they are read again after ``PROVINCE_SECONDS`` so a province
  an administrator deactivates leaves the list within minutes in every process.
- A poll's questions never change once the poll is created (no service edits them), so they are
  kept under the poll's id *and* creation time: a new poll that reuses an id (a database emptied and
  filled again) cannot meet an old poll's questions. The poll row itself, with its state, is read on
  every answer, so closing a poll refuses the next answer at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from tabyin.core import selectors as core_selectors
from tabyin.reception.polls.models import Poll, Question

PROVINCE_SECONDS: Final = 300.0
MAX_POLLS: Final = 512  # more polls than are ever open at once; past it the memory starts again


@dataclass(frozen=True)
class Province:
    pk: int
    iso_code: str
    name_fa: str
    name_en: str


_lock = threading.Lock()
_provinces: dict[str, tuple[float, dict[str, Province]]] = {}  # one entry, "all", when read
_questions: dict[tuple[int, datetime], tuple[Question, ...]] = {}


def provinces() -> dict[str, Province]:
    """Every active province by its ISO code, in code order (as ``core.selectors.provinces``)."""
    kept = _provinces.get("all")
    now = time.monotonic()
    if kept is not None and now - kept[0] < PROVINCE_SECONDS:
        return kept[1]
    rows = core_selectors.provinces().values_list("pk", "iso_code", "name_fa", "name_en")
    mapping = {iso: Province(pk, iso, fa, en) for pk, iso, fa, en in rows}
    _provinces["all"] = (now, mapping)
    return mapping


def questions(poll: Poll) -> tuple[Question, ...]:
    """The poll's questions in order, read once per process."""
    key = (poll.pk, poll.created_at)
    kept = _questions.get(key)
    if kept is None:
        kept = tuple(Question.objects.filter(poll_id=poll.pk).order_by("order"))
        with _lock:
            if len(_questions) >= MAX_POLLS:
                _questions.clear()
            _questions[key] = kept
    return kept


def forget() -> None:
    """Drop everything (tests, whose rolled-back databases reuse ids)."""
    with _lock:
        _provinces.clear()
        _questions.clear()
