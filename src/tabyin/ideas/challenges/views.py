"""Public pages of challenges: the list, one challenge (its sections follow its phase), the method."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tabyin.ideas.challenges import selectors
from tabyin.ideas.challenges.enums import Phase


def challenge_list(request: HttpRequest) -> HttpResponse:
    rows = [(c, selectors.phase_of(c)) for c in selectors.public_challenges()]
    return render(request, "ideas/challenges/list.html", {"rows": rows, "Phase": Phase})


def method(request: HttpRequest) -> HttpResponse:
    return render(request, "ideas/challenges/method.html")


def challenge_base(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The context every page of one challenge starts from (the entry pages extend it)."""
    challenge = selectors.challenge_by_slug(slug)
    if challenge is None:
        raise Http404
    return {
        "challenge": challenge,
        "phase": selectors.phase_of(challenge),
        "timeline": selectors.timeline(challenge),
        "Phase": Phase,
    }
