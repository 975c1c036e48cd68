"""Shapes of /api/v1/scorecards/ for the OpenAPI document.

The period endpoint sends ``selectors.export_period`` as it is: these classes describe it (and the
tests check that they do, field for field). Numbers that carry decimals are JSON strings with
ASCII digits ("72.50"), so that no client's floating point changes a published figure.
"""

from __future__ import annotations

from ninja import Field, Schema
from pydantic import ConfigDict

DecimalText = str | None  # a decimal number as text with ASCII digits, or null


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class ScorecardErrorDetail(Strict):
    code: str
    message: str
    message_fa: str
    parameter: str | None


class ScorecardErrorOut(Strict):
    error: ScorecardErrorDetail


class PeriodLink(Strict):
    period: str = Field(description="Period code: a Jalali year (1404), half (1404-H1) or quarter (1404-Q3).")
    kind: str = Field(description="year, half or quarter.")
    state: str = Field(description="published (the appeal window is open) or final.")
    published_at: str | None = Field(description="ISO time of publication.")
    framework: str
    framework_version: int
    url: str = Field(description="This period's results with every input (JSON).")
    page: str = Field(description="The period's page on the transparency site.")


class PeriodListOut(Strict):
    count: int
    results: list[PeriodLink]
    method: str = Field(description="The page that explains the method, with its formulas.")
    docs: str
    openapi: str


class BandOut(Strict):
    code: str
    min: int | float = Field(description="The lowest total in this band.")


class ScorecardIndicatorOut(Strict):
    code: str
    parent: str | None = Field(description="The main indicator's code; null for a main indicator.")
    name_fa: str
    name_en: str
    kind: str | None = Field(
        description="rate, count, duration, yes_no or rubric; null for a main indicator."
    )
    direction: str = Field(description="higher or lower (is better).")
    normalization: str = Field(description="scale, target or minmax.")
    denominator: str = Field(description="none, covered_100k or pr_staff (what a count is divided by).")
    target: DecimalText
    weight: DecimalText = Field(description="Weight within the parent (main indicators: in the total).")


class FrameworkOut(Strict):
    code: str
    version: int
    bands: list[BandOut]
    indicators: list[ScorecardIndicatorOut]


class MethodOut(Schema):
    draws: int = Field(description="Robustness draws (0: no rank intervals).")
    seed: int = Field(description="Seed of NumPy's default_rng (PCG64) for the draws.")
    weight_spread: float = Field(description="Each weight is multiplied by U(1 − spread, 1 + spread).")
    unstable_width: int = Field(description="An interval this many ranks wide or wider is unstable.")


class InputsOut(Strict):
    numerator: DecimalText = None
    denominator: DecimalText = None
    value: DecimalText = None
    covered_population: int | None = None
    pr_staff: DecimalText = None
    metric: str | None = Field(None, description="For platform-computed indicators: the metric's name.")


class ScoreOut(Strict):
    code: str
    status: str = Field(description="reported, not_reported or not_applicable.")
    measured: DecimalText = Field(description="The value in the indicator's unit, after any division.")
    score: DecimalText = Field(description="0–100, two decimals; null when not applicable.")
    corrected: bool = Field(description="HQ corrected the province's value (the correction is used).")
    inputs: InputsOut


class ProvinceOut(Strict):
    province: str = Field(description="ISO 3166-2 code, IR-00 … IR-30.")
    name_fa: str
    name_en: str
    peer_group: str = Field(description="large, medium or small.")
    total: DecimalText
    band: str
    rank: int | None
    peer_rank: int | None
    rank_low: int | None = Field(description="Best rank of the 5th–95th percentile interval.")
    rank_high: int | None = Field(description="Worst rank of the interval.")
    stable: bool
    flags: list[str] = Field(description="not_reported:<sub code>, excluded:<main code>.")
    main_scores: dict[str, DecimalText]
    indicators: list[ScoreOut]


class PeriodOut(Strict):
    period: str
    kind: str
    state: str
    published_at: str | None
    framework: FrameworkOut
    method: MethodOut
    computed_at: str
    inputs_sha256: str
    sample_data: bool = Field(description="True on a demonstration site: the figures are made up.")
    provinces: list[ProvinceOut]
