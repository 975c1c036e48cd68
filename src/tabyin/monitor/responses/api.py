"""/api/v1/clarifications/: the organization's published answers to rumors, and the tipline for
the mobile app (a django-ninja Router contributed to core's public API; docs/modules/api.md).

The same services as the public pages: ``services_tips.tip_submit`` checks and rate-limits a tip
(per sender and hour, and for the whole site) and feeds it into the pipeline. The web form counts
a sender by their browser session; the app sends its own random ``device`` token instead, kept
apart from other client apps' by the client's id. Nothing about the sender's address is read (core's
middleware removes it before any view). Sending a tip answers with a status token, which the app
sends back in a body (never in an address) to follow the tip; those answers are ``no-store``.
"""

# No "from __future__ import annotations": django-ninja reads these annotations at import.
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.params import functions as params
from pydantic import ConfigDict

from tabyin.core.api.fields import Text
from tabyin.core.api.problems import Problem, ProblemError, language
from tabyin.core.api.responses import json_response
from tabyin.core.api.security import client_of
from tabyin.core.notify import public as public_notify
from tabyin.monitor.models import Response
from tabyin.monitor.responses import selectors, services_publish, services_tips, tip_tokens

router = Router(tags=["clarifications"])
PER_PAGE = 20
PRIVATE = "no-store"
CLARIFICATION_ID = params.Path(..., ge=1, le=2**31 - 1)
PAGE = params.Query(1, ge=1, le=100_000)


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class ClarificationOut(_Strict):
    id: int
    title: str = Field(description="The answer's title.")
    body: str = Field(description="The answer, plain text with line breaks.")
    claim: str = Field(description="The claim (rumor) it answers, as first seen.")
    claim_first_seen_at: str = Field(description="When the claim was first published (ISO 8601).")
    published_at: str = Field(description="When the answer was published (ISO 8601).")
    url: str = Field(description="The answer's page on the public site.")


class ClarificationPageOut(_Strict):
    count: int
    page: int
    pages: int
    results: list[ClarificationOut]


class TipIn(_Strict):
    device: Text = Field(
        min_length=16, max_length=40, pattern=r"^[A-Za-z0-9_-]+$",
        description="A random token the app keeps for this installation: tips are counted per device.",
    )  # fmt: skip
    text: Text = Field(max_length=services_tips.TEXT_MAX, description="The item the sender asks about.")
    link: Text = Field(
        default="", max_length=services_tips.LINK_MAX, description="Where it was seen (http/https)."
    )
    contact: Text = Field(
        default="",
        max_length=254,
        description="An e-mail address to be told once of the answer, then erased.",
    )


class TipTokenOut(_Strict):
    token: str = Field(description="Send it to tips/status to follow this tip; shown this once.")


class TipTokenIn(_Strict):
    token: Text = Field(min_length=1, max_length=200)


class TipStatusOut(_Strict):
    status: str = Field(description="received (being looked at), answered or closed (no answer will come).")
    received_at: str
    clarification: ClarificationOut | None = Field(description="The published answer, once there is one.")
    inbox_token: str = Field(
        description="Opens this tip's notices at /api/v1/inbox/ (X-Inbox-Token): poll it to hear of the "
        "answer without sending the status token again; it also sets SMS, Bale or push for them."
    )


def _clarification(found: Response) -> dict[str, Any]:
    return {
        "id": found.pk,
        "title": found.title,
        "body": found.body,
        "claim": found.story.title,
        "claim_first_seen_at": found.story.first_published_at.isoformat(),
        "published_at": found.published_at.isoformat() if found.published_at else "",
        "url": services_publish.public_url(found),
    }


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = PRIVATE
    response["Referrer-Policy"] = "no-referrer"
    return response


@router.get(
    "/",
    response={200: ClarificationPageOut},
    url_name="clarifications",
    summary="Published answers to rumors, newest first, 20 a page",
)
def clarifications(request: HttpRequest, page: int = PAGE) -> dict[str, Any]:
    paginator = Paginator(selectors.clarifications_public(), PER_PAGE)
    found = paginator.get_page(page)  # past the last page: the last page, as on the site
    return {
        "count": paginator.count,
        "page": found.number,
        "pages": paginator.num_pages,
        "results": [_clarification(answer) for answer in found.object_list],
    }


@router.get(
    "/{int:clarification_id}",
    response={200: ClarificationOut},
    url_name="clarification",
    summary="One published answer",
)
def clarification(request: HttpRequest, clarification_id: int = CLARIFICATION_ID) -> dict[str, Any]:
    found = selectors.clarification_public(clarification_id)
    if found is None:
        raise ProblemError(Problem(404, _("There is no published clarification with this number.")))
    return _clarification(found)


@router.post(
    "/tips",
    response={201: TipTokenOut},
    url_name="tip-submit",
    summary="Ask whether an item is true (the tipline); the answer holds a status token",
)
def tip_submit(request: HttpRequest, payload: TipIn) -> HttpResponse:
    """Counted per device and hour and for the whole site, as the web form is (429 past either)."""
    client = client_of(request)
    assert client is not None  # the write's auth (a client key) ran first
    with translation.override(language(request)):
        try:
            tip = services_tips.tip_submit(
                text=payload.text,
                link=payload.link,
                contact=payload.contact,
                session_key=f"api{client.pk}-{payload.device}",
            )
        except ValidationError as invalid:
            errors = [
                {"loc": ["body", name], "msg": str(message), "type": "invalid"}
                for name, messages in invalid.message_dict.items()
                for message in messages
            ]
            raise ProblemError(
                Problem(422, _("Nothing was sent: correct the fields listed in errors."), errors=errors)
            ) from None
        except services_tips.TooManyTipsError as refused:
            detail = (
                _("The tipline has received very many items in the last hour. Please try again later.")
                if refused.site_wide
                else _("You have sent many items in the last hour. Please try again later.")
            )
            raise ProblemError(Problem(429, detail, headers={"Retry-After": "3600"})) from None
    return _private(json_response({"token": tip_tokens.token_for(tip)}, status=201))


@router.post(
    "/tips/status",
    response={200: TipStatusOut},
    url_name="tip-status",
    openapi_extra={"responses": {"404": {"description": "No tip opens with this token."}}},
    summary="Follow a tip with its status token (sent in the body, never in the address)",
)
def tip_status(request: HttpRequest, payload: TipTokenIn) -> HttpResponse:
    tip_id = tip_tokens.tip_id_of(payload.token)
    state = tip_tokens.tip_state_of(tip_id) if tip_id is not None else None
    if tip_id is None or state is None:
        raise ProblemError(Problem(404, _("No tip opens with this token.")))
    body = {
        "status": state.status,
        "received_at": state.received_at.isoformat(),
        "clarification": _clarification(state.answer) if state.answer is not None else None,
        # The token proved the tip is theirs: the same mailbox the answer is told to (ADR 0040).
        "inbox_token": public_notify.mailbox_token(app="monitor", ref=f"tip-{tip_id}"),
    }
    return _private(json_response(body))
