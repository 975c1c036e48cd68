"""The published inputs of a jury's result, and the recomputation anyone can run on them.

What is published (``to_json``; ASCII digits, ISO 8601 times): the method version, the rounding,
the tie rule, the rubric (criteria with weights and maxima), every entry with its submission time,
and every score with its juror's pseudonym (an HMAC of the juror's id under a per-challenge key,
so one juror's scores can be followed across entries without naming the juror).
``recompute(from_json(published))`` returns the same ranking the site shows.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tabyin.ideas.jury.agreement import AgreementError, icc
from tabyin.ideas.jury.normalize import DECIMALS, entry_scores_from_totals, rubric_totals
from tabyin.ideas.jury.ranking import TIE_RULE, RankedEntry, rank, tie_breaks_from_totals
from tabyin.ideas.jury.types import Criterion, JuryError, Score

METHOD_VERSION = "jury-1"


class InputsError(JuryError):
    """Published inputs that cannot be read or recomputed."""


@dataclass(frozen=True)
class PublishedInputs:
    criteria: tuple[Criterion, ...]
    scores: tuple[Score, ...]  # juror_id holds the juror's pseudonym
    submitted_at: Mapping[str, datetime] = field(hash=False)
    method_version: str = METHOD_VERSION


def pseudonym(juror_id: str, key: bytes) -> str:
    return "J-" + hmac.new(key, juror_id.encode(), hashlib.sha256).hexdigest()[:12]


def publish(
    scores: Iterable[Score],
    criteria: Sequence[Criterion],
    submitted_at: Mapping[str, datetime],
    key: bytes,
) -> PublishedInputs:
    """The inputs with each juror's id replaced by their pseudonym."""
    hidden = tuple(Score(pseudonym(s.juror_id, key), s.entry_id, s.criterion, s.value) for s in scores)
    return PublishedInputs(tuple(criteria), hidden, dict(submitted_at))


def recompute(inputs: PublishedInputs) -> list[RankedEntry]:
    if inputs.method_version != METHOD_VERSION:
        raise InputsError(
            f"نسخهٔ روش «{inputs.method_version}» شناخته نیست",
            f"unknown method version {inputs.method_version!r}",
        )
    totals = rubric_totals(inputs.scores, inputs.criteria)
    return rank(entry_scores_from_totals(totals), tie_breaks_from_totals(totals, inputs.submitted_at))


def to_json(inputs: PublishedInputs) -> dict[str, Any]:
    return {
        "method_version": inputs.method_version,
        "decimals": DECIMALS,
        "tie_rule": list(TIE_RULE),
        "criteria": [{"key": c.key, "weight": c.weight, "max_value": c.max_value} for c in inputs.criteria],
        "entries": [
            {"id": entry_id, "submitted_at": inputs.submitted_at[entry_id].isoformat()}
            for entry_id in sorted(inputs.submitted_at)
        ],
        "scores": [
            {"juror": s.juror_id, "entry": s.entry_id, "criterion": s.criterion, "value": s.value}
            for s in inputs.scores
        ],
    }


def from_json(data: Mapping[str, Any]) -> PublishedInputs:
    try:
        return PublishedInputs(
            criteria=tuple(
                Criterion(str(c["key"]), float(c["weight"]), float(c["max_value"])) for c in data["criteria"]
            ),
            scores=tuple(
                Score(str(s["juror"]), str(s["entry"]), str(s["criterion"]), float(s["value"]))
                for s in data["scores"]
            ),
            submitted_at={str(e["id"]): datetime.fromisoformat(e["submitted_at"]) for e in data["entries"]},
            method_version=str(data["method_version"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputsError("دادهٔ منتشرشده خوانا نیست", f"unreadable published inputs: {exc}") from exc


def ranking_to_json(ranked: Sequence[RankedEntry]) -> list[dict[str, Any]]:
    return [
        {
            "position": r.position,
            "entry": r.entry_id,
            "score": r.score,
            "median_raw": r.median_raw,
            "n_jurors": r.n_jurors,
            "submitted_at": r.submitted_at.isoformat(),
            "decided_by": r.decided_by,
        }
        for r in ranked
    ]


def results_to_json(inputs: PublishedInputs) -> dict[str, Any]:
    """What a results API serves: the inputs, the ranking recomputed from them, and the jurors'
    agreement (``null`` when there are too few double ratings for one), figures to ``DECIMALS``."""
    try:
        agreement = icc(inputs.scores, inputs.criteria)
    except AgreementError:
        summary = None
    else:
        summary = {
            "form": agreement.form,
            "value": round(agreement.value, DECIMALS),
            "ci_low": round(agreement.ci_low, DECIMALS),
            "ci_high": round(agreement.ci_high, DECIMALS),
            "confidence": agreement.confidence,
            "n_entries": agreement.n_entries,
            "n_jurors": agreement.n_jurors,
        }
    return {
        "inputs": to_json(inputs),
        "ranking": ranking_to_json(recompute(inputs)),
        "agreement": summary,
    }
