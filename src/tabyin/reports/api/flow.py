"""/api/v1/reports/: the reporter's flow for the mobile app, the web form's twin (django-ninja).

What can be reported (categories and their questions), sending a report (with files), the receipt
code shown once, and follow-up with that code: the case's public status and messages, and a reply.
The same services as the web pages check and store everything, so the same rules hold: nothing
about the sender is read (core's middleware removes the client address before any view), the
receipt code travels only in request and response bodies, never in an address, and every answer
is ``Cache-Control: no-store``. Instead of the web form's proof-of-work token, a write needs a
registered client app's key and is held to that client's rate limit (core.api).
"""

# No "from __future__ import annotations": the views are wrapped (sensitive_variables), and
# django-ninja reads their annotations through the wrapper, so they must be objects, not strings.
import base64
import binascii
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from ninja import Router

from tabyin.core.api.problems import Problem, ProblemError, language
from tabyin.core.api.responses import json_response
from tabyin.core.notify import public as public_notify
from tabyin.reports.api import schemas_flow as s
from tabyin.reports.crypto import receipts
from tabyin.reports.intake import forms, services_reporter, validation
from tabyin.reports.intake import services as services_intake
from tabyin.reports.intake.validation import SubmissionError

router = Router(tags=["reports"])
PRIVATE = "no-store"
_NOT_OPENED = {"404": {"description": "No report opens with this receipt code."}}
_TOO_LARGE = {"413": {"description": "The body is larger than the server takes (files included)."}}


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = PRIVATE
    response["Referrer-Policy"] = "no-referrer"
    return response


def _attachments(files: list[s.FileIn]) -> list[validation.Attachment]:
    found = []
    for position, f in enumerate(files):
        try:
            data = base64.b64decode(f.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ProblemError(
                Problem(
                    422,
                    _("A file's content is not valid base64."),
                    errors=[{"loc": ["body", "files", position], "msg": "base64", "type": "invalid"}],
                )
            ) from None
        found.append(validation.Attachment(name=f.name, data=data))
    return found


def _invalid(error: SubmissionError, where: str) -> ProblemError:
    errors = [
        {"loc": ["body", where, name], "msg": str(message), "type": "invalid"}
        for name, messages in error.errors.items()
        for message in messages
    ]
    return ProblemError(
        Problem(
            422, _("Nothing was stored: correct the fields listed in errors and send again."), errors=errors
        )
    )


def _wrong_code() -> ProblemError:
    # The same words whether the code was malformed, unknown or wrong.
    return ProblemError(Problem(404, _("No report opens with this receipt code.")))


@router.get(
    "/categories",
    response={200: list[s.CategoryOut]},
    url_name="categories",
    summary="What can be reported, with each category's own questions",
)
def categories(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": c.code,
            "group": c.group,
            "name_fa": c.name_fa,
            "name_en": c.name_en,
            "description_fa": c.description_fa,
            "description_en": c.description_en,
            "questions": list(c.questions),
        }
        for c in forms.active_categories()
    ]


@router.post(
    "/",
    response={201: s.ReceiptOut},
    url_name="submit",
    openapi_extra={"responses": _TOO_LARGE},
    summary="Send a violation report; the answer holds its receipt code, shown this once",
)
@sensitive_variables()
def submit(request: HttpRequest, payload: s.ReportIn) -> HttpResponse:
    """`fields` are the web form's: province, place_kind, place_name, when, what, who,
    identity_mode (anonymous, confidential or open), identity_name, identity_contact, and
    `q_<key>` for each of the category's questions. Nothing is stored unless everything is valid
    (422 lists every field at fault)."""
    names = [*forms.SINGLE, *forms.IDENTITY]
    data = {name: str(payload.fields.get(name, "")) for name in names}
    data.update({k: str(v) for k, v in payload.fields.items() if k.startswith("q_")})
    lists = {"concerns": payload.concerns, "excluded": payload.excluded}
    with translation.override(language(request)):
        files = _attachments(payload.files)
        try:
            submitted = services_intake.report_submit(
                category_code=payload.category, data=data, lists=lists, files=files
            )
        except SubmissionError as invalid:
            raise _invalid(invalid, "fields") from None
    return _private(json_response({"receipt": receipts.display(submitted.code)}, status=201))


def _access(code: str) -> services_reporter.ReporterAccess:
    access = services_reporter.receipt_open(raw_code=code)
    if access is None:
        raise _wrong_code()
    return access


@router.post(
    "/follow-up",
    response={200: s.CaseOut},
    url_name="follow-up",
    openapi_extra={"responses": _NOT_OPENED},
    summary="A report's public status and its messages, opened with the receipt code",
)
@sensitive_variables()
def follow_up(request: HttpRequest, payload: s.ReceiptIn) -> HttpResponse:
    """The code goes in the body (Persian digits and spaces accepted), never in the address."""
    access = _access(payload.receipt)
    try:
        case = services_reporter.reporter_case(access=access, language=language(request))
    except LookupError:
        raise _wrong_code() from None
    body = {
        "received_at": case.received_at.isoformat(),
        "status": str(case.status),
        "category": case.category,
        "can_write": case.can_write,
        "messages": [
            {
                "author": m.author,
                "at": m.at.isoformat(),
                "text": m.text,
                "files": [{"id": f.id, "label": f.label, "size": f.size} for f in m.files],
            }
            for m in case.messages
        ],
        "inbox_token": public_notify.mailbox_token(app="reports", ref=f"report-{access.report_id}"),
    }
    return _private(json_response(body))


@router.post(
    "/follow-up/reply",
    response={201: s.SentOut},
    url_name="reply",
    openapi_extra={"responses": {**_NOT_OPENED, **_TOO_LARGE}},
    summary="Write to the people handling a report, with files, opened with the receipt code",
)
@sensitive_variables()
def reply(request: HttpRequest, payload: s.ReplyIn) -> HttpResponse:
    access = _access(payload.receipt)
    with translation.override(language(request)):
        files = _attachments(payload.files)
        try:
            services_reporter.reporter_message_send(access=access, text=payload.body, files=files)
        except SubmissionError as invalid:
            raise _invalid(invalid, "body") from None
        except LookupError:
            raise _wrong_code() from None
    return _private(json_response({"sent": True}, status=201))
