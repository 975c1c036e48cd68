"""Staff pages of meetings: the list with a new-meeting form, and a meeting's page (seats, the
list at the door, questions, commitments, state). Only for provinces the person covers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tabyin.core import selectors as core_selectors
from tabyin.core.decorators import staff_required
from tabyin.core.http import add_service_errors, staff_user
from tabyin.core.scoping import restrict, scope_for
from tabyin.reception.meetings import selectors, services
from tabyin.reception.meetings.enums import MeetingState
from tabyin.reception.meetings.forms import (
    CommitmentForm,
    CommitmentStatusForm,
    HeldForm,
    HideForm,
    MeetingForm,
)
from tabyin.reception.meetings.models import Commitment, MeetingQuestion


@staff_required
@require_http_methods(["GET", "POST"])
def staff_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    meetings = selectors.staff_meetings(user=user)
    provinces = restrict(core_selectors.provinces(), scope_for(user), province_field="pk")
    form = MeetingForm(request.POST or None, provinces=provinces)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                meeting = services.meeting_create(
                    actor=user, province=form.cleaned_data["province"], spec=form.spec()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The meeting was saved as a draft; open registration when it is ready.")
                )
                return redirect("reception:staff-meeting", meeting_id=meeting.pk)
        status = 400
    return render(
        request, "reception/meetings/staff_list.html", {"meetings": meetings, "form": form}, status=status
    )


@staff_required
def staff_meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = staff_user(request)
    meeting = get_object_or_404(selectors.staff_meetings(user=user), pk=meeting_id)
    context = {
        "meeting": meeting,
        "seats": selectors.seats(meeting),
        "attendees": selectors.attendees(meeting),
        "questions": selectors.questions(meeting),
        "commitments": list(meeting.commitments.select_related("owner")),
        "commitment_form": CommitmentForm(),
        "status_form": CommitmentStatusForm(),
        "held_form": HeldForm(),
        "hide_form": HideForm(),
        "states": MeetingState,
    }
    return render(request, "reception/meetings/staff_meeting.html", context)


def _back(meeting_id: int) -> HttpResponse:
    return redirect("reception:staff-meeting", meeting_id=meeting_id)


@staff_required
@require_POST
def staff_meeting_state(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = staff_user(request)
    meeting = get_object_or_404(selectors.staff_meetings(user=user), pk=meeting_id)
    held = HeldForm(request.POST) if request.POST.get("state") == MeetingState.HELD else None
    attendance = held.cleaned_data["attendance"] if held is not None and held.is_valid() else None
    try:
        services.meeting_set_state(
            actor=user, meeting=meeting, state=request.POST.get("state", ""), attendance=attendance
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The meeting's state was changed."))
    return _back(meeting.pk)


@staff_required
@require_POST
def staff_commitment_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = staff_user(request)
    meeting = get_object_or_404(selectors.staff_meetings(user=user), pk=meeting_id)
    form = CommitmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(meeting.pk)
    data = form.cleaned_data
    try:
        services.commitment_add(
            actor=user, meeting=meeting, text=data["text"], owner=data["owner"], due=data["due"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The commitment is now public with its status."))
    return _back(meeting.pk)


@staff_required
@require_POST
def staff_commitment_update(request: HttpRequest, meeting_id: int, commitment_id: int) -> HttpResponse:
    user = staff_user(request)
    meeting = get_object_or_404(selectors.staff_meetings(user=user), pk=meeting_id)
    commitment = get_object_or_404(Commitment, pk=commitment_id, meeting=meeting)
    form = CommitmentStatusForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_update(
                actor=user,
                commitment=commitment,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The commitment's status was changed."))
    return _back(meeting.pk)


@staff_required
@require_POST
def staff_question_hide(request: HttpRequest, meeting_id: int, question_id: int) -> HttpResponse:
    user = staff_user(request)
    meeting = get_object_or_404(selectors.staff_meetings(user=user), pk=meeting_id)
    question = get_object_or_404(MeetingQuestion, pk=question_id, meeting=meeting)
    try:
        services.question_hide(actor=user, question=question, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(meeting.pk)
