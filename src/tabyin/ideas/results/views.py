"""Public results of a challenge (ranking, agreement, the inputs as JSON) and the trackers of
implemented ideas."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from tabyin.ideas.challenges.enums import Phase
from tabyin.ideas.challenges.views import challenge_base
from tabyin.ideas.judging import selectors as jury_selectors
from tabyin.ideas.jury import inputs
from tabyin.ideas.results import selectors

PUBLISHED = (Phase.RESULTS, Phase.IMPLEMENTATION)


def _published(request: HttpRequest, slug: str) -> dict[str, Any]:
    context = challenge_base(request, slug)
    if context["phase"] not in PUBLISHED:
        raise Http404
    return context


def results_page(request: HttpRequest, slug: str) -> HttpResponse:
    context = _published(request, slug)
    results = jury_selectors.jury_results(context["challenge"])
    context.update(results=results, rows=jury_selectors.ranking_rows(context["challenge"], results.ranked))
    return render(request, "ideas/results/results.html", context)


def results_json(request: HttpRequest, slug: str) -> JsonResponse:
    """Everything needed to recompute the ranking (``tabyin.ideas.jury.inputs``: rubric, every
    score with its juror's pseudonym, each entry's sending time, the tie rule), and our answer."""
    context = _published(request, slug)
    results = jury_selectors.jury_results(context["challenge"])
    icc = results.icc
    body = {
        "inputs": inputs.to_json(results.published),
        "ranking": inputs.ranking_to_json(results.ranked),
        "agreement": None
        if icc is None
        else {
            "form": icc.form,
            "value": icc.value,
            "ci_low": icc.ci_low,
            "ci_high": icc.ci_high,
            "confidence": icc.confidence,
            "n_entries": icc.n_entries,
            "n_jurors": icc.n_jurors,
        },
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def implemented(request: HttpRequest) -> HttpResponse:
    return render(request, "ideas/results/implemented.html", {"trackers": selectors.trackers()})


def tracker(request: HttpRequest, entry_id: int) -> HttpResponse:
    item = selectors.tracker(entry_id)
    if item is None:
        raise Http404
    return render(request, "ideas/results/tracker.html", {"track": item, "entry": item.entry})
