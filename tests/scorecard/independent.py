"""A second, independent implementation of the scorecard method, used to recompute a published
ranking from the exported data alone (the body served at /api/v1/scorecards/<period>/).

It is written from the method description, not from ``tabyin.scorecard.scoring``: exact rational
arithmetic (``fractions.Fraction``) instead of floats, a rank counted as "1 + the number of
provinces strictly ahead" instead of a sort, and no numpy or Django. The rules:

* sub-indicator score, 0–100 (``None`` when not applicable; 0 and flagged when not reported):
  - fixed scale: a rate in % is clamped to 0–100; yes/no is 100 for a value ≥ 1 else 0; a rubric
    level 1–5 maps to (level − 1) × 25; "lower is better" turns s into 100 − s;
  - distance to target: higher is better → 100·v/t; lower is better → 100 when v ≤ t, else
    100·t/v; both clamped to 0–100;
  - min–max over the provinces that reported: 100·(v − min)/(max − min), or 100·(max − v)/(max −
    min) when lower is better; when every reported value is equal, everyone scores 100;
* main score: the weighted mean of its applicable sub scores; when no applicable child has a
  positive weight the main indicator is excluded (``None``) and flagged;
* total: the weighted mean of the non-excluded main scores (``None`` when all are excluded);
* every sub score, main score and total is rounded to 2 decimals with Python's ``round``
  (half to even) before it is used in the next step; ranks compare the rounded totals;
* band: the band with the highest cut-off not above the total ("" when below every cut-off);
* rank: competition ranking ("1224"), nationally and within each non-empty peer group.

The robustness interval comes from random draws and is not recomputed here; ``robustness_problems``
only checks that what was published is consistent with its own definition.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

HUNDRED = Fraction(100)
ZERO = Fraction(0)


def exact(text: Any) -> Fraction:
    """A published number as an exact fraction; the API promises ASCII digits."""
    raw = str(text)
    if not raw.isascii():
        raise ValueError(f"non-ASCII digits in exported number {raw!r}")
    return Fraction(raw)


def two_decimals(x: Fraction) -> Fraction:
    return Fraction(math.floor(x * 100 + Fraction(1, 2)), 100)  # half up, as the method page says


def as_decimal(x: Fraction | None) -> Decimal | None:
    if x is None:
        return None
    cents = x * 100
    assert cents.denominator == 1, f"{x} is not rounded to 2 decimals"
    return Decimal(cents.numerator).scaleb(-2)


def clamp(x: Fraction, low: Fraction = ZERO, high: Fraction = HUNDRED) -> Fraction:
    return max(low, min(high, x))


def fixed_scale(kind: str, higher: bool, v: Fraction) -> Fraction:
    if kind == "yes_no":
        s = HUNDRED if v >= 1 else ZERO
    elif kind == "rubric":
        s = (clamp(v, Fraction(1), Fraction(5)) - 1) * 25
    elif kind == "rate":
        s = clamp(v)
    else:
        raise ValueError(f"a {kind!r} indicator has no fixed scale")
    return s if higher else HUNDRED - s


def to_target(higher: bool, v: Fraction, target: Fraction) -> Fraction:
    if higher:
        return clamp(HUNDRED * v / target)
    return HUNDRED if v <= target else clamp(HUNDRED * target / v)


def sub_column(
    spec: Mapping[str, Any], cells: Sequence[tuple[str, Fraction | None]]
) -> list[Fraction | None]:
    """Scores of one sub-indicator for every province; ``cells`` are (status, measured)."""
    higher = spec["direction"] == "higher"
    rule = spec["normalization"]
    seen = [v for status, v in cells if status == "reported" and v is not None]
    out: list[Fraction | None] = []
    for status, v in cells:
        if status == "not_applicable":
            out.append(None)
            continue
        if status == "not_reported" or v is None:
            out.append(ZERO)
            continue
        if rule == "scale":
            s = fixed_scale(spec["kind"], higher, v)
        elif rule == "target":
            s = to_target(higher, v, exact(spec["target"]))
        elif rule == "minmax":
            low, high = min(seen), max(seen)
            if low == high:
                s = HUNDRED
            else:
                s = HUNDRED * ((v - low) if higher else (high - v)) / (high - low)
        else:
            raise ValueError(f"unknown normalization {rule!r}")
        out.append(two_decimals(s))
    return out


def weighted_mean(pairs: Sequence[tuple[Fraction | None, Fraction]]) -> Fraction | None:
    """Mean of the present scores with their weights renormalized; None if no weight is left."""
    present = [(s, w) for s, w in pairs if s is not None]
    weight = sum((w for _, w in present), ZERO)
    if weight <= 0:
        return None
    return two_decimals(sum((s * w for s, w in present), ZERO) / weight)


def competition(totals: Mapping[str, Fraction | None]) -> dict[str, int | None]:
    return {
        code: None if t is None else 1 + sum(1 for u in totals.values() if u is not None and u > t)
        for code, t in totals.items()
    }


def band_of(total: Fraction | None, bands: Sequence[Mapping[str, Any]]) -> str:
    if total is None:
        return ""
    passed = [(exact(b["min"]), b["code"]) for b in bands if total >= exact(b["min"])]
    return max(passed)[1] if passed else ""


def read_cells(
    subs: Sequence[Mapping[str, Any]], entries: Sequence[Mapping[str, Any]]
) -> dict[str, tuple[str, Fraction | None]]:
    """A sub-indicator missing from the list was not reported; so was one "reported" without a
    value (a zero is never silent)."""
    given = {e["code"]: e for e in entries}
    out: dict[str, tuple[str, Fraction | None]] = {}
    for spec in subs:
        e = given.get(spec["code"], {"status": "not_reported"})
        status = e["status"]
        value = None if e.get("measured") is None else exact(e["measured"])
        if status not in ("reported", "not_reported", "not_applicable"):
            raise ValueError(f"{spec['code']}: unknown status {status!r}")
        if status == "reported" and value is None:
            status = "not_reported"
        out[spec["code"]] = (status, value if status == "reported" else None)
    return out


def recompute(export: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Province code → {total, band, rank, peer_rank, main_scores, sub_scores, flags}; numbers are
    ``Decimal`` with two places (``None`` where excluded), to compare with the published strings."""
    indicators = export["framework"]["indicators"]
    mains = [i for i in indicators if i["parent"] in (None, "")]
    subs = [i for i in indicators if i["parent"] not in (None, "")]
    provinces = export["provinces"]
    codes = [p["province"] for p in provinces]

    # Per province, in framework order: sub-indicator code → (status, measured).
    cells = {p["province"]: read_cells(subs, p["indicators"]) for p in provinces}
    sub_scores: dict[str, dict[str, Fraction | None]] = {code: {} for code in codes}
    for spec in subs:
        column = [cells[c][spec["code"]] for c in codes]
        for code, s in zip(codes, sub_column(spec, column), strict=True):
            sub_scores[code][spec["code"]] = s

    out: dict[str, dict[str, Any]] = {}
    totals: dict[str, Fraction | None] = {}
    for code in codes:
        flags = [f"not_reported:{c}" for c, (status, _) in cells[code].items() if status == "not_reported"]
        main_scores: dict[str, Fraction | None] = {}
        for m in mains:
            children = [s for s in subs if s["parent"] == m["code"]]
            main_scores[m["code"]] = weighted_mean(
                [(sub_scores[code][s["code"]], exact(s["weight"])) for s in children]
            )
            if main_scores[m["code"]] is None:
                flags.append(f"excluded:{m['code']}")
        totals[code] = weighted_mean([(main_scores[m["code"]], exact(m["weight"])) for m in mains])
        out[code] = {
            "total": as_decimal(totals[code]),
            "band": band_of(totals[code], export["framework"]["bands"]),
            "main_scores": {k: as_decimal(v) for k, v in main_scores.items()},
            "sub_scores": {k: as_decimal(v) for k, v in sub_scores[code].items()},
            "flags": flags,
        }
    for code, rank in competition(totals).items():
        out[code]["rank"] = rank
    groups = {p["province"]: p.get("peer_group") or "" for p in provinces}
    for group in set(groups.values()) - {""}:
        members = {c: t for c, t in totals.items() if groups[c] == group}
        for code, rank in competition(members).items():
            out[code]["peer_rank"] = rank
    for code in codes:
        out[code].setdefault("peer_rank", None)
    return out


