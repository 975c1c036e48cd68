"""A dataset read the way CKAN's DataStore reads a table: free text, several sort columns and
offset paging (CKAN clients page with ``offset``; /api/v1 pages by keyset instead)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from django.db.models import F, Q, QuerySet
from django.db.models.expressions import Combinable, OrderBy

from tabyin.core.persian_text import search_key
from tabyin.portal.models import Indicator, Observation
from tabyin.portal.opendata.selectors.filters import PERIOD_RE, normalise
from tabyin.portal.opendata.selectors.rows import DataRow, gap, rows_of

# CKAN DataStore column types (text, numeric, int, date, bool), "_id" first as CKAN has it.
FIELDS: Final = (
    ("_id", "int"),
    ("indicator", "text"),
    ("area", "text"),
    ("area_name_fa", "text"),
    ("area_name_en", "text"),
    ("period", "text"),
    ("period_start", "date"),
    ("value", "numeric"),
    ("numerator", "numeric"),
    ("denominator", "numeric"),
    ("status", "text"),
    ("suppressed", "bool"),
    ("release", "int"),
)


# Suppressed figures sort as gaps, so their place in the order cannot reveal them.
SORTABLE: Final[dict[str, Combinable]] = {
    "_id": F("id"),
    "indicator": F("indicator__code"),
    "area": F("area"),
    "period": F("period"),
    "period_start": F("period_start"),
    "value": gap("value"),
    "numerator": gap("numerator"),
    "denominator": gap("denominator"),
    "status": F("status"),
    "suppressed": F("suppressed"),
    "release": F("release__number"),
}


def text_match(
    qs: QuerySet[Observation], indicators: Sequence[Indicator], names: dict[str, tuple[str, str]], q: str
) -> QuerySet[Observation]:
    """Rows whose area (code or either name), indicator (code or names) or period matches ``q``,
    compared as search keys so that Persian spelling variants match."""
    key = search_key(q)
    if not key:
        return qs
    areas = [code for code, (fa, en) in names.items() if key in search_key(f"{code} {fa} {en}")]
    found = [i.pk for i in indicators if key in i.search_text or key in i.code]
    match = Q(area__in=areas) | Q(indicator_id__in=found)
    period = normalise(q)
    if PERIOD_RE.fullmatch(period):
        match |= Q(period=period)
    return qs.filter(match)


def slice_rows(
    qs: QuerySet[Observation],
    indicators: Sequence[Indicator],
    names: dict[str, tuple[str, str]],
    *,
    order: Sequence[tuple[str, bool]],
    offset: int,
    limit: int,
) -> list[DataRow]:
    """Rows ``offset`` to ``offset + limit`` in ``order`` (``(field, descending)``, fields from
    ``SORTABLE``), ties broken by id so that pages do not overlap."""
    annotations = {f"order_{n}": SORTABLE[name] for n, (name, _) in enumerate(order)}
    terms: list[OrderBy | str] = []
    for n, (_, descending) in enumerate(order):
        column = F(f"order_{n}")
        terms.append(column.desc(nulls_last=True) if descending else column.asc(nulls_last=True))
    terms.append("id")
    ordered = qs.annotate(**annotations, sort_key=F("id")).order_by(*terms)
    return list(rows_of(ordered[offset : offset + limit], indicators, names))
