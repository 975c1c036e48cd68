"""/api/v1/polls/: read a public poll and answer it from the mobile app (a django-ninja Router
contributed to core's public API; see docs/modules/api.md).

The web page counts one answer per browser by a signed cookie; the app sends its own random
``device`` token instead (one per installation), kept apart from the web's tokens and from other
client apps' by the client's id. Answering is a write: it needs the client app's key.
"""

# No "from __future__ import annotations": django-ninja reads these annotations at import.
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.params import functions as params
from pydantic import ConfigDict

from tabyin.core.api.problems import Problem, ProblemError, language
from tabyin.core.api.responses import json_response
from tabyin.core.api.security import client_of
from tabyin.reception.polls import selectors, services
from tabyin.reception.polls.enums import PollState

router = Router(tags=["polls"])
# A database integer: a larger number is a 422, not an overflow in the query.
POLL_ID = params.Path(..., ge=1, le=2**31 - 1)


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class PollQuestionOut(_Strict):
    field: str = Field(description="The answer's key in `answers` (q1, q2, …).")
    kind: str = Field(description="choice (answer the option's index), clarity (1 to 5) or open (text).")
    text: str
    choices: list[str]


class PollOut(_Strict):
    id: int
    title: str
    state: str = Field(description="open (answers taken) or closed.")
    questions: list[PollQuestionOut]


class PollAnswerIn(_Strict):
    device: str = Field(
        min_length=16, max_length=40, pattern=r"^[A-Za-z0-9_-]+$",
        description="A random token the app keeps for this installation: one answer per poll each.",
    )  # fmt: skip
    answers: dict[str, str] = Field(description="Question field → answer (see PollQuestionOut).")
    province: str = Field(default="", max_length=8, description="ISO 3166-2 code of a province, or empty.")


class PollAnsweredOut(_Strict):
    stored: bool


def _poll(poll_id: int) -> Any:
    poll = selectors.public_poll(poll_id=poll_id)
    if poll is None:
        raise ProblemError(Problem(404, _("There is no public poll with this number.")))
    return poll


@router.get("/{poll_id}", response={200: PollOut}, url_name="poll", summary="A public poll and its questions")
def poll(request: HttpRequest, poll_id: int = POLL_ID) -> dict[str, Any]:
    found = _poll(poll_id)
    return {
        "id": found.pk,
        "title": found.title,
        "state": found.state,
        "questions": [
            {"field": services.question_field(q), "kind": q.kind, "text": q.text, "choices": list(q.choices)}
            for q in found.questions.all()
        ],
    }


@router.post(
    "/{poll_id}/answers",
    response={201: PollAnsweredOut},
    url_name="answer",
    summary="Answer a poll, once per device",
    openapi_extra={
        "responses": {
            "404": {"description": "No public poll with this number."},
            "409": {"description": "This device already answered, or the poll is closed."},
        }
    },
)
def answer(request: HttpRequest, payload: PollAnswerIn, poll_id: int = POLL_ID) -> HttpResponse:
    found = _poll(poll_id)
    client = client_of(request)
    assert client is not None  # the write's auth (a client key) ran first
    token = f"api{client.pk}-{payload.device}"
    with translation.override(language(request)):
        if found.state != PollState.OPEN:
            raise ProblemError(Problem(409, _("This poll is closed: it takes no more answers.")))
        try:
            services.response_submit(
                poll=found, token=token, answers=dict(payload.answers), province_iso=payload.province
            )
        except services.PollNotOpenError:
            raise ProblemError(Problem(409, _("This poll is closed: it takes no more answers."))) from None
        except services.AlreadyAnsweredError:
            raise ProblemError(Problem(409, _("This device has already answered this poll."))) from None
        except ValidationError as invalid:
            found_errors = (
                invalid.message_dict.items()
                if hasattr(invalid, "error_dict")
                else [("answers", invalid.messages)]
            )
            errors = [
                {"loc": ["body", "answers", field], "msg": str(message), "type": "invalid"}
                for field, messages in found_errors
                for message in messages
            ]
            raise ProblemError(
                Problem(422, _("Nothing was counted: correct the answers listed in errors."), errors=errors)
            ) from None
    return json_response({"stored": True}, status=201)
