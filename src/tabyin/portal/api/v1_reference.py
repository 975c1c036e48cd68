"""/api/v1 reference endpoints: indicators, explanations and revisions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from tabyin.portal.api import schemas as s
from tabyin.portal.api.pages import id_after, id_next
from tabyin.portal.api.params import page_size, query_params
from tabyin.portal.api.serialize import explanation_out, indicator_out, revision_out
from tabyin.portal.opendata.selectors import catalogue
from tabyin.portal.opendata.selectors.filters import (
    clean_area,
    clean_code,
    clean_list,
    clean_period,
    clean_since,
    normalise,
)

router = Router()
ERRORS = {400: s.ErrorOut, 404: s.ErrorOut}


@router.get("/indicators", response={200: list[s.IndicatorOut], 400: s.ErrorOut}, url_name="indicators",
            tags=["indicators"])  # fmt: skip
def indicators(request: HttpRequest, query: Query[s.IndicatorsQuery]) -> list[dict[str, Any]]:
    """Every indicator: what it measures, why it matters, how to read it, unit, decimals, source."""
    params = query_params(request, s.accepted(s.IndicatorsQuery))
    dataset = clean_code(params["dataset"], "dataset") if "dataset" in params else None
    theme = clean_code(params["theme"], "theme") if "theme" in params else None
    found = catalogue.indicators(dataset_slug=dataset, theme=theme)
    ranges = catalogue.period_ranges()
    return [indicator_out(request, ind, ranges) for ind in found]


@router.get("/indicators/{code}", response={200: s.IndicatorOut, **ERRORS}, url_name="indicator",
            tags=["indicators"])  # fmt: skip
def indicator(request: HttpRequest, code: str) -> dict[str, Any]:
    query_params(request, ())
    ind = catalogue.indicator(code)
    return indicator_out(request, ind, catalogue.period_ranges([ind.pk]))


@router.get("/explanations", response={200: s.ExplanationsOut, 400: s.ErrorOut}, url_name="explanations",
            tags=["explanations"])  # fmt: skip
def explanations(request: HttpRequest, query: Query[s.ExplanationsQuery]) -> dict[str, Any]:
    """Published explanations (strengths, weaknesses, caveats), newest first, in pages.

    Asking for an area or a period also returns the explanations written for every area or every
    period, because they explain that figure too."""
    params = query_params(request, s.accepted(s.ExplanationsQuery))
    codes = clean_list(params["indicator"], "indicator", clean_code) if "indicator" in params else ()
    items, last = catalogue.explanations(
        indicator_codes=codes,
        area=clean_area(params["area"], "area") if "area" in params else None,
        period=clean_period(params["period"], "period") if "period" in params else None,
        kind=normalise(params["kind"]).lower() if "kind" in params else None,
        after=id_after(params),
        size=page_size(params),
    )
    return {"next": id_next(request, last), "results": [explanation_out(e) for e in items]}


@router.get("/revisions", response={200: s.RevisionsOut, 400: s.ErrorOut}, url_name="revisions",
            tags=["revisions"])  # fmt: skip
def revisions(request: HttpRequest, query: Query[s.RevisionsQuery]) -> dict[str, Any]:
    """Published figures that a later release changed, with the old and new value and the
    reason, newest first, in pages."""
    params = query_params(request, s.accepted(s.RevisionsQuery))
    codes = clean_list(params["indicator"], "indicator", clean_code) if "indicator" in params else ()
    items, last = catalogue.revisions(
        indicator_codes=codes,
        dataset_slug=clean_code(params["dataset"], "dataset") if "dataset" in params else None,
        since=clean_since(params["since"], "since") if "since" in params else None,
        after=id_after(params),
        size=page_size(params),
    )
    return {"next": id_next(request, last), "results": [revision_out(r) for r in items]}
