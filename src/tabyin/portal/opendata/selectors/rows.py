"""Published observations read as the rows of an open table, for downloads and the APIs.

Rows are read with ``values_list`` (no model instances): an export of a whole dataset is tens of
thousands of rows and must stream in constant memory. Indicator codes and decimals come from the
indicators the caller already loaded, so the row query joins nothing but the release number.

A suppressed figure is published as a gap: value, numerator and denominator are all ``None``
(the numerator alone could reveal a small count), and sorting by value treats it as a gap too,
so its position in a sorted page does not leak it either.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, NamedTuple

from django.db.models import Case, Count, DecimalField, F, Min, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext_lazy as _

from tabyin.core.selectors import provinces
from tabyin.portal.enums import NATIONAL, Kind
from tabyin.portal.models import Indicator, Observation
from tabyin.portal.opendata.selectors.filters import DataQueryError, RowFilter

# The columns of every published table, in order (CSV header, XLSX header, Table Schema fields).
COLUMNS: Final = (
    "indicator",
    "area",
    "area_name_fa",
    "area_name_en",
    "period",
    "period_start",
    "value",
    "numerator",
    "denominator",
    "status",
    "suppressed",
    "release",
)
# Data values, not interface text: both languages always appear, side by side, in every file.
NATIONAL_NAMES: Final = ("کل کشور", "Whole country")


class DataRow(NamedTuple):
    indicator: str
    area: str
    area_name_fa: str
    area_name_en: str
    period: str
    period_start: date
    value: Decimal | None  # rounded to the indicator's decimals
    numerator: Decimal | None
    denominator: Decimal | None
    status: str
    suppressed: bool
    release: int
    # Not columns: what writers and the keyset cursor need besides the published values.
    decimals: int
    id: int
    key: object


def area_names() -> dict[str, tuple[str, str]]:
    """``{"IR-23": ("تهران", "Tehran"), ...}``: one query, through core's public selector."""
    names = {NATIONAL: NATIONAL_NAMES}
    for iso_code, name_fa, name_en in provinces().values_list("iso_code", "name_fa", "name_en"):
        names[iso_code] = (name_fa, name_en)
    return names


def round_value(value: Decimal | None, decimals: int) -> Decimal | None:
    """Half-up, as official statistics are rounded (Decimal's default, half-even, is not)."""
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def observations(indicators: Sequence[Indicator], flt: RowFilter) -> QuerySet[Observation]:
    """Published figures of ``indicators`` (one dataset's, usually) narrowed by ``flt``.

    An indicator code in the filter that is not among ``indicators`` is an error, not an empty
    table: a typo must not look like "no data".
    """
    known = {i.code: i.pk for i in indicators}
    unknown = [code for code in flt.indicators if code not in known]
    if unknown:
        raise DataQueryError(
            "unknown_indicator", _("This dataset has no indicator with that code."), "indicator"
        )
    ids = [known[code] for code in flt.indicators] if flt.indicators else list(known.values())
    qs = Observation.objects.filter(indicator_id__in=ids)
    if flt.areas:
        qs = qs.filter(area__in=flt.areas)
    if flt.periods:
        qs = qs.filter(period__in=flt.periods)
    if flt.period_gte:
        qs = qs.filter(period__gte=flt.period_gte)
    if flt.period_lte:
        qs = qs.filter(period__lte=flt.period_lte)
    if flt.status:
        qs = qs.filter(status=flt.status)
    if flt.releases:
        qs = qs.filter(release__number__in=flt.releases)
    return qs


_ROW_FIELDS: Final = (
    "id",
    "indicator_id",
    "area",
    "period",
    "period_start",
    "value",
    "numerator",
    "denominator",
    "status",
    "suppressed",
    "release__number",
    "sort_key",
)


def gap(field: str) -> Case:
    """``field``, or NULL for a suppressed figure: what sorting may see of a published figure."""
    return Case(
        When(suppressed=True, then=Value(None)),
        default=F(field),
        output_field=DecimalField(max_digits=24, decimal_places=4),
    )


_VALUE_OR_GAP = gap("value")


def _rows(
    qs: QuerySet[Observation],
    indicators: Sequence[Indicator],
    names: dict[str, tuple[str, str]],
    *,
    chunk_size: int | None,
) -> Iterator[DataRow]:
    by_id = {i.pk: i for i in indicators}
    values = qs.values_list(*_ROW_FIELDS)
    source = values.iterator(chunk_size=chunk_size) if chunk_size else iter(values)
    for pk, indicator_id, area, period, start, value, num, den, status, suppressed, release, key in source:
        indicator = by_id[indicator_id]
        fa, en = names.get(area, ("", ""))
        shown = not suppressed
        yield DataRow(
            indicator.code,
            area,
            fa,
            en,
            period,
            start,
            round_value(value, indicator.decimals) if shown else None,
            num if shown else None,
            den if shown else None,
            status,
            suppressed,
            release,
            indicator.decimals,
            pk,
            key,
        )


