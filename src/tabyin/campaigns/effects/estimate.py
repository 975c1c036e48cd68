"""``estimate``: every method that the design allows, each with its placebo checks and sentence.

* ``its`` — always (it needs no comparison province).
* ``did`` and ``staggered`` — when provinces were held out; ``staggered`` is the one to read when
  launch months differ (``did`` is then shown for comparison, and its sentence says so).
* ``synth`` — when at least four provinces had no campaign (held out or simply not chosen); it is
  the method to read when nothing was held out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

import pandas as pd

from tabyin.campaigns.effects.did import fit_did
from tabyin.campaigns.effects.its import fit_its
from tabyin.campaigns.effects.panel import Design, prepare
from tabyin.campaigns.effects.placebo import date_placebo, space_placebo
from tabyin.campaigns.effects.report import EffectReport, Fit, MethodName, MethodResult, Placebo
from tabyin.campaigns.effects.sentences import sentence
from tabyin.campaigns.effects.staggered import fit_staggered
from tabyin.campaigns.effects.synth import MIN_DONORS, fit_synth

__all__ = ["estimate"]

STAGGERED_NOTE = (
    "شروع کارزار در استان‌ها هم‌زمان نبوده است؛ این روش در چنین حالتی ممکن است سوگیری داشته باشد "
    "و برآورد روش پلکانی معتبرتر است."
)


def estimate(
    panel: pd.DataFrame, treated: Mapping[str, date], held_out: Sequence[str], seed: int = 0
) -> EffectReport:
    """The campaign's effect on ``panel['outcome']`` by each method; raises ``PanelError``."""
    design = prepare(panel, treated, held_out)
    staggered_launch = len(set(treated.values())) > 1
    untreated = sorted(set(design.frame["province"]) - set(treated))
    no_comparison = "هیچ استانی کنار گذاشته نشده است؛ این روش استان‌های کنارگذاشته را لازم دارد."

    its = _run("its", fit_its, design, space_pool=untreated, seed=seed)
    if design.controls:
        did = _run("did", fit_did, design, space_pool=design.controls, seed=seed)
        if staggered_launch and did.available:
            did = MethodResult("did", True, "", did.fit, did.placebos, did.sentence_fa + " " + STAGGERED_NOTE)
        staggered = _run("staggered", fit_staggered, design, space_pool=design.controls, seed=seed)
    else:
        did = MethodResult("did", False, no_comparison)
        staggered = MethodResult("staggered", False, no_comparison)
    if len(untreated) >= MIN_DONORS:
        synth_design = design.subset(list(design.frame["province"].unique()), design.treated, untreated)
        synth = _run("synth", fit_synth, synth_design, space_pool=untreated, seed=seed)
    else:
        synth = MethodResult("synth", False, f"کمتر از {MIN_DONORS} استان بی‌کارزار برای ساختن استان مقایسه هست.")
    return EffectReport(
        its=its,
        did=did,
        staggered=staggered,
        synth=synth,
        treated=design.treated_codes,
        held_out=design.controls,
        staggered_launch=staggered_launch,
        seed=seed,
    )


def _run(
    method: MethodName, estimator: Callable[[Design], Fit], design: Design, *, space_pool: Sequence[str], seed: int
) -> MethodResult:
    fit = estimator(design)
    placebos: list[Placebo] = []
    by_date = date_placebo(estimator, design)
    if by_date is not None:
        placebos.append(by_date)
    # ITS needs no comparison, so all of the pool may be fake-treated; the others keep half of it
    # as the comparison of the other half.
    fake_count = len(space_pool) if method == "its" else len(space_pool) // 2
    if method == "synth":
        fake_count = min(len(design.treated), len(space_pool) - MIN_DONORS)
    by_space = space_placebo(estimator, design, space_pool, fake_count=fake_count, seed=seed)
    if by_space is not None:
        placebos.append(by_space)
    return MethodResult(method, True, "", fit, tuple(placebos), sentence(method, fit, tuple(placebos)))
