"""Public pages of challenges (the list, one challenge whose sections follow its phase, the method)
and the organizer's pages to write, edit and publish one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import add_service_errors, staff_user
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.ideas import permissions
from tabyin.ideas.challenges import selectors, services
from tabyin.ideas.challenges.enums import Phase
from tabyin.ideas.challenges.forms import ChallengeForm
from tabyin.ideas.challenges.models import Challenge


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


def _organizer(request: HttpRequest) -> User:
    user = staff_user(request)
    permissions.require(permissions.can_organize(scope_for(user)))
    return user


@staff_required
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest) -> HttpResponse:
    """The organizer writes a new challenge; it is saved as a draft."""
    return _edit(request, None)


@staff_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _edit(request, get_object_or_404(Challenge, slug=slug))


def _edit(request: HttpRequest, challenge: Challenge | None) -> HttpResponse:
    user = _organizer(request)
    form = ChallengeForm(request.POST or None, challenge=challenge)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = services.challenge_save(actor=user, data=form.challenge_data(), challenge=challenge)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The challenge was saved."))
                return redirect("ideas:staff-edit", slug=saved.slug)
    context = {"form": form, "challenge": challenge}
    return render(request, "ideas/challenges/edit.html", context, status=status)


@staff_required
@require_POST
def staff_publish(request: HttpRequest, slug: str) -> HttpResponse:
    user = _organizer(request)
    challenge = get_object_or_404(Challenge, slug=slug)
    try:
        services.challenge_publish(actor=user, challenge=challenge)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The challenge is public now."))
    return redirect("ideas:staff-edit", slug=slug)
