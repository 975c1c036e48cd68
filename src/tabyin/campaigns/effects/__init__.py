"""What a campaign changed: estimators of its effect on a monthly outcome per province (issue 19).

A pure package: pandas, statsmodels, ``differences`` (Callaway–Sant'Anna) and ``pysyncon``
(synthetic control), no Django (the managers' page draws the chart from the stored report).
See ``docs/modules/campaigns-effects.md`` and ADR 0025.

    report = estimate(panel, treated={"IR-23": date(2025, 3, 1)}, held_out=["IR-07"], seed=0)
    report.did.estimate, report.did.ci_low, report.did.ci_high, report.did.sentence_fa
"""

from tabyin.campaigns.effects.estimate import estimate
from tabyin.campaigns.effects.holdout import balance, past_trends, suggest_holdout
from tabyin.campaigns.effects.panel import PanelError
from tabyin.campaigns.effects.report import EffectReport, Fit, MethodResult, Placebo

__all__ = [
    "EffectReport",
    "Fit",
    "MethodResult",
    "PanelError",
    "Placebo",
    "balance",
    "estimate",
    "past_trends",
    "suggest_holdout",
]
