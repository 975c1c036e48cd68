"""What an estimate is handed back as: plain frozen dataclasses (no pandas), so a page, a PDF or
an API can show it without knowing how it was computed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

__all__ = ["Fit", "MethodName", "MethodResult", "Placebo", "EffectReport", "METHODS"]

MethodName = Literal["its", "did", "staggered", "synth"]
METHODS: tuple[MethodName, ...] = ("its", "did", "staggered", "synth")


@dataclass(frozen=True)
class Fit:
    """One estimator run: the average effect per treated province-month after launch, its 95 %
    interval, and the average treated path with the path the method says it would have taken."""

    estimate: float
    ci_low: float
    ci_high: float
    months: tuple[date, ...] = ()
    observed: tuple[float, ...] = ()
    counterfactual: tuple[float, ...] = ()
    diagnostics: dict[str, float] = field(default_factory=dict)

    @property
    def covers_zero(self) -> bool:
        return self.ci_low <= 0.0 <= self.ci_high


@dataclass(frozen=True)
class Placebo:
    """The same estimator where nothing happened: ``date`` moves the launch into the pre-period
    (real post months dropped); ``space`` treats comparison provinces as if they had the campaign."""

    kind: Literal["date", "space"]
    estimate: float
    ci_low: float
    ci_high: float
    detail: str

    @property
    def passed(self) -> bool:
        """No effect found where there is none (the interval holds zero)."""
        return self.ci_low <= 0.0 <= self.ci_high


@dataclass(frozen=True)
class MethodResult:
    method: MethodName
    available: bool
    reason: str = ""  # why not available, in Persian
    fit: Fit | None = None
    placebos: tuple[Placebo, ...] = ()
    sentence_fa: str = ""

    @property
    def estimate(self) -> float | None:
        return None if self.fit is None else self.fit.estimate

    @property
    def ci_low(self) -> float | None:
        return None if self.fit is None else self.fit.ci_low

    @property
    def ci_high(self) -> float | None:
        return None if self.fit is None else self.fit.ci_high


@dataclass(frozen=True)
class EffectReport:
    its: MethodResult
    did: MethodResult
    staggered: MethodResult
    synth: MethodResult
    treated: tuple[str, ...]
    held_out: tuple[str, ...]
    staggered_launch: bool
    seed: int

    def get(self, method: MethodName) -> MethodResult:
        result: MethodResult = getattr(self, method)
        return result
