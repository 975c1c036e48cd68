"""/api/v1/scorecards/: the published results of the provincial PR scorecard, with every input.

A Router contributed to core's public API through the registry (``contrib``), mounted at
/api/v1/scorecards/ with its routes named ``scorecard-api-v1:<name>``; the one OpenAPI document is
/api/v1/openapi.json (/api/v1/scorecards/openapi.json and …/docs redirect to it and to /api/v1/docs).

Only published and final periods exist here: any other code is the same 404 as an unknown one.
Conventions are the portal's: ASCII digits, ISO times, errors as the API's problems (RFC 9457)
carrying ``{"error": {"code", "message", "message_fa", "parameter"}}`` as an extension member.
Decimals are strings so that a recomputation (see the method page) starts from exactly the
published figures.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from ninja import Router

from tabyin.core.api.problems import Problem
from tabyin.core.api.problems import response as problem_response
from tabyin.core.api.responses import json_response
from tabyin.core.persian_text import digits_to_ascii
from tabyin.scorecard import selectors
from tabyin.scorecard.api import schemas as s

router = Router()


def site_url(request: HttpRequest, route: str, /, *args: object, **kwargs: object) -> str:
    """Absolute address in the default language: the response must not depend on the client's
    Accept-Language (the ETag is the URL)."""
    with translation.override(settings.LANGUAGE_CODE):
        return request.build_absolute_uri(reverse(route, args=args or None, kwargs=kwargs or None))


def _error(
    request: HttpRequest, code: str, message: Promise, parameter: str | None, status: int
) -> HttpResponse:
    with translation.override("en"):
        english = str(message)
    with translation.override("fa"):
        persian = str(message)
    error = {"code": code, "message": english, "message_fa": persian, "parameter": parameter}
    return problem_response(request, Problem(status, message, extra={"error": error}))


@router.get(
    "/",
    response={200: s.PeriodListOut},
    url_name="periods",
    summary="The published periods",
    tags=["scorecards"],
)
def periods(request: HttpRequest) -> dict[str, Any]:
    """Every published or final period, newest first, with the addresses of its results (JSON)
    and of its page on the transparency site."""
    results = [
        {
            "period": p.code,
            "kind": p.kind,
            "state": p.state,
            "published_at": p.published_at.isoformat() if p.published_at else None,
            "framework": p.framework.code,
            "framework_version": p.framework.version,
            "url": site_url(request, "scorecard-api-v1:period", period=p.code),
            "page": site_url(request, "scorecard:public-period", p.code),
        }
        for p in selectors.public_periods()
    ]
    return {
        "count": len(results),
        "results": results,
        "method": site_url(request, "scorecard:public-method"),
        "docs": site_url(request, "scorecard-api-v1-docs"),
        "openapi": site_url(request, "scorecard-api-v1:openapi-json"),
    }


@router.get(
    "/{period}/",
    response={200: s.PeriodOut, 404: s.ScorecardErrorOut},
    url_name="period",
    summary="One period's results with every input",
    tags=["scorecards"],
)
def period(request: HttpRequest, period: str) -> HttpResponse:
    """The framework version (indicators, weights, targets, bands), the method's parameters and
    seed, and for each province: total, band, rank, rank in its peer group, rank interval,
    flags, main-indicator scores and every sub-indicator's status, raw inputs, measured value
    and score — enough to recompute every total, rank and band. Persian digits in the code are
    accepted."""
    code = digits_to_ascii(period).strip().upper()
    found = selectors.period_by_code(code) if len(code) <= 16 else None
    if found is None or found.state not in selectors.PUBLIC_STATES or selectors.current_run(found) is None:
        return _error(request, "not_found", _("No published scorecard has this period code."), "period", 404)
    # Sent as export_period builds it (the schema above documents it; the tests hold them equal).
    return json_response(selectors.export_period(found))
