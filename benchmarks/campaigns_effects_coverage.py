"""How often each campaign-effect estimator's 95 % interval holds the true effect, on simulated
panels with a known effect (tabyin.campaigns.effects.simulate), and how long one run takes.

    PYTHONPATH=src python benchmarks/campaigns_effects_coverage.py [seeds] [method ...]

Designs: the demo's 8 treated and 6 held-out provinces, 24 months, launch in month 15 (its, did;
synth: 8 campaign provinces and the other 23 as donors) or in months 9 and 19 with
effects that grow and differ by cohort (staggered, and the naive two-way fixed effects for
comparison). Placebo: the same with no effect at all (how often the interval wrongly excludes 0).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from threadpoolctl import threadpool_limits

from tabyin.campaigns.effects.did import fit_did
from tabyin.campaigns.effects.its import fit_its
from tabyin.campaigns.effects.panel import Design, prepare
from tabyin.campaigns.effects.report import Fit
from tabyin.campaigns.effects.staggered import fit_staggered
from tabyin.campaigns.effects.synth import fit_synth
from tabyin.campaigns.effects.validation import STAGGERED, single_launch, staggered_launch, true_att

METHODS: dict[str, Callable[[Design], Fit]] = {
    "its": fit_its,
    "did": fit_did,
    "staggered": fit_staggered,
    "twfe_staggered": fit_did,
    "synth": fit_synth,
}


def _sizes(method: str) -> dict[str, int]:
    # The synthetic control's design: all 31 provinces, 8 with the campaign, 23 donors.
    return {"treated": 8, "comparison": 23} if method == "synth" else {}


def run(method: str, seeds: int) -> None:
    covered = zero_rejected = 0
    errors: list[float] = []
    started = time.perf_counter()
    for seed in range(seeds):
        if method in {"staggered", "twfe_staggered"}:
            design_args, effect = staggered_launch(seed), true_att(STAGGERED)
        else:
            design_args, effect = single_launch(seed, **_sizes(method)), 10.0
        panel, treated, controls = design_args
        fit = METHODS[method](prepare(panel, treated, controls))
        covered += fit.ci_low <= effect <= fit.ci_high
        errors.append(fit.estimate - effect)
        if method in {"staggered", "twfe_staggered"}:
            null_panel = staggered_launch(seed + 10_000, effect=0.0)[0]
        else:
            null_panel = single_launch(seed + 10_000, **_sizes(method), effect=0.0)[0]
        null_fit = METHODS[method](prepare(null_panel, treated, controls))
        zero_rejected += not null_fit.covers_zero
    seconds = (time.perf_counter() - started) / (2 * seeds)
    bias = sum(errors) / len(errors)
    print(
        f"{method:15s} coverage {covered}/{seeds} = {covered / seeds:.0%}  mean error {bias:+.2f}  "
        f"false effect on null panels {zero_rejected}/{seeds}  {seconds:.2f} s a fit"
    )


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    with threadpool_limits(limits=1):  # as estimate() runs them
        for name in sys.argv[2:] or list(METHODS):
            run(name, count)
    print(f"(load average {os.getloadavg()[0]:.1f} at the end; one process: the load shows in the times)")
