"""The published inputs: a round trip through JSON, pseudonyms, and a recomputation by an
independent re-implementation (pandas, written from the method page, not from the package)."""

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tabyin.ideas.jury.assign import assign_jurors
from tabyin.ideas.jury.inputs import (
    METHOD_VERSION,
    InputsError,
    PublishedInputs,
    from_json,
    pseudonym,
    publish,
    ranking_to_json,
    recompute,
    results_to_json,
    to_json,
)
from tabyin.ideas.jury.types import Criterion, Entry, Juror, Score

KEY = b"challenge-7-publication-key"
CRITERIA = [Criterion("novelty", 3.0, 10.0), Criterion("feasibility", 2.0, 5.0), Criterion("cost", 0.5, 4.0)]
START = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)


def a_finished_jury(
    n_entries: int = 400, n_jurors: int = 45, seed: int = 7
) -> tuple[list[Score], dict[str, datetime]]:
    """Scores of a realistic contest: 3 jurors per entry, each with a severity of their own, plus
    two pairs of entries scored identically (one pair submitted at the same second) to exercise the
    tie rule down to the entry id."""
    rng = random.Random(seed)
    provinces = [f"IR-{i:02d}" for i in range(31)]
    entries = [Entry(f"idea-{i:04d}", rng.choice(provinces), f"u{i % 50}", f"p{i}") for i in range(n_entries)]
    jurors = [Juror(f"staff-{i}", rng.choice(provinces), f"hq{i}") for i in range(n_jurors)]
    severity = {j.id: rng.uniform(-0.3, 0.2) for j in jurors}
    merit = {e.id: rng.uniform(0.2, 0.9) for e in entries}
    panels = assign_jurors(entries, jurors, seed=seed)
    twins = {"idea-0001": "idea-0000", "idea-0003": "idea-0002"}  # scored like their twin
    for twin, original in twins.items():
        panels[twin] = panels[original]
    scores = []
    values: dict[tuple[str, str, str], float] = {}
    for entry_id, panel in panels.items():
        for juror_id in panel:
            for c in CRITERIA:
                source = twins.get(entry_id, entry_id)
                cell = (juror_id, source, c.key)
                if cell not in values:
                    share = min(1.0, max(0.0, merit[source] + severity[juror_id] + rng.gauss(0, 0.1)))
                    values[cell] = round(share * c.max_value * 2) / 2  # half points, as on the form
                scores.append(Score(juror_id, entry_id, c.key, values[cell]))
    submitted = {e.id: START + timedelta(minutes=rng.randrange(20000)) for e in entries}
    submitted["idea-0001"] = submitted["idea-0000"] + timedelta(hours=1)
    submitted["idea-0003"] = submitted["idea-0002"]
    return scores, submitted


def independent_ranking(published: dict[str, Any]) -> list[dict[str, Any]]:
    """The method page, step by step, on the published JSON alone."""
    scores = pd.DataFrame(published["scores"])
    criteria = pd.DataFrame(published["criteria"]).set_index("key")
    scores["part"] = (
        scores["value"]
        / scores["criterion"].map(criteria["max_value"])
        * scores["criterion"].map(criteria["weight"])
    )
    totals = (
        (scores.groupby(["juror", "entry"])["part"].sum() * 100 / criteria["weight"].sum())
        .rename("total")
        .reset_index()
    )
    pooled_mean, pooled_sd = totals["total"].mean(), totals["total"].std(ddof=0)
    by_juror = totals.groupby("juror")["total"]
    juror_mean, juror_sd = by_juror.transform("mean"), by_juror.transform(lambda s: s.std(ddof=0))
    z = np.where(juror_sd > 0, (totals["total"] - juror_mean) / juror_sd.where(juror_sd > 0, 1), 0.0)
    totals["normalized"] = pooled_mean + pooled_sd * z
    per_entry = totals.groupby("entry").agg(
        score=("normalized", "mean"), median_raw=("total", "median"), n_jurors=("total", "size")
    )
    places = published["decimals"]
    per_entry["score"] = [round(float(x), places) for x in per_entry["score"]]
    per_entry["median_raw"] = [round(float(x), places) for x in per_entry["median_raw"]]
    submitted = pd.Series({e["id"]: pd.Timestamp(e["submitted_at"]) for e in published["entries"]})
    per_entry["submitted_at"] = per_entry.index.map(submitted)
    per_entry = per_entry.rename_axis("entry_id").reset_index().rename(columns={"entry_id": "entry"})
    order = per_entry.sort_values(
        ["score", "median_raw", "n_jurors", "submitted_at", "entry"],
        ascending=[False, False, False, True, True],
        kind="mergesort",
    )
    rows = []
    previous = None
    for position, row in enumerate(order.itertuples(index=False), start=1):
        current = (row.score, row.median_raw, row.n_jurors, row.submitted_at, row.entry)
        decided = (
            ""
            if previous is None
            else published["tie_rule"][next(i for i in range(5) if current[i] != previous[i])]
        )
        rows.append(
            {
                "position": position,
                "entry": row.entry,
                "score": row.score,
                "median_raw": row.median_raw,
                "n_jurors": int(row.n_jurors),
                "decided_by": decided,
            }
        )
        previous = current
    return rows


