"""The filter language shared by the API, the CKAN layer and the downloads.

Parameter values are normalised before they are checked: Persian and Arabic-Indic digits become
ASCII (people type ``۱۴۰۲-۰۱`` on Persian keyboards, and ``core.jalali`` accepts them too), area
codes are upper-cased and surrounding spaces are dropped. Anything that is still not valid is a
``DataQueryError``, which every interface turns into a 400 (or 404) with the same code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Final

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tabyin.core.api.problems import Problem
from tabyin.core.jalali import TEHRAN
from tabyin.core.persian_text import digits_to_ascii
from tabyin.portal.enums import FigureStatus

PERIOD_RE: Final = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
AREA_RE: Final = re.compile(r"IR(-[0-9]{2})?")
# A list parameter ("indicator=a,b") never needs more members than there are provinces and codes.
MAX_LIST: Final = 50


class DataQueryError(Exception):
    """A request the data interfaces refuse, with a stable machine code and both languages."""

    def __init__(
        self,
        code: str,
        message: str | Promise,
        parameter: str | None = None,
        *,
        status: int = 400,
        values: dict[str, object] | None = None,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.parameter = parameter
        self.status = status
        # Interpolated per language in text(): "lazy % values" would freeze the active language.
        self.values = values or {}

    def text(self, language: str) -> str:
        with translation.override(language):
            return str(self.message) % self.values if self.values else str(self.message)

    def as_problem(self) -> Problem:
        """The public API's problem (core turns it into RFC 9457 problem details), carrying the
        open-data error object it always had as an extension member."""
        error = {
            "code": self.code,
            "message": self.text("en"),
            "message_fa": self.text("fa"),
            "parameter": self.parameter,
        }
        return Problem(self.status, self.message, values=self.values, extra={"error": error})


def not_found(what: str | Promise, parameter: str | None = None) -> DataQueryError:
    return DataQueryError("not_found", what, parameter, status=404)


def normalise(value: str) -> str:
    return digits_to_ascii(value).strip()


def clean_period(value: str, parameter: str) -> str:
    period = normalise(value)
    if not PERIOD_RE.fullmatch(period):
        raise DataQueryError(
            "invalid_period",
            _("A period is a Jalali month written YYYY-MM with a month from 01 to 12, e.g. 1403-11."),
            parameter,
        )
    return period


def clean_area(value: str, parameter: str) -> str:
    area = normalise(value).upper()
    if not AREA_RE.fullmatch(area):
        raise DataQueryError(
            "invalid_area",
            _("An area is IR for the whole country or a province code from IR-00 to IR-30."),
            parameter,
        )
    return area


def clean_status(value: str, parameter: str) -> str:
    status = normalise(value).lower()
    if status not in FigureStatus.values:
        raise DataQueryError("invalid_status", _("The status is either provisional or final."), parameter)
    return status


def clean_code(value: str, parameter: str) -> str:
    code = normalise(value).lower()
    if not re.fullmatch(r"[-a-z0-9_]{1,100}", code):
        raise DataQueryError("invalid_code", _("This is not a valid code."), parameter)
    return code


def clean_list(value: str, parameter: str, clean: Callable[[str, str], str]) -> tuple[str, ...]:
    """``a,b,c`` → cleaned, de-duplicated members in the order given."""
    members = [part for part in value.split(",") if part.strip()]
    if not members:
        raise DataQueryError("empty_parameter", _("This parameter needs a value."), parameter)
    if len(members) > MAX_LIST:
        raise DataQueryError("too_many_values", _("Too many values in one parameter."), parameter)
    return tuple(dict.fromkeys(clean(part, parameter) for part in members))


def clean_int(value: str, parameter: str, *, minimum: int, maximum: int) -> int:
    text = normalise(value)
    # Only plain digits: int() would also take "1_000" and " +5", which no client means.
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        raise DataQueryError("invalid_integer", _("This parameter takes a whole number."), parameter)
    number = int(text)
    if number > maximum:
        message = _("This number is larger than the limit of %(limit)s.")
        raise DataQueryError("too_large", message, parameter, values={"limit": maximum})
    if number < minimum:
        message = _("This number is smaller than the minimum of %(limit)s.")
        raise DataQueryError("too_small", message, parameter, values={"limit": minimum})
    return number


def clean_since(value: str, parameter: str) -> datetime:
    """An ISO date or date-time; without an offset it is Tehran wall time, as everywhere here."""
    text = normalise(value)
    try:
        if len(text) == 10:  # a plain date means from the start of that day in Iran
            moment = datetime.combine(date.fromisoformat(text), time.min)
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        message = _("Give an ISO date or time, e.g. 2025-01-20 or 2025-01-20T08:30:00Z.")
        raise DataQueryError("invalid_datetime", message, parameter) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TEHRAN)
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class RowFilter:
    """Which published figures a table, page or aggregate covers. Empty means "all"."""

    indicators: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    period_gte: str | None = None
    period_lte: str | None = None
    status: str | None = None
    releases: tuple[int, ...] = ()  # release numbers (the CKAN datastore filters on them)

    def describe(self) -> list[tuple[str, str]]:
        """The filter as ``(parameter, value)`` pairs, for the "about" sheet of a download."""
        pairs = [
            ("indicator", ",".join(self.indicators)),
            ("area", ",".join(self.areas)),
            ("period", ",".join(self.periods)),
            ("period__gte", self.period_gte or ""),
            ("period__lte", self.period_lte or ""),
            ("status", self.status or ""),
            ("release", ",".join(map(str, self.releases))),
        ]
        return [(k, v) for k, v in pairs if v]


ROW_FILTER_PARAMETERS: Final = (
    "indicator",
    "area",
    "province",
    "period",
    "period__gte",
    "period__lte",
    "status",
)


def row_filter(params: dict[str, str]) -> RowFilter:
    """Build a ``RowFilter`` from already de-duplicated query parameters.

    ``province`` is an alias of ``area`` (it reads better in Persian clients); giving both is
    ambiguous and refused.
    """
    if "area" in params and "province" in params:
        message = _("Give either area or province, not both.")
        raise DataQueryError("conflicting_parameters", message, "province")
    area_name = "province" if "province" in params else "area"
    area = params.get(area_name)
    indicator = params.get("indicator")
    period, gte, lte = params.get("period"), params.get("period__gte"), params.get("period__lte")
    status = params.get("status")
    return RowFilter(
        indicators=clean_list(indicator, "indicator", clean_code) if indicator is not None else (),
        areas=clean_list(area, area_name, clean_area) if area is not None else (),
        periods=clean_list(period, "period", clean_period) if period is not None else (),
        period_gte=clean_period(gte, "period__gte") if gte is not None else None,
        period_lte=clean_period(lte, "period__lte") if lte is not None else None,
        status=clean_status(status, "status") if status is not None else None,
    )
