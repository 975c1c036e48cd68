"""Public results of a challenge (ranking, agreement, the inputs as JSON) and the trackers of
implemented ideas."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from tabyin.ideas.challenges.enums import Phase
from tabyin.ideas.challenges.views import challenge_base
from tabyin.ideas.judging import selectors as jury_selectors
from tabyin.ideas.results import selectors

PUBLISHED = (Phase.RESULTS, Phase.IMPLEMENTATION)


def _published(request: HttpRequest, slug: str) -> dict[str, Any]:
    context = challenge_base(request, slug)
    if context["phase"] not in PUBLISHED:
        raise Http404
    return context


def results_page(request: HttpRequest, slug: str) -> HttpResponse:
    context = _published(request, slug)
    challenge = context["challenge"]
    results = jury_selectors.jury_results(challenge)
    titles = dict(challenge.entries.values_list("pk", "title"))
    context.update(results=results, rows=[(r, titles.get(int(r.entry_id), "")) for r in results.ranked])
    return render(request, "ideas/results/results.html", context)


def results_json(request: HttpRequest, slug: str) -> JsonResponse:
    """Everything needed to recompute the ranking: rubric, every score (jurors by number), the
    supports used to break ties, and our figures."""
    context = _published(request, slug)
    results = jury_selectors.jury_results(context["challenge"])
    body = {
        "method": "per-juror standardization of weighted totals, averaged per entry",
        "tie_rule": "higher normalized score; then more public supports; then the lower entry id",
        "criteria": [{"key": c.key, "weight": c.weight, "max": c.max_value} for c in results.criteria],
        "scores": [
            {"juror": s.juror_id, "entry": s.entry_id, "criterion": s.criterion, "value": s.value}
            for s in results.inputs
        ],
        "supports": results.supports,
        "normalized": results.normalized,
        "ranking": [r.entry_id for r in results.ranked],
        "icc": None
        if results.icc is None
        else {
            "value": results.icc.value,
            "ci_low": results.icc.ci_low,
            "ci_high": results.icc.ci_high,
            "n_entries": results.icc.n_entries,
            "n_jurors": results.icc.n_jurors,
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