def test_an_independent_recomputation_from_the_published_json_agrees_exactly() -> None:
    scores, submitted = a_finished_jury()
    published = json.loads(json.dumps(to_json(publish(scores, CRITERIA, submitted, KEY))))

    ours = [
        {k: v for k, v in row.items() if k != "submitted_at"}
        for row in ranking_to_json(recompute(from_json(published)))
    ]

    assert ours == independent_ranking(published)
    assert len(ours) == 400
    twins = {
        r["entry"]: r for r in ours if r["entry"] in {"idea-0000", "idea-0001", "idea-0002", "idea-0003"}
    }
    assert twins["idea-0001"]["position"] == twins["idea-0000"]["position"] + 1
    assert twins["idea-0001"]["decided_by"] == "submitted_at"
    assert twins["idea-0003"]["position"] == twins["idea-0002"]["position"] + 1
    assert twins["idea-0003"]["decided_by"] == "entry_id"


def test_the_published_json_names_no_juror_and_reads_back_identically() -> None:
    scores, submitted = a_finished_jury(n_entries=60, n_jurors=12, seed=3)
    inputs = publish(scores, CRITERIA, submitted, KEY)

    text = json.dumps(to_json(inputs), ensure_ascii=True)

    assert "staff-" not in text
    assert from_json(json.loads(text)) == inputs
    assert recompute(from_json(json.loads(text))) == recompute(
        PublishedInputs(tuple(CRITERIA), tuple(scores), submitted)
    )
    assert to_json(inputs)["method_version"] == METHOD_VERSION == "jury-1"
    assert to_json(inputs)["tie_rule"] == ["score", "median_raw", "n_jurors", "submitted_at", "entry_id"]


def test_pseudonyms_are_stable_per_key_and_differ_across_keys() -> None:
    assert pseudonym("staff-4", KEY) == pseudonym("staff-4", KEY)
    assert pseudonym("staff-4", KEY) != pseudonym("staff-4", b"another challenge")
    assert pseudonym("staff-4", KEY) != pseudonym("staff-5", KEY)
    assert len(pseudonym("staff-4", KEY)) == 14 and pseudonym("staff-4", KEY).startswith("J-")


def test_unreadable_or_unknown_inputs_are_refused() -> None:
    with pytest.raises(InputsError) as unreadable:
        from_json({"criteria": []})
    with pytest.raises(InputsError) as unknown:
        recompute(PublishedInputs((), (), {}, method_version="jury-0"))

    assert unreadable.value.persian == "دادهٔ منتشرشده خوانا نیست"
    assert unknown.value.english == "unknown method version 'jury-0'"


def test_the_results_document_carries_inputs_ranking_and_agreement() -> None:
    criteria = [Criterion("q", 1.0, 10.0)]
    rows = {"e1": [9, 8], "e2": [4, 5], "e3": [6, 6]}
    scores = [Score(f"j{k}", e, "q", float(v)) for e, values in rows.items() for k, v in enumerate(values)]
    inputs = publish(scores, criteria, dict.fromkeys(rows, START), KEY)

    document = results_to_json(inputs)

    assert [(r["position"], r["entry"]) for r in document["ranking"]] == [(1, "e1"), (2, "e3"), (3, "e2")]
    assert document["inputs"] == to_json(inputs)
    # by hand: entry means 85, 45, 60, grand 63.33; MSB = 1633.33 / 2, MSW = 100 / 3;
    # ICC = (MSB − MSW) / (MSB + MSW) = 783.33 / 850 (the interval's formula is checked against
    # pingouin in test_agreement)
    assert document["agreement"] == {
        "form": "ICC(1)",
        "value": 0.9216,
        "ci_low": 0.2086,
        "ci_high": 0.9979,
        "confidence": 0.95,
        "n_entries": 3,
        "n_jurors": 2,
    }
    single = publish(scores[:1], criteria, {"e1": START}, KEY)
    assert results_to_json(single)["agreement"] is None
