"""/api/v1/meetings/: public meetings for the mobile app (a django-ninja Router contributed to core's
public API; docs/modules/api.md): upcoming meetings, one meeting with its questions and
commitments, and registration in the web page's two steps — register (a one-time code goes by SMS
or e-mail) and confirm with the code — then its status, a new code, or cancelling.

The same services as the pages decide everything (seats, the waiting list, one registration per
contact in any spelling, the code's lifetime and tries). A registration is reached by its random
token, as the web's private page is; here it travels only in bodies and its answers are
``no-store``. Registering again with a contact already registered does not hand back the first
registration's token (409): a phone number is not a secret (the web page sends the registration's
link to that contact instead).
"""

# No "from __future__ import annotations": django-ninja reads these annotations at import.
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.params import functions as params
from pydantic import ConfigDict

from tabyin.core.api.fields import Text
from tabyin.core.api.problems import Problem, ProblemError, language
from tabyin.core.api.responses import json_response
from tabyin.core.notify import public as public_notify
from tabyin.reception.meetings import notify, selectors, services
from tabyin.reception.meetings.enums import RegistrationState
from tabyin.reception.meetings.models import Meeting, Registration

router = Router(tags=["meetings"])
PRIVATE = "no-store"
MEETING_ID = params.Path(..., ge=1, le=2**31 - 1)
_NO_REGISTRATION = {"404": {"description": "No registration opens with this token."}}


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class MeetingOut(_Strict):
    id: int
    title: str
    province: str = Field(description="ISO 3166-2 code of the province.")
    province_name: str
    audience: str = Field(description="pensioners, employers, workers, insured or public.")
    host: str
    place: str
    address: str
    starts_at: str = Field(description="ISO 8601.")
    ends_at: str
    topics: str
    state: str = Field(description="open (registration taken), closed, held or cancelled.")
    capacity: int
    seats_left: int
    waiting: int = Field(description="People on the waiting list.")


class MeetingQuestionOut(_Strict):
    id: int
    text: str = Field(description="Empty when hidden by a moderator.")
    votes: int
    hidden_reason: str = Field(description="Why a moderator hid it (empty when shown).")
    answer: str


class MeetingCommitmentOut(_Strict):
    text: str
    owner: str = Field(description="The unit responsible.")
    due: str = Field(description="ISO date.")
    status: str = Field(description="open, in_progress, done or dropped.")
    note: str
    done_on: str | None
    overdue: bool


class MeetingDetailOut(MeetingOut):
    questions: list[MeetingQuestionOut]
    commitments: list[MeetingCommitmentOut]


class MeetingRegisterIn(_Strict):
    name: Text = Field(min_length=1, max_length=120)
    kind: Literal["phone", "email"] = Field(description="phone (an Iranian mobile, by SMS) or email.")
    contact: Text = Field(min_length=1, max_length=254, description="Persian digits and spaces are fine.")


class MeetingRegistrationTokenIn(_Strict):
    token: Text = Field(min_length=1, max_length=64)


class MeetingConfirmIn(MeetingRegistrationTokenIn):
    code: Text = Field(min_length=1, max_length=20, description="The code sent by SMS or e-mail.")


class MeetingRegistrationOut(_Strict):
    token: str = Field(description="Keep it: it opens this registration; shown in every answer here.")
    meeting: int
    state: str = Field(description="pending (waiting for the code), confirmed, waitlisted or cancelled.")
    waiting_position: int | None = Field(description="The place on the waiting list, when waitlisted.")
    inbox_token: str | None = Field(
        description="Once the code is confirmed: opens this registration's notices at /api/v1/inbox/ "
        "(X-Inbox-Token; a seat freed, the reminder), where SMS, Bale or push can be chosen too. null "
        "while pending: whoever typed the contact is not yet known to own it."
    )


def _english(request: HttpRequest) -> bool:
    return language(request) == "en"


def _meeting_out(meeting: Meeting, english: bool) -> dict[str, Any]:
    confirmed = getattr(meeting, "confirmed", 0)
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "province": meeting.province.iso_code,
        "province_name": meeting.province.name_en if english else meeting.province.name_fa,
        "audience": meeting.audience,
        "host": meeting.host,
        "place": meeting.place,
        "address": meeting.address,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "topics": meeting.topics,
        "state": meeting.state,
        "capacity": meeting.capacity,
        "seats_left": max(meeting.capacity - confirmed, 0),
        "waiting": getattr(meeting, "waiting", 0),
    }


def _registration_out(registration: Registration) -> dict[str, Any]:
    waitlisted = registration.state == RegistrationState.WAITLISTED
    return {
        "token": registration.token,
        "meeting": registration.meeting_id,
        "state": registration.state,
        "waiting_position": selectors.waiting_position(registration) if waitlisted else None,
        "inbox_token": (
            public_notify.mailbox_token(app="meetings", ref=notify.ref_of(registration))
            if registration.confirmed_at is not None
            else None
        ),
    }


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = PRIVATE
    response["Referrer-Policy"] = "no-referrer"
    return response


def _registration(token: str) -> Registration:
    found = selectors.registration_by_token(token)
    if found is None:
        raise ProblemError(Problem(404, _("No registration opens with this token.")))
    return found


