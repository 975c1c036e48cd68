"""Shapes of /api/v1: the query parameters each endpoint takes and the JSON it returns.

Query parameters are all declared as text: selectors_data checks and normalises them (Persian
digits, case) the same way for the API, CKAN and the downloads, and the field aliases here are
also the list of accepted names (anything else is a 400). Numbers in responses are JSON numbers;
dates and times are ISO strings; Jalali periods are ``YYYY-MM`` strings.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

type Number = int | float | None

PERIOD_HELP = "Jalali month YYYY-MM (01–12); Persian digits are accepted."


def accepted(schema: type[Schema]) -> set[str]:
    return {field.alias or name for name, field in schema.model_fields.items()}


class PageQuery(Schema):
    size: str | None = Field(None, alias="_size", description="Rows per page, 1–1000 (default 100).")
    after: str | None = Field(
        None, alias="_after", description="Opaque cursor from the previous page's `next`."
    )


class DatasetsQuery(Schema):
    q: str | None = Field(None, description="Words to find in titles, descriptions and keywords (fa or en).")
    theme: str | None = Field(None, description="Only datasets of this theme code.")


class RowsQuery(PageQuery):
    indicator: str | None = Field(None, description="Indicator code(s), comma-separated.")
    area: str | None = Field(None, description="Area code(s), comma-separated: IR or IR-00 … IR-30.")
    province: str | None = Field(None, description="Alias of `area`.")
    period: str | None = Field(None, description="Period(s), comma-separated. " + PERIOD_HELP)
    period__gte: str | None = Field(None, description="From this period on. " + PERIOD_HELP)
    period__lte: str | None = Field(None, description="Up to this period. " + PERIOD_HELP)
    status: str | None = Field(None, description="provisional or final.")
    sort: str | None = Field(
        None,
        alias="_sort",
        description="One of period, -period, value, -value, area, -area (default period).",
    )


class AggregatesQuery(Schema):
    by: str | None = Field(None, description="area or period (required).")
    indicator: str | None = Field(None, description="Indicator code (required).")
    area: str | None = Field(None, description="Area code(s), comma-separated.")
    province: str | None = Field(None, description="Alias of `area`.")
    period: str | None = Field(None, description="Period(s), comma-separated. " + PERIOD_HELP)
    period__gte: str | None = Field(None, description=PERIOD_HELP)
    period__lte: str | None = Field(None, description=PERIOD_HELP)
    status: str | None = Field(None, description="provisional or final.")


class IndicatorsQuery(Schema):
    dataset: str | None = Field(None, description="Only indicators of this dataset.")
    theme: str | None = Field(None, description="Only indicators of this theme code.")


class ExplanationsQuery(PageQuery):
    indicator: str | None = Field(None, description="Indicator code(s), comma-separated.")
    area: str | None = Field(None, description="Area code; explanations for every area are included.")
    period: str | None = Field(None, description="Period; explanations for every period are included.")
    kind: str | None = Field(None, description="strength, weakness or caveat.")


class RevisionsQuery(PageQuery):
    indicator: str | None = Field(None, description="Indicator code(s), comma-separated.")
    dataset: str | None = Field(None, description="Only revisions of this dataset.")
    since: str | None = Field(None, description="ISO date or time; without an offset, Tehran time.")


class ErrorDetail(Schema):
    code: str
    message: str
    message_fa: str
    parameter: str | None


class ErrorOut(Schema):
    error: ErrorDetail


class ThemeOut(Schema):
    code: str
    name_fa: str
    name_en: str


class LicenceOut(Schema):
    id: str
    title: str
    url: str


class DatasetOut(Schema):
    slug: str
    title_fa: str
    title_en: str
    description_fa: str
    description_en: str
    theme: ThemeOut
    license: LicenceOut
    keywords: list[str]
    indicators: list[str]
    first_period: str | None
    latest_period: str | None
    latest_release: int | None
    modified: str = Field(description="ISO time of the last published release, or of the last edit.")
    links: dict[str, str]


class ThemeFacet(ThemeOut):
    count: int


class DatasetListOut(Schema):
    count: int
    results: list[DatasetOut]
    facets: dict[str, list[ThemeFacet]]


class IndicatorOut(Schema):
    code: str
    dataset: str
    theme: str
    name_fa: str
    name_en: str
    kind: str
    unit_fa: str
    unit_en: str
    what_fa: str
    what_en: str
    why_fa: str
    why_en: str
    how_to_read_fa: str
    how_to_read_en: str
    numerator_fa: str
    numerator_en: str
    denominator_fa: str
    denominator_en: str
    factor: int
    decimals: int
    direction: str
    frequency: str
    source_fa: str
    source_en: str
    source_url: str
    suppress_below: int | None
    first_period: str | None
    latest_period: str | None
    links: dict[str, str]


class ReleaseOut(Schema):
    number: int
    status: str
    published_at: str | None
    period_first: str | None
    period_last: str | None
    is_correction: bool
    reason: str
    note: str
    row_count: int


class DatasetDetailOut(DatasetOut):
    indicators: list[IndicatorOut]  # type: ignore[assignment]  # the detail embeds them in full
    releases: list[ReleaseOut]


class RowOut(Schema):
    indicator: str
    area: str
    area_name_fa: str
    area_name_en: str
    period: str
    period_start: str
    value: Number
    numerator: Number
    denominator: Number
    status: str
    suppressed: bool
    release: int


class RowsOut(Schema):
    dataset: str
    sort: str
    size: int
    next: str | None = Field(description="Absolute address of the next page; null on the last one.")
    results: list[RowOut]


class AggregateOut(Schema):
    area: str | None
    area_name_fa: str | None
    area_name_en: str | None
    period: str | None
    period_start: str | None
    value: Number
    numerator: Number
    denominator: Number
    rows: int
    suppressed_rows: int


class AggregatesOut(Schema):
    dataset: str
    indicator: str
    kind: str
    factor: int
    decimals: int
    by: str
    results: list[AggregateOut]


class ExplanationOut(Schema):
    id: int
    thread: int
    version: int
    indicator: str
    area: str | None
    period: str | None
    kind: str
    title_fa: str
    title_en: str
    body_fa: str
    body_en: str
    action_fa: str
    action_en: str
    evidence: list[dict[str, Any]]
    published_at: str | None


class ExplanationsOut(Schema):
    next: str | None
    results: list[ExplanationOut]


class RevisionOut(Schema):
    id: int
    dataset: str
    indicator: str
    area: str
    period: str
    period_start: str
    old_value: Number
    new_value: Number
    old_status: str
    new_status: str
    reason: str
    release: int
    created_at: str


class RevisionsOut(Schema):
    next: str | None
    results: list[RevisionOut]
