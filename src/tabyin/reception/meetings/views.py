"""Public pages of meetings: the list of upcoming meetings with every commitment and its status, a
meeting's page (register, ask, vote) and a registration's own page (code, status, cancel). No
account and no JavaScript; a registration is reached by the random address it was given."""

from __future__ import annotations

import secrets
from typing import Any, Final

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tabyin.core.http import add_service_errors, page_language
from tabyin.core.notify import web_public
from tabyin.reception.meetings import maps, notify, selectors, services
from tabyin.reception.meetings.enums import MeetingState
from tabyin.reception.meetings.forms import CodeForm, QuestionForm, RegisterForm
from tabyin.reception.meetings.models import Meeting, MeetingQuestion

VOTER_COOKIE: Final = "tabyin_meeting_voter"
VOTER_SALT: Final = "tabyin.reception.meetings"
VOTER_AGE: Final = 365 * 24 * 3600
PRIVATE: Final = "no-store"


def meetings_index(request: HttpRequest) -> HttpResponse:
    meetings = selectors.upcoming()
    provinces = maps.by_province(meetings)
    context = {
        "meetings": meetings,
        "commitments": selectors.public_commitments(),
        "provinces": provinces,
        "map": maps.index_map(provinces, language=page_language()),
    }
    return render(request, "reception/meetings/index.html", context)


def _meeting(meeting_id: int) -> Meeting:
    meeting = selectors.public_meeting(meeting_id=meeting_id)
    if meeting is None:
        raise Http404
    return meeting


def _page(
    request: HttpRequest, meeting: Meeting, *, register: RegisterForm, ask: QuestionForm, status: int = 200
) -> HttpResponse:
    context = {
        "meeting": meeting,
        "seats": selectors.seats(meeting),
        "map": maps.meeting_map(meeting, language=page_language()),
        "questions": selectors.questions(meeting),
        "register": register,
        "ask": ask,
        "open": meeting.state == MeetingState.OPEN,
        "asking": meeting.state in (MeetingState.OPEN, MeetingState.CLOSED),
        "commitments": [
            row for row in selectors.public_commitments() if row.commitment.meeting_id == meeting.pk
        ],
    }
    return render(request, "reception/meetings/meeting.html", context, status=status)


def meeting_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _page(request, _meeting(meeting_id), register=RegisterForm(), ask=QuestionForm())


@require_POST
def meeting_register(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(meeting_id)
    form = RegisterForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_start(
                meeting=meeting, name=data["name"], kind=data["kind"], contact=data["contact"]
            )
        except services.AlreadyRegisteredError as already:
            # Never the registration itself: whoever typed the contact may not own it.
            link = request.build_absolute_uri(
                reverse("reception:meeting-registration", kwargs={"token": already.registration.token})
            )
            services.registration_send_link(registration=already.registration, link=link)
            messages.info(
                request,
                _(
                    "This phone number or e-mail is already registered for this meeting. The link to "
                    "the registration has been sent to it."
                ),
            )
            return redirect("reception:meeting", meeting_id=meeting.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("reception:meeting-registration", token=registration.token)
    return _page(request, meeting, register=form, ask=QuestionForm(), status=400)


@require_POST
def meeting_ask(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(meeting_id)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_ask(meeting=meeting, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your question was added; others can now vote it up."))
            return redirect("reception:meeting", meeting_id=meeting.pk)
    return _page(request, meeting, register=RegisterForm(), ask=form, status=400)


@require_POST
def question_vote(request: HttpRequest, meeting_id: int, question_id: int) -> HttpResponse:
    meeting = _meeting(meeting_id)
    question = get_object_or_404(MeetingQuestion, pk=question_id, meeting=meeting, hidden=False)
    token: str | None = request.get_signed_cookie(VOTER_COOKIE, default=None, salt=VOTER_SALT)
    token = token or secrets.token_urlsafe(24)
    if services.question_vote(question=question, token=token):
        messages.success(request, _("Your vote was counted."))
    else:
        messages.info(request, _("This browser had already voted for this question; it is counted once."))
    response = redirect(f"{request.path.rsplit('questions/', 1)[0]}#q-{question.pk}")
    response.set_signed_cookie(
        VOTER_COOKIE, token, salt=VOTER_SALT, max_age=VOTER_AGE, httponly=True, samesite="Lax"
    )
    return response


@require_http_methods(["GET", "POST"])
def registration_page(request: HttpRequest, token: str) -> HttpResponse:
    registration = selectors.registration_by_token(token)
    if registration is None:
        raise Http404
    form = CodeForm(request.POST if request.POST.get("action") == "confirm" else None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm" and form.is_valid():
                registration = services.registration_confirm(
                    registration=registration, code=form.cleaned_data["code"]
                )
            elif action == "resend":
                services.registration_resend(registration=registration)
                messages.success(request, _("A new code was sent."))
            elif action == "cancel":
                services.registration_cancel(registration=registration)
                messages.success(
                    request, _("Your registration was cancelled; your seat goes to the next person waiting.")
                )
            if action != "confirm" or form.is_valid():
                return redirect("reception:meeting-registration", token=token)
        except ValidationError as error:
            if action == "confirm":
                add_service_errors(form, error)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("reception:meeting-registration", token=token)
        status = 400
    registration.refresh_from_db()
    context: dict[str, Any] = {
        "registration": registration,
        "meeting": registration.meeting,
        "form": form,
        "position": selectors.waiting_position(registration) if registration.state == "waitlisted" else None,
    }
    if registration.confirmed_at is not None:  # the code proved the contact: what they were told
        context |= web_public.page_notices(app="meetings", ref=notify.ref_of(registration))
    response = render(request, "reception/meetings/registration.html", context, status=status)
    response["Cache-Control"] = PRIVATE  # one person's page: never kept by a browser or a proxy
    response["X-Robots-Tag"] = "noindex"
    return response
