"""Shapes of /api/v1/reports/ for the OpenAPI document (the tests hold the response to them)."""

from __future__ import annotations

from ninja import Field, Schema
from pydantic import ConfigDict


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class ReportCountOut(Strict):
    count: int | None = Field(description="Number of reports; null when suppressed.")
    suppressed: bool = Field(description="True when the count is below min_count and is not published.")


class ReportCountRowOut(ReportCountOut):
    key: str = Field(
        description='Category code, province ISO 3166-2 code ("" for headquarters or no single '
        "province), public status (received, in_progress, closed) or Jalali year."
    )
    name_fa: str
    name_en: str


class ReportMedianOut(Strict):
    days: float | None = Field(description="Median days from receipt to closing; null when suppressed.")
    suppressed: bool


class StatisticsOut(Strict):
    as_of: str = Field(
        description="ISO date of the last day counted: the end of the last complete Jalali month."
    )
    min_count: int = Field(description='Smaller counts are published only as "fewer than min_count".')
    rounded_to: int = Field(
        description="Every published count is rounded to the nearest multiple of this (halves up, never "
        "below min_count), so hidden counts cannot be worked out from the total and the others."
    )
    sample_data: bool = Field(description="True on a demonstration site: the figures are made up.")
    total: ReportCountOut
    closed: ReportCountOut
    median_days_to_close: ReportMedianOut
    by_category: list[ReportCountRowOut]
    by_province: list[ReportCountRowOut]
    by_status: list[ReportCountRowOut]
    by_year: list[ReportCountRowOut]