def rows_of(
    qs: QuerySet[Observation], indicators: Sequence[Indicator], names: dict[str, tuple[str, str]]
) -> Iterator[DataRow]:
    """Rows of an already ordered (and sliced) queryset that carries a ``sort_key`` annotation."""
    return _rows(qs, indicators, names, chunk_size=None)


def table_rows(
    qs: QuerySet[Observation],
    indicators: Sequence[Indicator],
    names: dict[str, tuple[str, str]],
    *,
    chunk_size: int = 2000,
) -> Iterator[DataRow]:
    """Every row of ``qs`` in the order of the unique index (indicator, area, period), streamed."""
    ordered = qs.annotate(sort_key=F("id")).order_by("indicator_id", "area", "period")
    return _rows(ordered, indicators, names, chunk_size=chunk_size)


@dataclass(frozen=True)
class Sort:
    field: str
    descending: bool
    nullable: bool = False


SORTS: Final = {
    "period": Sort("period", descending=False),
    "-period": Sort("period", descending=True),
    "area": Sort("area", descending=False),
    "-area": Sort("area", descending=True),
    "value": Sort("value", descending=False, nullable=True),
    "-value": Sort("value", descending=True, nullable=True),
}


def parse_sort_key(sort: str, key: object) -> object:
    """Check a key read back from a client's cursor; ``ValueError`` if it cannot be one of ours."""
    spec = SORTS[sort]
    if spec.field == "value":
        if key is None:
            return None
        if not isinstance(key, str):
            raise ValueError("value key must be a decimal string")
        number = Decimal(key)  # raises decimal.InvalidOperation, a ValueError subclass
        if not number.is_finite() or abs(number) >= Decimal(10) ** 20:
            raise ValueError("value key out of range")
        return number
    if not isinstance(key, str) or len(key) > 7:
        raise ValueError("text key expected")
    return key


def dump_sort_key(key: object) -> object:
    return str(key) if isinstance(key, Decimal) else key


def rows_page(
    qs: QuerySet[Observation],
    indicators: Sequence[Indicator],
    names: dict[str, tuple[str, str]],
    *,
    sort: str,
    after: tuple[object, int] | None,
    size: int,
) -> tuple[list[DataRow], tuple[object, int] | None]:
    """One page in ``sort`` order after the ``(key, id)`` position; the position of the next page.

    Keyset paging: the page starts with a WHERE on the sort key and the id, never an OFFSET, so
    page 1,000 costs what page 1 costs and a row published meanwhile shifts nothing. Gaps
    (suppressed or missing values) come last in both value orders.
    """
    spec = SORTS[sort]
    key = _VALUE_OR_GAP if spec.field == "value" else F(spec.field)
    qs = qs.annotate(sort_key=key)
    op = "lt" if spec.descending else "gt"
    if after is not None:
        last_key, last_id = after
        if last_key is None:
            qs = qs.filter(Q(sort_key__isnull=True) & Q(**{f"id__{op}": last_id}))
        else:
            later = Q(**{f"sort_key__{op}": last_key}) | Q(sort_key=last_key, **{f"id__{op}": last_id})
            if spec.nullable:
                later |= Q(sort_key__isnull=True)
            qs = qs.filter(later)
    by_key = F("sort_key")
    order: OrderBy = by_key.desc(nulls_last=True) if spec.descending else by_key.asc(nulls_last=True)
    qs = qs.order_by(order, "-id" if spec.descending else "id")
    rows = list(_rows(qs[: size + 1], indicators, names, chunk_size=None))
    if len(rows) <= size:
        return rows, None
    last = rows[size - 1]
    return rows[:size], (last.key, last.id)


@dataclass(frozen=True)
class Aggregate:
    group: str
    start: date  # first day of the group's earliest period
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    rows: int
    suppressed: int


def aggregates(indicator: Indicator, flt: RowFilter, *, by: str) -> list[Aggregate]:
    """Sums per area or per period. A rate is recomputed from the summed numerator and
    denominator (× factor), never averaged: an average of provincial rates weighs a small
    province like a large one.

    By period, the national rows are left out unless ``flt`` names areas, so that provinces are
    not added to their own national total. Suppressed figures are counted but never summed.
    """
    if by not in ("area", "period"):
        raise DataQueryError("invalid_group", _("Group by area or by period."), "by")
    qs = observations([indicator], flt)
    if by == "period" and not flt.areas:
        qs = qs.exclude(area=NATIONAL)
    shown = Q(suppressed=False)
    grouped = (
        qs.values(by)
        .annotate(
            num=Sum("numerator", filter=shown),
            den=Sum("denominator", filter=shown),
            total=Sum("value", filter=shown),
            n=Count("id"),
            start=Min("period_start"),
            hidden=Count("id", filter=Q(suppressed=True)),
        )
        .order_by(by)
    )
    result = []
    for group in grouped:
        num, den = group["num"], group["den"]
        if indicator.kind == Kind.RATE:
            value = num / den * indicator.factor if num is not None and den else None
        else:
            value = group["total"]
        rounded = round_value(value, indicator.decimals)
        result.append(Aggregate(group[by], group["start"], rounded, num, den, group["n"], group["hidden"]))
    return result
