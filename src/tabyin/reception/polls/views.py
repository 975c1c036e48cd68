"""Pages of comprehension polls: the public poll (no account, no JavaScript) and the staff's list,
new poll, results and open/close. Thin: the services and selectors decide."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Final

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import add_service_errors, staff_user
from tabyin.core.scoping import scope_for
from tabyin.reception.polls import permissions, selectors, services
from tabyin.reception.polls.enums import OPEN_ANSWER_LIMIT, PollState
from tabyin.reception.polls.forms import AnswerForm, PollForm, valid_answers
from tabyin.reception.polls.models import Poll

COOKIE_SALT: Final = "tabyin.reception.polls"
COOKIE_AGE: Final = 2 * 365 * 24 * 3600


def cookie_name(poll: Poll) -> str:
    return f"tabyin_poll_{poll.pk}"


def _token(request: HttpRequest, poll: Poll) -> str | None:
    """The token of this browser's signed cookie; a missing, tampered or foreign one is ``None``."""
    value: str | None = request.get_signed_cookie(cookie_name(poll), default=None, salt=COOKIE_SALT)
    return value


@require_http_methods(["GET", "POST"])
def poll_page(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = selectors.public_poll(poll_id=poll_id)
    if poll is None:
        raise Http404
    token = _token(request, poll)
    kept = selectors.response_for_token(poll=poll, token=token) if token else None
    form = AnswerForm(request.POST or None, poll=poll)
    context: dict[str, object] = {"poll": poll, "form": form, "kept": kept, "limit": OPEN_ANSWER_LIMIT}
    if request.method != "POST" or kept is not None or poll.state != PollState.OPEN:
        context["refused"] = request.method == "POST"
        return render(
            request, "reception/polls/poll.html", context, status=409 if context["refused"] else 200
        )
    if not form.is_valid():
        return render(request, "reception/polls/poll.html", context, status=400)
    new_token = token or secrets.token_urlsafe(24)
    try:
        services.response_submit(
            poll=poll, token=new_token, answers=form.answers(), province_iso=form.cleaned_data["province"]
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return render(request, "reception/polls/poll.html", context, status=400)
    except services.AlreadyAnsweredError as refusal:
        context.update(kept=refusal.kept, refused=True)
        return render(request, "reception/polls/poll.html", context, status=409)
    except services.PollNotOpenError:
        context["refused"] = True
        return render(request, "reception/polls/poll.html", context, status=409)
    return _answered(poll, new_token)


def _answered(poll: Poll, token: str) -> HttpResponse:
    """The answer is stored: to the thanks page, with this browser's signed cookie."""
    response = redirect("reception:poll-thanks", poll_id=poll.pk)
    response.set_signed_cookie(
        cookie_name(poll), token, salt=COOKIE_SALT, max_age=COOKIE_AGE, httponly=True, samesite="Lax"
    )
    return response


def answer_directly(
    request: HttpRequest, poll_id: int, stored: Callable[[], None] = lambda: None
) -> HttpResponse | None:
    """``poll_page``'s POST when it ends in the redirect, for ``fast.PollAnswers`` (the poll's
    answers ahead of the full middleware chain): the same reads, form, service and response.
    ``None``, with nothing stored, whenever the page would answer otherwise (a closed or unknown
    poll, a browser that already answered, an invalid form, a refusal by the service): the full
    stack then answers the same request as before, errors and Persian messages included.
    ``stored`` is called once the answer is committed."""
    poll = selectors.public_poll(poll_id=poll_id)
    if poll is None or poll.state != PollState.OPEN:
        return None
    token = _token(request, poll)
    if token and selectors.response_for_token(poll=poll, token=token) is not None:
        return None
    cleaned = valid_answers(request.POST, poll)
    if cleaned is None:
        return None
    province = cleaned.pop("province")
    new_token = token or secrets.token_urlsafe(24)
    try:
        services.response_submit(poll=poll, token=new_token, answers=cleaned, province_iso=province)
    except (ValidationError, services.AlreadyAnsweredError, services.PollNotOpenError):
        return None
    stored()
    return _answered(poll, new_token)


def poll_thanks(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = selectors.public_poll(poll_id=poll_id)
    if poll is None:
        raise Http404
    token = _token(request, poll)
    kept = selectors.response_for_token(poll=poll, token=token) if token else None
    return render(request, "reception/polls/thanks.html", {"poll": poll, "kept": kept})


@staff_required
@require_http_methods(["GET", "POST"])
def poll_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    polls = selectors.polls_for(user=user)
    manage = permissions.can_manage(scope_for(user))
    form = PollForm(request.POST or None) if manage else None
    if request.method == "POST":
        permissions.require(manage)
        assert form is not None
        if form.is_valid():
            try:
                poll = services.poll_create(
                    actor=user,
                    title=form.cleaned_data["title"],
                    target_path=form.cleaned_data["target_path"],
                    target_title=form.cleaned_data["target_title"],
                    questions=form.questions(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The poll was created as a draft; open it when it is ready."))
                return redirect("reception:staff-poll", poll_id=poll.pk)
        status = 400
    else:
        status = 200
    clarity = selectors.site_clarity(user=user, today=timezone.localdate())
    context = {"polls": polls, "form": form, "clarity": clarity, "clarity_days": selectors.CLARITY_DAYS}
    return render(request, "reception/polls/staff_list.html", context, status=status)


@staff_required
def poll_results(request: HttpRequest, poll_id: int) -> HttpResponse:
    user = staff_user(request)
    poll = get_object_or_404(selectors.polls_for(user=user).prefetch_related("questions"), pk=poll_id)
    results = selectors.poll_results(user=user, poll=poll, no_province=_("Province not given"))
    context = {"results": results, "poll": poll, "manage": permissions.can_manage(scope_for(user))}
    return render(request, "reception/polls/staff_results.html", context)


@staff_required
@require_POST
def poll_state(request: HttpRequest, poll_id: int) -> HttpResponse:
    user = staff_user(request)
    poll = get_object_or_404(selectors.polls_for(user=user), pk=poll_id)
    try:
        services.poll_set_state(actor=user, poll=poll, state=request.POST.get("state", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The poll is open.") if poll.state == PollState.OPEN else _("The poll is closed.")
        )
    return redirect("reception:staff-poll", poll_id=poll.pk)


@staff_required
@require_POST
def poll_send(request: HttpRequest, poll_id: int) -> HttpResponse:
    user = staff_user(request)
    poll = get_object_or_404(selectors.polls_for(user=user), pk=poll_id)
    try:
        draft = services.poll_send(actor=user, poll=poll)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reception:staff-poll", poll_id=poll.pk)
    messages.success(request, _("The poll's link waits as a draft for a senior manager's approval."))
    return redirect(draft)
