"""The final order, and the Bradley-Terry option for pairwise comparisons.

The published tie rule (``TIE_RULE``), applied in this order until two entries differ:
1. higher score (the normalized score, already rounded to ``normalize.DECIMALS`` places);
2. higher median of the raw rubric totals (before normalization, rounded the same way);
3. more jurors who scored the entry;
4. earlier submission;
5. the entry id (ascending), which never ties: every position is distinct.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import choix
import numpy as np

from tabyin.ideas.jury.normalize import DECIMALS, rubric_totals
from tabyin.ideas.jury.types import Comparison, Criterion, JuryError, Score

TIE_RULE = ("score", "median_raw", "n_jurors", "submitted_at", "entry_id")

# The Bradley-Terry maximum-likelihood strengths exist only when the comparison graph is strongly
# connected (every split of the entries has a win each way). Otherwise this many virtual wins and
# virtual comparisons per entry (choix's MAP: a Gamma prior on each strength, on the scale where
# the strengths average 1) keep an undefeated entry finite.
BT_PRIOR_WHEN_DISCONNECTED = 0.1


class RankingError(JuryError):
    """A ranking that cannot be computed from the given input."""


@dataclass(frozen=True, slots=True)
class TieBreak:
    median_raw: float
    n_jurors: int
    submitted_at: datetime  # timezone-aware


@dataclass(frozen=True, slots=True)
class RankedEntry:
    position: int
    entry_id: str
    score: float
    median_raw: float
    n_jurors: int
    submitted_at: datetime
    decided_by: str  # the TIE_RULE step that put it below the entry before it ("" for the first)


def tie_breaks(
    scores: Iterable[Score], criteria: Sequence[Criterion], submitted_at: Mapping[str, datetime]
) -> dict[str, TieBreak]:
    """Entry id → what the tie rule needs, from the same scores the ranking uses."""
    return tie_breaks_from_totals(rubric_totals(scores, criteria), submitted_at)


def tie_breaks_from_totals(
    totals: Mapping[tuple[str, str], float], submitted_at: Mapping[str, datetime]
) -> dict[str, TieBreak]:
    """As :func:`tie_breaks`, from rubric totals already computed."""
    raw: defaultdict[str, list[float]] = defaultdict(list)
    for (_juror_id, entry_id), total in totals.items():
        raw[entry_id].append(total)
    missing = sorted(set(raw) - set(submitted_at))
    if missing:
        raise RankingError(
            f"زمان ارسال این ورودی‌ها معلوم نیست: {'، '.join(missing)}",
            f"no submission time for entries: {', '.join(missing)}",
        )
    return {
        entry_id: TieBreak(
            round(statistics.median(raw[entry_id]), DECIMALS),
            len(raw[entry_id]),
            submitted_at[entry_id],
        )
        for entry_id in sorted(raw)
    }


def rank(entry_scores: Mapping[str, float], tie_break: Mapping[str, TieBreak]) -> list[RankedEntry]:
    """Every scored entry in its final place (1, 2, 3, … with no shared place)."""
    missing = sorted(set(entry_scores) - set(tie_break))
    if missing:
        raise RankingError(
            f"دادهٔ قاعدهٔ تساوی برای این ورودی‌ها نیست: {'، '.join(missing)}",
            f"no tie-break data for entries: {', '.join(missing)}",
        )
    if any(tie_break[e].submitted_at.utcoffset() is None for e in entry_scores):
        raise RankingError("زمان ارسال باید منطقهٔ زمانی داشته باشد", "submission times must be aware")

    def key(entry_id: str) -> tuple[float, float, int, datetime, str]:
        t = tie_break[entry_id]
        return (-entry_scores[entry_id], -t.median_raw, -t.n_jurors, t.submitted_at, entry_id)

    ranked = []
    previous: tuple[float, float, int, datetime, str] | None = None
    for position, entry_id in enumerate(sorted(entry_scores, key=key), start=1):
        current = key(entry_id)
        decided_by = ""
        if previous is not None:
            decided_by = next(name for name, a, b in zip(TIE_RULE, previous, current, strict=True) if a != b)
        t = tie_break[entry_id]
        ranked.append(
            RankedEntry(
                position,
                entry_id,
                entry_scores[entry_id],
                t.median_raw,
                t.n_jurors,
                t.submitted_at,
                decided_by,
            )
        )
        previous = current
    return ranked


def bradley_terry(comparisons: Iterable[Comparison]) -> dict[str, float]:
    """Entry id → Bradley-Terry log-strength θ (mean zero): P(a preferred to b) =
    1 / (1 + exp(θ_b − θ_a)). Fitted by choix's minorization-maximization (Hunter 2004)."""
    pairs = list(comparisons)
    if any(c.winner == c.loser for c in pairs):
        raise RankingError("ورودی با خودش مقایسه شده است", "an entry was compared with itself")
    ids = sorted({c.winner for c in pairs} | {c.loser for c in pairs})
    if len(ids) < 2:
        raise RankingError("دست‌کم دو ورودی برای مقایسه لازم است", "at least two entries needed")
    index = {entry_id: i for i, entry_id in enumerate(ids)}
    data = [(index[c.winner], index[c.loser]) for c in pairs]
    prior = 0.0 if _strongly_connected(len(ids), data) else BT_PRIOR_WHEN_DISCONNECTED
    try:
        theta = choix.mm_pairwise(len(ids), data, alpha=prior, tol=1e-12)
    except RuntimeError as exc:  # choix gives up after its iteration limit
        raise RankingError("برازش مدل بردلی-تری همگرا نشد", "the Bradley-Terry fit did not converge") from exc
    theta = theta - np.mean(theta)
    return {entry_id: float(theta[i]) for entry_id, i in index.items()}


def _strongly_connected(n: int, data: list[tuple[int, int]]) -> bool:
    forward: list[list[int]] = [[] for _ in range(n)]
    backward: list[list[int]] = [[] for _ in range(n)]
    for winner, loser in data:
        forward[loser].append(winner)
        backward[winner].append(loser)
    return all(_reaches_all(edges) for edges in (forward, backward))


def _reaches_all(edges: list[list[int]]) -> bool:
    seen = {0}
    stack = [0]
    while stack:
        for nxt in edges[stack.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return len(seen) == len(edges)


def probability_preferred(theta: Mapping[str, float], a: str, b: str) -> float:
    """P(a preferred to b) under the fitted strengths."""
    return 1.0 / (1.0 + math.exp(theta[b] - theta[a]))
