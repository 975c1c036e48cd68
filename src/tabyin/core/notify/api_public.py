"""/api/v1/inbox/: the in-app inbox of notices to the public, which the web page and the mobile app
poll, and the person's own choice of outside channels (ADR 0040).

Every operation is opened by the mailbox token the app handed the person (``X-Inbox-Token``), which
opens that one mailbox and no other; there is no listing of mailboxes. The token is the authority,
so these writes take no client key (the web page makes them too). Every answer is ``no-store``.
"""

# No "from __future__ import annotations": django-ninja reads these annotations at import.
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from ninja import Field, Router, Schema
from ninja.params import functions as params
from pydantic import ConfigDict

from tabyin.core import sms
from tabyin.core.api.problems import Problem, ProblemError
from tabyin.core.api.responses import json_response
from tabyin.core.models_public import PublicMailbox
from tabyin.core.notify import channels, push_target
from tabyin.core.notify import public as services

router = Router(tags=["inbox"])
TOKEN: Any = params.Header(
    ..., alias="X-Inbox-Token", min_length=1, max_length=80,
    description="The mailbox token the app gave with the receipt or registration (tbi_…).",
)  # fmt: skip


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class NoticeOut(_Strict):
    id: int
    title: str
    body: str
    url: str
    at: str = Field(description="When it was told (ISO 8601).")
    read: bool


class InboxOut(_Strict):
    notices: list[NoticeOut]
    unread: int
    channels: list[str] = Field(description="Outside channels this server can send on: sms, bale, push.")
    chosen: list[str] = Field(description="Those the person chose, among them.")
    push_key: str = Field(description="The VAPID public key to subscribe with; empty when push is off.")


class ContactIn(_Strict):
    phone: str = Field(
        default="", max_length=40,
        description="An Iranian mobile number in any spelling (Persian digits too); empty forgets it.",
    )  # fmt: skip
    sms: bool = False
    bale: bool = False


class PushKeysIn(_Strict):
    p256dh: str = Field(min_length=1, max_length=200)
    auth: str = Field(min_length=1, max_length=100)


class PushIn(_Strict):
    endpoint: str = Field(
        min_length=8, max_length=1000,
        description="The push service's https address: port 443, a public host name (no IP address, "
        "no localhost or local network name); anything else is a 422 problem.",
    )  # fmt: skip
    keys: PushKeysIn


class DoneOut(_Strict):
    done: bool


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _mailbox(token: str) -> PublicMailbox:
    found = services.mailbox_for_token(token)
    if found is None:
        raise ProblemError(Problem(401, _("This inbox token opens no inbox.")))
    return found


def _inbox(mailbox: PublicMailbox) -> dict[str, Any]:
    notices = services.inbox(mailbox)
    ready = sorted(channels.configured())
    return {
        "notices": [
            {
                "id": n.pk,
                "title": n.title,
                "body": n.body,
                "url": n.url,
                "at": n.created_at.isoformat(),
                "read": n.read_at is not None,
            }
            for n in notices
        ],
        "unread": sum(n.read_at is None for n in notices),
        "channels": ready,
        "chosen": sorted(services.channels_of(mailbox)),
        "push_key": settings.TABYIN_VAPID_PUBLIC_KEY if "push" in ready else "",
    }


@router.get("/", response={200: InboxOut}, url_name="inbox", summary="The notices in one's own inbox")
@sensitive_variables()
def inbox(request: HttpRequest, token: str = TOKEN) -> HttpResponse:
    return _private(json_response(_inbox(_mailbox(token))))


@router.post("/read", response={200: InboxOut}, url_name="inbox-read", summary="Mark every notice read")
@sensitive_variables()
def read(request: HttpRequest, token: str = TOKEN) -> HttpResponse:
    mailbox = _mailbox(token)
    services.inbox_mark_read(mailbox)
    return _private(json_response(_inbox(mailbox)))


@router.put(
    "/contact", response={200: InboxOut}, url_name="inbox-contact", summary="SMS and Bale: one's number"
)
@sensitive_variables()
def contact(request: HttpRequest, payload: ContactIn, token: str = TOKEN) -> HttpResponse:
    mailbox = _mailbox(token)
    try:
        services.contact_set(mailbox=mailbox, phone=payload.phone, by_sms=payload.sms, by_bale=payload.bale)
    except sms.PhoneError:
        raise ProblemError(
            Problem(
                422,
                _("This is not an Iranian mobile number."),
                errors=[{"loc": ["body", "phone"], "msg": "not an Iranian mobile number", "type": "invalid"}],
            )
        ) from None
    return _private(json_response(_inbox(mailbox)))


@router.put(
    "/push", response={200: InboxOut}, url_name="inbox-push", summary="Browser push: one's subscription"
)
@sensitive_variables()
def push(request: HttpRequest, payload: PushIn, token: str = TOKEN) -> HttpResponse:
    mailbox = _mailbox(token)
    refused = push_target.endpoint_refusal(payload.endpoint)
    if refused:
        raise ProblemError(push_target.refusal_problem(refused))
    services.push_set(mailbox=mailbox, subscription=payload.model_dump())
    return _private(json_response(_inbox(mailbox)))


@router.delete("/push", response={200: InboxOut}, url_name="inbox-push-off", summary="Browser push: off")
@sensitive_variables()
def push_off(request: HttpRequest, token: str = TOKEN) -> HttpResponse:
    mailbox = _mailbox(token)
    services.push_set(mailbox=mailbox, subscription=None)
    return _private(json_response(_inbox(mailbox)))