def robustness_problems(export: Mapping[str, Any]) -> list[str]:
    """What in the published rank intervals contradicts their definition (empty when none)."""
    width = int(export["method"]["unstable_width"])
    problems = []
    for p in export["provinces"]:
        code, rank, low, high = p["province"], p["rank"], p.get("rank_low"), p.get("rank_high")
        if not export["method"]["draws"]:
            if (low, high, p["stable"]) != (None, None, True):
                problems.append(f"{code}: an interval [{low}, {high}] without draws")
            continue
        if rank is None:
            if low is not None or high is not None:
                problems.append(f"{code}: an interval without a rank")
            continue
        if low is None or high is None or not low <= rank <= high:
            problems.append(f"{code}: rank {rank} outside its interval [{low}, {high}]")
        elif p["stable"] != (high - low < width):
            problems.append(f"{code}: stable={p['stable']} but the interval is [{low}, {high}]")
    return problems


def mismatches(export: Mapping[str, Any]) -> list[str]:
    """Every published figure the recomputation does not reproduce exactly (empty when none):
    total, band, rank, peer rank, flags, main and sub scores, and the rank intervals' consistency."""

    def dec(x: str | None) -> Decimal | None:
        return None if x is None else Decimal(str(x))

    again = recompute(export)
    out = []
    for row in export["provinces"]:
        code, mine = row["province"], again[row["province"]]
        published = {
            "total": dec(row["total"]),
            "band": row["band"],
            "rank": row["rank"],
            "peer_rank": row["peer_rank"],
            "flags": row["flags"],
            "main_scores": {k: dec(v) for k, v in row["main_scores"].items()},
            "sub_scores": {e["code"]: dec(e["score"]) for e in row["indicators"]},
        }
        recomputed = {k: mine[k] for k in published} | {
            "sub_scores": {c: mine["sub_scores"].get(c) for c in published["sub_scores"]}
        }
        out += [f"{code} {k}: published {published[k]!r}, recomputed {recomputed[k]!r}"
                for k in published if published[k] != recomputed[k]]  # fmt: skip
    return out + robustness_problems(export)