def _refused(error: ValidationError, *, field: str = "") -> ProblemError:
    """A service's refusal as a problem: a field at fault is a 422 naming it; a state that does
    not allow the step (closed, expired, too many tries) a 409."""
    code = getattr(error, "code", None) or ""
    message = " ".join(error.messages)
    if code in ("name", "contact", "code"):
        errors = [{"loc": ["body", field or code], "msg": message, "type": "invalid"}]
        return ProblemError(Problem(422, message, errors=errors))
    if code == "too_soon":
        return ProblemError(Problem(429, message, headers={"Retry-After": "60"}))
    return ProblemError(Problem(409, message))


@router.get("/", response={200: list[MeetingOut]}, url_name="meetings", summary="Upcoming public meetings")
def meetings(request: HttpRequest) -> list[dict[str, Any]]:
    english = _english(request)
    return [_meeting_out(m, english) for m in selectors.upcoming()]


@router.get(
    "/{meeting_id}",
    response={200: MeetingDetailOut},
    url_name="meeting",
    summary="A public meeting with its questions and commitments",
)
def meeting(request: HttpRequest, meeting_id: int = MEETING_ID) -> dict[str, Any]:
    found = selectors.public_meeting(meeting_id=meeting_id)
    if found is None:
        raise ProblemError(Problem(404, _("There is no public meeting with this number.")))
    english = _english(request)
    body = _meeting_out(found, english)
    body["questions"] = [
        {
            "id": q.pk,
            "text": "" if q.hidden else q.text,
            "votes": q.votes,
            "hidden_reason": q.hidden_reason if q.hidden else "",
            "answer": q.answer,
        }
        for q in selectors.questions(found)
    ]
    body["commitments"] = [
        {
            "text": row.commitment.text,
            "owner": row.commitment.owner.name_en if english else row.commitment.owner.name_fa,
            "due": row.commitment.due.isoformat(),
            "status": row.commitment.status,
            "note": row.commitment.note,
            "done_on": row.commitment.done_on.isoformat() if row.commitment.done_on else None,
            "overdue": row.overdue,
        }
        for row in selectors.public_commitments()
        if row.commitment.meeting_id == found.pk
    ]
    return body


@router.post(
    "/{meeting_id}/registrations",
    response={201: MeetingRegistrationOut},
    url_name="meeting-register",
    openapi_extra={
        "responses": {
            "404": {"description": "No public meeting with this number."},
            "409": {"description": "Registration is closed, or this contact is already registered."},
        }
    },
    summary="Register for a meeting (step 1): a one-time code goes to the phone or e-mail",
)
def meeting_register(
    request: HttpRequest, payload: MeetingRegisterIn, meeting_id: int = MEETING_ID
) -> HttpResponse:
    found = selectors.public_meeting(meeting_id=meeting_id)
    if found is None:
        raise ProblemError(Problem(404, _("There is no public meeting with this number.")))
    with translation.override(language(request)):
        try:
            registration = services.registration_start(
                meeting=found, name=payload.name, kind=payload.kind, contact=payload.contact
            )
        except services.AlreadyRegisteredError:
            raise ProblemError(
                Problem(409, _("This contact is already registered for this meeting."))
            ) from None
        except ValidationError as error:
            raise _refused(error) from None
    return _private(json_response(_registration_out(registration), status=201))


@router.post(
    "/registrations/confirm",
    response={200: MeetingRegistrationOut},
    url_name="registration-confirm",
    openapi_extra={
        "responses": {**_NO_REGISTRATION, "409": {"description": "The code expired or was tried too often."}}
    },
    summary="Confirm a registration with its code (step 2): a seat, or the waiting list when full",
)
def registration_confirm(request: HttpRequest, payload: MeetingConfirmIn) -> HttpResponse:
    registration = _registration(payload.token)
    with translation.override(language(request)):
        try:
            registration = services.registration_confirm(registration=registration, code=payload.code)
        except ValidationError as error:
            raise _refused(error, field="code") from None
    return _private(json_response(_registration_out(registration)))


@router.post(
    "/registrations/status",
    response={200: MeetingRegistrationOut},
    url_name="registration-status",
    openapi_extra={"responses": _NO_REGISTRATION},
    summary="A registration's state, opened with its token",
)
def registration_status(request: HttpRequest, payload: MeetingRegistrationTokenIn) -> HttpResponse:
    return _private(json_response(_registration_out(_registration(payload.token))))


@router.post(
    "/registrations/resend",
    response={200: MeetingRegistrationOut},
    url_name="registration-resend",
    openapi_extra={
        "responses": {**_NO_REGISTRATION, "409": {"description": "This registration needs no code."}}
    },
    summary="Send a new code (at most one a minute)",
)
def registration_resend(request: HttpRequest, payload: MeetingRegistrationTokenIn) -> HttpResponse:
    registration = _registration(payload.token)
    with translation.override(language(request)):
        try:
            services.registration_resend(registration=registration)
        except ValidationError as error:
            raise _refused(error) from None
    return _private(json_response(_registration_out(registration)))


@router.post(
    "/registrations/cancel",
    response={200: MeetingRegistrationOut},
    url_name="registration-cancel",
    openapi_extra={"responses": _NO_REGISTRATION},
    summary="Cancel a registration; a freed seat goes to the first person waiting",
)
def registration_cancel(request: HttpRequest, payload: MeetingRegistrationTokenIn) -> HttpResponse:
    registration = _registration(payload.token)
    services.registration_cancel(registration=registration)
    registration.refresh_from_db()
    return _private(json_response(_registration_out(registration)))
