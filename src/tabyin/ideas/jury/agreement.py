"""How far jurors agree: the intraclass correlation ICC(1), one-way random effects, single rater.

Each entry is rated by a few of many jurors, different jurors for different entries, so juror
effects cannot be separated from error: the one-way model (Shrout & Fleiss 1979, case 1) is the
one that fits; ICC(2) and ICC(3) need every juror to rate every entry. It is computed on the raw
rubric totals (severity differences count as disagreement; normalization is what corrects them).
With unequal numbers of jurors per entry the ANOVA estimator uses k₀ = (N − Σnᵢ²/N)/(n − 1)
(n entries, N ratings); with equal numbers k₀ is that number. Entries with one rating add nothing
and are left out. The confidence interval is the F-distribution one:
F = MSB/MSW, F_L = F / F_{1−α/2}(n−1, N−n), F_U = F × F_{1−α/2}(N−n, n−1),
bound = (F_x − 1) / (F_x + k₀ − 1).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scipy.stats import f as f_distribution

from tabyin.ideas.jury.normalize import rubric_totals
from tabyin.ideas.jury.types import Criterion, JuryError, Score

FORM = "ICC(1)"


class AgreementError(JuryError):
    """Too few ratings for an agreement figure."""


@dataclass(frozen=True, slots=True)
class IccResult:
    value: float
    ci_low: float
    ci_high: float
    n_entries: int  # entries with at least two ratings (the ones used)
    n_jurors: int
    confidence: float = 0.95
    form: str = FORM


def icc(scores: Iterable[Score], criteria: Sequence[Criterion], confidence: float = 0.95) -> IccResult:
    groups: defaultdict[str, list[float]] = defaultdict(list)
    jurors_of: defaultdict[str, list[str]] = defaultdict(list)
    for (juror_id, entry_id), total in rubric_totals(scores, criteria).items():
        groups[entry_id].append(total)
        jurors_of[entry_id].append(juror_id)
    used = sorted(e for e, values in groups.items() if len(values) >= 2)
    n = len(used)
    big_n = sum(len(groups[e]) for e in used)
    if n < 2:
        raise AgreementError(
            "برای ضریب توافق دست‌کم دو ورودی با دو داور لازم است",
            "ICC needs at least two entries with two ratings each",
        )
    grand = math.fsum(v for e in used for v in groups[e]) / big_n
    means = {e: math.fsum(groups[e]) / len(groups[e]) for e in used}
    ssb = math.fsum(len(groups[e]) * (means[e] - grand) ** 2 for e in used)
    ssw = math.fsum((v - means[e]) ** 2 for e in used for v in groups[e])
    df_b, df_w = n - 1, big_n - n
    msb, msw = ssb / df_b, ssw / df_w
    k0 = (big_n - sum(len(groups[e]) ** 2 for e in used) / big_n) / df_b
    n_jurors = len({j for e in used for j in jurors_of[e]})
    if msw == 0:  # every juror of an entry gave the same total: perfect agreement
        return IccResult(1.0, 1.0, 1.0, n, n_jurors, confidence)
    value = (msb - msw) / (msb + (k0 - 1) * msw)
    f_obs = msb / msw
    tail = 1 - (1 - confidence) / 2
    f_low = f_obs / float(f_distribution.ppf(tail, df_b, df_w))
    f_high = f_obs * float(f_distribution.ppf(tail, df_w, df_b))
    return IccResult(
        value,
        (f_low - 1) / (f_low + k0 - 1),
        (f_high - 1) / (f_high + k0 - 1),
        n,
        n_jurors,
        confidence,
    )
