"""The pure scoring engine, rule by rule, with values worked out by hand in the comments; and a
property-style check that the engine and the independent implementation (tests/scorecard/
independent.py, exact fractions, written from the method description) agree on random data."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest

from tabyin.scorecard.scoring import (
    Band,
    Entry,
    FrameworkError,
    MainSpec,
    Method,
    ProvinceInput,
    ProvinceScore,
    SubSpec,
    band_for,
    competition_ranks,
    normalize_column,
    score,
)
from tests.scorecard.independent import mismatches, recompute

BANDS = [Band("leading", 80.0), Band("active", 60.0), Band("developing", 40.0), Band("weak", 0.0)]
NO_DRAWS = Method(draws=0)


def sub(code: str = "S1", parent: str = "M1", **kw: Any) -> SubSpec:
    spec: dict[str, Any] = {"kind": "rate", "direction": "higher", "normalization": "scale", "weight": 1.0}
    return SubSpec(code=code, parent=parent, **(spec | kw))


def prov(code: str, peer: str = "", /, **values: float | str | None) -> ProvinceInput:
    """S1=12.5 is reported; S1="na" is not applicable; S1=None is not reported."""

    def entry(v: float | str | None) -> Entry:
        if v == "na":
            return Entry("not_applicable")
        return Entry("not_reported") if v is None else Entry("reported", float(v))

    return ProvinceInput(code, {k: entry(v) for k, v in values.items()}, peer)


def column(spec: SubSpec, *values: float | str | None) -> list[float | None]:
    """Published (rounded) sub scores of one indicator, one province per value."""
    provinces = [prov(f"P{i}", **{spec.code: v}) for i, v in enumerate(values)]
    return [r.sub_scores[spec.code] for r in score([MainSpec("M1", 1)], [spec], provinces, BANDS, NO_DRAWS)]


def run(
    subs: list[SubSpec], provinces: list[ProvinceInput], mains: list[MainSpec] | None = None, draws: int = 0
) -> dict[str, ProvinceScore]:
    mains = mains or [MainSpec(c, 1.0) for c in dict.fromkeys(s.parent for s in subs)]
    return {r.code: r for r in score(mains, subs, provinces, BANDS, Method(draws=draws))}


# --- normalization ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "direction", "values", "expected"),
    [
        # A rate in % is its own score, clamped to 0–100; 73.456 is published as 73.46.
        ("rate", "higher", (73.456, 0, 100, 112.5, -3), [73.46, 0, 100, 100, 0]),
        ("rate", "lower", (30, 0, 100, 112.5), [70, 100, 0, 0]),  # 100 − 30
        ("yes_no", "higher", (1, 0), [100, 0]),
        ("yes_no", "lower", (1, 0), [0, 100]),
        # Rubric: (level − 1) × 25, so 1 → 0, 3 → 50, 4 → 75, 5 → 100; out of range is clamped.
        ("rubric", "higher", (1, 3, 4, 5, 6, 0), [0, 50, 75, 100, 100, 0]),
        ("rubric", "lower", (4,), [25]),  # 100 − 75
    ],
)
def test_fixed_scale(kind: str, direction: str, values: tuple[float, ...], expected: list[float]) -> None:
    assert column(sub(kind=kind, direction=direction), *values) == expected


def test_distance_to_target_higher_is_better() -> None:
    spec = sub(kind="count", normalization="target", target=48.0)
    # 100·v/48: 12 → 25, 36 → 75, 0 → 0, 60 → 125 capped at 100; 10 → 20.8333… → 20.83.
    assert column(spec, 12, 36, 0, 60, 10) == [25, 75, 0, 100, 20.83]


def test_distance_to_target_lower_is_better() -> None:
    spec = sub(kind="duration", direction="lower", normalization="target", target=24.0)
    # At or under the target → 100; above it 100·24/v: 48 → 50, 96 → 25, 72 → 33.333… → 33.33.
    assert column(spec, 0, 24, 48, 96, 72) == [100, 100, 50, 25, 33.33]
    # A target of 0 hours: only 0 reaches it; anything above scores 100·0/v = 0.
    zero = sub(kind="duration", direction="lower", normalization="target", target=0.0)
    assert column(zero, 0, 5) == [100, 0]


def test_min_max_across_provinces() -> None:
    # min 10, max 40: higher → 100·(v − 10)/30: 10 → 0, 20 → 33.33, 40 → 100, 35 → 83.33.
    assert column(sub(kind="count", normalization="minmax"), 10, 20, 40, 35) == [0, 33.33, 100, 83.33]
    # lower → 100·(40 − v)/30: 10 → 100, 20 → 66.67, 40 → 0, 35 → 16.67.
    spec = sub(kind="count", direction="lower", normalization="minmax")
    assert column(spec, 10, 20, 40, 35) == [100, 66.67, 0, 16.67]


def test_min_max_uses_only_reported_values() -> None:
    # The not-applicable and not-reported provinces do not move min and max (10 and 30).
    spec = sub(kind="count", normalization="minmax")
    assert column(spec, 10, "na", None, 30, 20) == [0, None, 0, 100, 50]
    assert normalize_column(spec, [Entry("reported", 10.0), Entry("reported", 30.0)]) == [0.0, 100.0]


def test_min_max_guard_when_all_provinces_are_equal() -> None:
    # max = min: no one is behind anyone, so every reporting province gets 100 (no division by 0);
    # the province that did not report still gets 0.
    spec = sub(kind="count", direction="lower", normalization="minmax")
    assert column(spec, 7, 7, 7, None) == [100, 100, 100, 0]
    assert column(spec, 7) == [100]  # a single reporting province


# --- missing data and weights ---------------------------------------------------------------------


def test_not_reported_everywhere_scores_zero_and_is_flagged() -> None:
    subs = [sub("S1"), sub("S2", kind="count", normalization="minmax")]
    res = run(subs, [prov("A", S1=None, S2=None), prov("B")])  # B has no entries at all
    for r in res.values():
        assert (r.sub_scores, r.main_scores, r.total, r.band) == ({"S1": 0, "S2": 0}, {"M1": 0}, 0, "weak")
        assert r.flags == ["not_reported:S1", "not_reported:S2"]
    assert [res["A"].rank, res["B"].rank] == [1, 1]  # a tie at 0


def test_not_applicable_everywhere_excludes_the_main_and_leaves_no_total() -> None:
    res = run([sub("S1"), sub("S2")], [prov("A", "large", S1="na", S2="na")], draws=50)
    a = res["A"]
    assert (a.sub_scores, a.main_scores, a.total, a.band) == (
        {"S1": None, "S2": None},
        {"M1": None},
        None,
        "",
    )
    assert (a.rank, a.peer_rank, a.rank_low, a.rank_high, a.stable) == (None, None, None, None, True)
    assert a.flags == ["excluded:M1"]


def test_not_applicable_renormalizes_the_weights() -> None:
    subs = [sub("S1", weight=3.0), sub("S2", weight=1.0), sub("S3", "M2")]
    mains = [MainSpec("M1", 1.0), MainSpec("M2", 3.0)]
    provinces = [prov("A", S1=40, S2=80, S3="na"), prov("B", S1="na", S2=80, S3=10), prov("C", S2=80)]
    res = run(subs, provinces, mains)
    # A: M1 = (3·40 + 1·80)/4 = 50; M2 excluded, so total = M1 alone = 50.
    assert (res["A"].main_scores, res["A"].total) == ({"M1": 50, "M2": None}, 50)
    assert res["A"].flags == ["excluded:M2"]
    # B: S1 not applicable, M1 = 80 (weight 1 of 1); total = (1·80 + 3·10)/4 = 27.5.
    assert (res["B"].main_scores, res["B"].total, res["B"].flags) == ({"M1": 80, "M2": 10}, 27.5, [])
    # C: S1 and S3 not reported count as 0: M1 = (3·0 + 80)/4 = 20, total = (20 + 0)/4 = 5.
    assert (res["C"].main_scores, res["C"].total) == ({"M1": 20, "M2": 0}, 5)
    assert res["C"].flags == ["not_reported:S1", "not_reported:S3"]


def test_zero_weights() -> None:
    subs = [sub("S1"), sub("S2", weight=0.0), sub("S3", "M2", weight=0.0), sub("S4", "M2", weight=0.0)]
    res = run(subs, [prov("A", S1=40, S2=100, S3=100, S4=100), prov("B", S1=60, S2=0, S3=0, S4=0)])
    # S2 has weight 0: M1 is S1 alone. M2's weights are all 0: excluded and flagged, total = M1.
    assert (res["A"].main_scores, res["A"].total) == ({"M1": 40, "M2": None}, 40)
    assert (res["B"].main_scores, res["B"].total) == ({"M1": 60, "M2": None}, 60)
    assert res["A"].flags == res["B"].flags == ["excluded:M2"]
    assert [res["A"].rank, res["B"].rank] == [2, 1]


def test_a_zero_weight_main_contributes_nothing() -> None:
    mains = [MainSpec("M1", 1.0), MainSpec("M2", 0.0)]
    res = run([sub("S1"), sub("S2", "M2")], [prov("A", S1=30, S2=100), prov("B", S1=50, S2=0)], mains)
    assert [res["A"].total, res["B"].total] == [30, 50]  # M2 (100 vs 0) changes nothing


# --- ranks, ties, bands, peers ----------------------------------------------------------------------


def test_competition_ranks_with_ties() -> None:
    res = run([sub()], [prov("A", S1=90), prov("B", S1=80), prov("C", S1=80), prov("D", S1=70)])
    assert [res[c].rank for c in "ABCD"] == [1, 2, 2, 4]
    assert competition_ranks([70.0, None, 90.0, 80.0, 80.0]) == [4, None, 1, 2, 2]


def test_ranks_compare_the_published_two_decimal_totals() -> None:
    # 80.004 and 79.996 both publish as 80.00, so they share rank 1 as the reader sees them.
    res = run([sub()], [prov("A", S1=80.004), prov("B", S1=79.996), prov("C", S1=79.994)])
    assert [(res[c].total, res[c].rank) for c in "ABC"] == [(80.0, 1), (80.0, 1), (79.99, 3)]


def test_one_province() -> None:
    subs = [sub("S1", kind="count", normalization="minmax"), sub("S2", "M2")]
    (only,) = score([MainSpec("M1", 1), MainSpec("M2", 1)], subs, [prov("A", "small", S1=3, S2=20)], BANDS)
    # min = max: S1 = 100; total (100 + 20)/2 = 60 → "active" (cut-off 60 is inclusive).
    assert (only.total, only.band, only.rank, only.peer_rank) == (60, "active", 1, 1)
    assert (only.rank_low, only.rank_high, only.stable) == (1, 1, True)


@pytest.mark.parametrize(
    ("total", "band"),
    [(100.0, "leading"), (80.0, "leading"), (79.99, "active"), (60.0, "active"), (59.99, "developing"),
     (40.0, "developing"), (39.99, "weak"), (0.0, "weak"), (None, "")],
)  # fmt: skip
def test_bands_with_inclusive_cut_offs(total: float | None, band: str) -> None:
    assert band_for(total, BANDS) == band
    assert band_for(total, list(reversed(BANDS))) == band  # the order they are stored in is irrelevant


def test_band_below_every_cut_off_is_empty() -> None:
    assert band_for(12.5, [Band("good", 50.0)]) == ""


def test_exact_80_through_the_engine_is_leading() -> None:
    # (70 + 90)/2 = 80.00 exactly.
    (r,) = score([MainSpec("M1", 1)], [sub("S1"), sub("S2")], [prov("A", S1=70, S2=90)], BANDS, NO_DRAWS)
    assert (r.total, r.band) == (80.0, "leading")


def test_a_half_cent_rounds_as_the_published_decimal_does() -> None:
    # A rate reported as 59.995 % is published as "59.995"; rounding that decimal half up gives
    # 60.00, "active", ahead of B's 59.99. The float nearest to 59.995 is 59.99499999…: rounding
    # the binary value would publish 59.99, "developing", tied with B.
    res = run([sub()], [prov("A", S1=59.995), prov("B", S1=59.99)])
    assert (res["A"].total, res["A"].band, res["A"].rank) == (60.0, "active", 1)
    assert (res["B"].total, res["B"].band, res["B"].rank) == (59.99, "developing", 2)


def test_peer_group_ranks() -> None:
    provinces = [
        prov("A", "large", S1=90), prov("B", "large", S1=70), prov("C", "large", S1=70),
        prov("D", "small", S1=80), prov("E", "small", S1=95), prov("F", "", S1=99),
    ]  # fmt: skip
    res = run([sub()], provinces)
    assert {c: (r.rank, r.peer_group, r.peer_rank) for c, r in res.items()} == {
        "A": (3, "large", 1), "B": (5, "large", 2), "C": (5, "large", 2),
        "D": (4, "small", 2), "E": (2, "small", 1), "F": (1, "", None),
    }  # fmt: skip


# --- robustness ------------------------------------------------------------------------------------


def trade_offs(*levels: float) -> tuple[list[MainSpec], list[SubSpec], list[ProvinceInput]]:
    """Province i is good only at main indicator i: totals level_i / n, close when levels are."""
    n = len(levels)
    mains = [MainSpec(f"M{j}", 1.0) for j in range(n)]
    subs = [sub(f"S{j}", f"M{j}") for j in range(n)]
    provinces = [
        prov(f"P{i}", **{f"S{j}": level if i == j else 0 for j in range(n)}) for i, level in enumerate(levels)
    ]
    return mains, subs, provinces


def test_robustness_is_deterministic_for_a_seed() -> None:
    mains, subs, provinces = trade_offs(100, 99, 98, 97, 96)
    first, again = (score(mains, subs, provinces, BANDS, Method(draws=300, seed=7)) for _ in range(2))
    intervals = [(r.rank_low, r.rank_high, r.stable) for r in first]
    assert intervals == [(r.rank_low, r.rank_high, r.stable) for r in again]
    assert all(r.rank_low is not None and r.rank_low <= r.rank <= r.rank_high for r in first)  # type: ignore[operator]
    other = score(mains, subs, provinces, BANDS, Method(draws=300, seed=8))
    assert [r.rank for r in other] == [r.rank for r in first]  # the seed moves only the intervals


def test_near_ties_are_unstable_and_a_dominant_province_is_stable() -> None:
    mains, subs, provinces = trade_offs(100, 99, 98, 97, 96)
    leader = prov("LEAD", **{s.code: 100 for s in subs})
    res = {r.code: r for r in score(mains, subs, [*provinces, leader], BANDS, Method(draws=500, seed=1))}
    # Totals 20, 19.8, 19.6, 19.4, 19.2: a weight ×0.75…×1.25 moves P0's 100·w0/Σw anywhere from
    # 13.0 to 29.4, far more than the 0.2 gaps, so the five swap places; LEAD is 100 in every draw.
    assert [res[f"P{i}"].rank for i in range(5)] == [2, 3, 4, 5, 6]
    assert [(res[f"P{i}"].rank_low, res[f"P{i}"].rank_high, res[f"P{i}"].stable) for i in range(5)] == [
        (2, 6, False)
    ] * 5
    lead = res["LEAD"]
    assert (lead.rank, lead.rank_low, lead.rank_high, lead.stable) == (1, 1, 1, True)


def test_no_draws_means_no_interval() -> None:
    res = run([sub()], [prov("A", S1=10), prov("B", S1=20)])
    assert [(r.rank_low, r.rank_high, r.stable) for r in res.values()] == [(None, None, True)] * 2


# --- framework checks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subs", "mains", "message"),
    [
        ([sub(parent="M9")], None, "S1: unknown main indicator 'M9'"),
        ([sub(weight=-1.0)], None, "S1: negative weight"),
        ([sub()], [MainSpec("M1", -0.5)], "negative main-indicator weight"),
        ([sub(kind="count", normalization="target")], None, "S1: distance to target needs a positive target"),
        ([sub(kind="count", normalization="target", target=0.0)], None, "needs a positive target"),
        ([sub(kind="count")], None, "S1: a count has no fixed scale; use target or minmax"),
        ([sub(kind="duration", direction="lower")], None, "S1: a duration has no fixed scale"),
    ],
)
def test_check_framework_errors(subs: list[SubSpec], mains: list[MainSpec] | None, message: str) -> None:
    with pytest.raises(FrameworkError, match=message):
        score(mains or [MainSpec("M1", 1.0)], subs, [prov("A")], BANDS, NO_DRAWS)


# --- the independent recomputation ------------------------------------------------------------------


def _text(x: float | None) -> str | None:
    return None if x is None else format(Decimal(repr(x)), "f")


def _two(x: float | None) -> str | None:
    return None if x is None else f"{x:.2f}"


def export_of(
    mains: list[MainSpec], subs: list[SubSpec], provinces: list[ProvinceInput], method: Method
) -> dict[str, Any]:
    """Score, then build the body /api/v1/scorecards/<period>/ serves from input and output."""
    results = score(mains, subs, provinces, BANDS, method)
    blank = {"kind": "", "direction": "higher", "normalization": "", "target": None}
    indicators = [{"code": m.code, "parent": None, **blank, "weight": _text(m.weight)} for m in mains]
    for s in subs:
        spec = {"kind": s.kind, "direction": s.direction, "normalization": s.normalization}
        indicators.append({"code": s.code, "parent": s.parent, **spec, "target": _text(s.target)})
        indicators[-1]["weight"] = _text(s.weight)
    rows = []
    for p, r in zip(provinces, results, strict=True):
        entries: list[dict[str, Any]] = [
            {"code": c, "status": e.status, "measured": _text(e.value), "score": _two(r.sub_scores[c])}
            | {"inputs": {}}
            for c, e in p.entries.items()
        ]
        robust = {"rank_low": r.rank_low, "rank_high": r.rank_high, "stable": r.stable, "flags": r.flags}
        rows.append(
            {"province": r.code, "peer_group": r.peer_group, "total": _two(r.total), "band": r.band}
            | {"rank": r.rank, "peer_rank": r.peer_rank, **robust, "indicators": entries}
            | {"main_scores": {k: _two(v) for k, v in r.main_scores.items()}}
        )
    bands = [{"code": b.code, "min": _text(b.min)} for b in BANDS]
    return {
        "period": "1404",
        "framework": {"code": "pr", "version": 1, "bands": bands, "indicators": indicators},
        "method": {"draws": method.draws, "seed": method.seed, "weight_spread": method.weight_spread}
        | {"unstable_width": method.unstable_width},
        "provinces": rows,
    }


def random_case(rng: random.Random) -> tuple[list[MainSpec], list[SubSpec], list[ProvinceInput]]:
    def dec(low: int, high: int, places: int) -> float:
        return float(Decimal(rng.randint(low * 10**places, high * 10**places)).scaleb(-places))

    mains = [
        MainSpec(f"M{i}", rng.choice([0.0, 1.0, 2.0, 0.125, dec(0, 10, 3)])) for i in range(rng.randint(1, 5))
    ]
    if not any(m.weight > 0 for m in mains):  # a framework where everything weighs 0 is refused
        mains[0] = MainSpec(mains[0].code, 1.0)
    subs = []
    for j in range(rng.randint(1, 14)):
        kind = rng.choice(["rate", "count", "duration", "yes_no", "rubric"])
        rule = rng.choice(["target", "minmax"] + (["scale"] if kind in ("rate", "yes_no", "rubric") else []))
        direction = rng.choice(["higher", "lower"])
        target = dec(1, 100, 2) if rule == "target" or rng.random() < 0.5 else None
        if target is not None and direction == "lower" and rng.random() < 0.2:
            target = 0.0
        weight = rng.choice([0.0, 1.0, dec(0, 5, 3), dec(0, 5, 3)])
        parent = rng.choice(mains).code
        subs.append(SubSpec(f"S{j}", parent, kind, direction, rule, weight, target))
    few = [dec(0, 100, 1) for _ in range(3)]  # a few shared values make ties likely
    provinces = []
    for i in range(rng.randint(1, 31)):
        entries: dict[str, Entry] = {}
        for s in subs:
            status = rng.choices(["reported", "not_reported", "not_applicable", "missing"], [16, 2, 2, 1])[0]
            if s.kind == "yes_no":
                value = float(rng.randint(0, 1))
            elif s.kind == "rubric":
                value = float(rng.randint(0, 6))
            else:
                value = rng.choice([*few, dec(0, 120, 4), dec(0, 120, 4)])
            if status != "missing":
                entries[s.code] = Entry(status, value if status == "reported" else None)
        provinces.append(ProvinceInput(f"IR-{i:02d}", entries, rng.choice(["", "large", "medium", "small"])))
    return mains, subs, provinces


# Seeds 1, 21, 23, 27, 36 and 44 hit exact half-cents (e.g. a main score of exactly 28.385), which
# rounding the binary float used to get wrong; see test_a_half_cent_rounds_as_the_published_decimal_does.
SEEDS = list(range(50))


@pytest.mark.parametrize("seed", SEEDS)
def test_engine_agrees_with_the_independent_recomputation(seed: int) -> None:
    mains, subs, provinces = random_case(random.Random(seed))
    method = Method(draws=40, seed=seed)
    assert mismatches(export_of(mains, subs, provinces, method)) == []


def table(export: dict[str, Any]) -> list[tuple[str, int]]:
    return [(p["total"], p["rank"]) for p in export["provinces"]]


def test_a_weight_change_after_publication() -> None:
    mains, subs, provinces = trade_offs(100, 90, 80)
    published = export_of(mains, subs, provinces, NO_DRAWS)
    # Version 1: every main weighs 1, totals 100/3 = 33.33, 30 and 26.67.
    assert table(published) == [("33.33", 1), ("30.00", 2), ("26.67", 3)]
    # Version 2 weighs M2 six times: totals 100/8 = 12.5, 90/8 = 11.25 and 80·6/8 = 60.
    heavier = [MainSpec("M0", 1.0), MainSpec("M1", 1.0), MainSpec("M2", 6.0)]
    republished = export_of(heavier, subs, provinces, NO_DRAWS)
    assert table(republished) == [("12.50", 2), ("11.25", 3), ("60.00", 1)]
    # Each export carries the weights it was scored with, so each still recomputes to itself …
    assert mismatches(published) == mismatches(republished) == []
    assert {c: r["rank"] for c, r in recompute(published).items()} == {"P0": 1, "P1": 2, "P2": 3}
    # … and the recomputation really reads them: v1's data with v2's weight gives v2's ranking.
    published["framework"]["indicators"][2]["weight"] = "6"
    assert {c: r["rank"] for c, r in recompute(published).items()} == {"P0": 2, "P1": 3, "P2": 1}
    assert mismatches(published) != []


EDGE_CASES = {
    "all equal": (
        [sub(kind="count", normalization="minmax")],
        [prov("A", S1=7), prov("B", S1=7), prov("C", S1=7)],
    ),
    "all not reported": ([sub("S1"), sub("S2", "M2")], [prov("A", S1=None), prov("B")]),
    "all not applicable": ([sub("S1"), sub("S2", "M2")], [prov("A", "large", S1="na", S2="na")]),
    "one province": ([sub(kind="count", normalization="minmax")], [prov("A", "small", S1=3)]),
    "ties": (
        [sub()],
        [prov("A", "large", S1=90), prov("B", "large", S1=80), prov("C", S1=80), prov("D", S1=70)],
    ),
    "zero weights": (
        [sub("S1"), sub("S2", weight=0.0), sub("S3", "M2", weight=0.0)],
        [prov("A", "small", S1=40, S2=100, S3=100), prov("B", "small", S1=60, S2=0, S3=0)],
    ),
}


@pytest.mark.parametrize("case", EDGE_CASES)
def test_edge_cases_recompute_from_the_export(case: str) -> None:
    subs, provinces = EDGE_CASES[case]
    mains = [MainSpec(c, 1.0) for c in dict.fromkeys(s.parent for s in subs)]
    method = Method(draws=100, seed=3)
    assert mismatches(export_of(mains, subs, provinces, method)) == []
