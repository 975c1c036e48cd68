"""/api/v1/ideas/: Jam'i-no for client apps (a django-ninja Router contributed to core's public
API; docs/modules/api.md): published challenges and their screened entries, proving a contact with
a one-time code, supporting an entry and sending an idea.

The web pages' rules hold because their services decide: codes are limited per contact and hour
and expire, one verified person supports an idea once (409 for a second), a burst of supports from
one source is flagged for moderators, an insured-only challenge asks the registry, an author's same
words are refused twice, and similar ideas are shown once before sending (a 409 listing them). The
web keeps the verified contact in the session; the app gets it as a signed proof for one purpose
(``identity.proofs``, ADR 0039). Entries sent through the API carry no files (the web form's
attachments are for the page); the follow-up token is shown once and answers are ``no-store``.
"""

# No "from __future__ import annotations": django-ninja reads these annotations at import.
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Router
from ninja.params import functions as params

from tabyin.core.api.problems import Problem, ProblemError, language
from tabyin.core.api.responses import json_response
from tabyin.core.notify import public as public_notify
from tabyin.ideas.api import schemas as s
from tabyin.ideas.challenges import selectors as challenge_selectors
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries import notices
from tabyin.ideas.entries import selectors as entry_selectors
from tabyin.ideas.entries import services as entry_services
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.identity import proofs
from tabyin.ideas.identity import services as identity_services
from tabyin.ideas.support import services as support_services

router = Router(tags=["ideas"])
PRIVATE = "no-store"
SLUG = params.Path(..., min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
ENTRY_ID = params.Path(..., ge=1, le=2**31 - 1)
ENTRIES_SHOWN = 200
_NO_CHALLENGE = {"404": {"description": "No published challenge, or no screened entry, at this address."}}


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = PRIVATE
    response["Referrer-Policy"] = "no-referrer"
    return response


def _challenge(slug: str) -> Challenge:
    found = challenge_selectors.challenge_by_slug(slug)
    if found is None:
        raise ProblemError(Problem(404, _("There is no published challenge at this address.")))
    return found


def _entry(challenge: Challenge, entry_id: int) -> Entry:
    found = entry_selectors.public_entry(challenge, entry_id)
    if found is None:
        raise ProblemError(Problem(404, _("This challenge has no screened entry with this number.")))
    return found


def _challenge_out(challenge: Challenge) -> dict[str, Any]:
    return {
        "slug": challenge.slug,
        "title": challenge.title,
        "kind": challenge.kind,
        "phase": str(challenge_selectors.phase_of(challenge)),
        "eligibility": challenge.eligibility,
        "insured_only": challenge.insured_only,
        "categories": list(challenge.categories),
        "media_kinds": list(challenge.media_kinds),
        "submission_opens": challenge.submission_opens.isoformat(),
        "submission_closes": challenge.submission_closes.isoformat(),
        "support_closes": challenge.support_closes.isoformat(),
        "results_at": challenge.results_at.isoformat(),
    }


def _entry_out(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "title": entry.title,
        "body": entry.body,
        "category": entry.category,
        "media_kind": entry.media_kind,
        "link": entry.link,
        "author_name": entry.author_name,
        "province": entry.province.iso_code if entry.province else "",
        "status": entry.status,
        "supports": getattr(entry, "support_count", 0),
    }


def _invalid(error: ValidationError) -> ProblemError:
    """A service's refusal: field errors name their fields (422); a refusal of the whole request
    (the phase is over, the registry said no) is a 409."""
    if not hasattr(error, "error_dict"):
        return ProblemError(Problem(409, " ".join(error.messages)))
    errors = [
        {"loc": ["body", field], "msg": str(message), "type": "invalid"}
        for field, messages in error.message_dict.items()
        for message in messages
    ]
    return ProblemError(
        Problem(422, _("Nothing was stored: correct the fields listed in errors."), errors=errors)
    )


def _code_refused(error: identity_services.CodeError, field: str) -> ProblemError:
    errors = [{"loc": ["body", field], "msg": str(error), "type": "invalid"}]
    return ProblemError(Problem(422, str(error), errors=errors))


def _proof(proof: str, purpose: str) -> identity_services.Verified:
    found = proofs.verified_by(proof, purpose)
    if found is None:
        errors = [{"loc": ["body", "proof"], "msg": "invalid", "type": "invalid"}]
        raise ProblemError(
            Problem(422, _("This proof is not valid or has expired: confirm a new code."), errors=errors)
        )
    return found


@router.get(
    "/challenges", response={200: list[s.ChallengeOut]}, url_name="challenges", summary="Published challenges"
)
def challenges(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        _challenge_out(c) for c in challenge_selectors.public_challenges().order_by("-submission_opens", "pk")
    ]


@router.get(
    "/challenges/{slug}",
    response={200: s.ChallengeDetailOut},
    url_name="challenge",
    summary="A challenge with its screened entries",
)
def challenge(request: HttpRequest, slug: str = SLUG) -> dict[str, Any]:
    found = _challenge(slug)
    entries = entry_selectors.public_entries(found)[:ENTRIES_SHOWN]
    return {
        **_challenge_out(found),
        "problem": found.problem,
        "rules": found.rules,
        "prizes": found.prizes,
        "entries": [_entry_out(e) for e in entries],
    }


@router.get(
    "/challenges/{slug}/entries/{entry_id}",
    response={200: s.IdeaEntryOut},
    url_name="entry",
    summary="One screened entry with its supports",
)
def entry(request: HttpRequest, slug: str = SLUG, entry_id: int = ENTRY_ID) -> dict[str, Any]:
    return _entry_out(_entry(_challenge(slug), entry_id))


@router.post(
    "/codes",
    response={201: s.IdeaCodeSentOut},
    url_name="code-send",
    summary="Send a one-time code to a phone (SMS) or e-mail, to send an idea or to support one",
)
def code_send(request: HttpRequest, payload: s.IdeaCodeIn) -> HttpResponse:
    """At most 5 codes per contact an hour (422 past that, as on the web page)."""
    with translation.override(language(request)):
        try:
            row = identity_services.code_send(purpose=payload.purpose, kind=payload.kind, value=payload.value)
        except identity_services.CodeError as error:
            raise _code_refused(error, "value") from None
    return _private(json_response({"code_id": row.pk}, status=201))


@router.post(
    "/codes/confirm",
    response={200: s.IdeaProofOut},
    url_name="code-confirm",
    summary="Check the code; the answer holds a proof of the contact for that purpose",
)
def code_confirm(request: HttpRequest, payload: s.IdeaCodeConfirmIn) -> HttpResponse:
    with translation.override(language(request)):
        try:
            verified = identity_services.code_check(
                code_id=payload.code_id, kind=payload.kind, value=payload.value, code=payload.code
            )
        except identity_services.CodeError as error:
            raise _code_refused(error, "code") from None
    body = {
        "proof": proofs.proof_for(payload.purpose, verified),
        "expires_in": int(proofs.LIFETIME.total_seconds()),
    }
    return _private(json_response(body))


@router.post(
    "/challenges/{slug}/entries/{entry_id}/supports",
    response={201: s.IdeaSupportedOut},
    url_name="support",
    openapi_extra={
        "responses": {
            **_NO_CHALLENGE,
            "409": {"description": "Already supported by this person, or the entry cannot be supported now."},
        }
    },
    summary="Support an entry: one verified person, one support",
)
def support(
    request: HttpRequest, payload: s.IdeaSupportIn, slug: str = SLUG, entry_id: int = ENTRY_ID
) -> HttpResponse:
    found = _entry(_challenge(slug), entry_id)
    with translation.override(language(request)):
        supporter = _proof(payload.proof, "support")
        try:
            support_services.support_add(
                entry=found,
                supporter=supporter,
                # As the web page: the address core's middleware left (never the client's own).
                source=support_services.source_hash(request.META.get("REMOTE_ADDR", "")),
                insurance_number=payload.insurance_number,
                national_code=payload.national_code,
            )
        except support_services.SecondSupportError:
            raise ProblemError(
                Problem(409, _("You already support this idea; it is counted once."))
            ) from None
        except ValidationError as error:
            raise _invalid(error) from None
    supports = _entry(found.challenge, found.pk)
    return json_response({"supports": getattr(supports, "support_count", 0)}, status=201)


def _link(value: str) -> str:
    link = value.strip()
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            errors = [{"loc": ["body", "link"], "msg": "url", "type": "invalid"}]
            raise ProblemError(
                Problem(422, _("Enter a web address that starts with http:// or https://."), errors=errors)
            ) from None
    return link


@router.post(
    "/challenges/{slug}/entries",
    response={201: s.IdeaSentOut},
    url_name="entry-submit",
    openapi_extra={
        "responses": {
            "404": {"description": "No published challenge at this address."},
            "409": {
                "description": "Not taking submissions now; the same words were sent before; or similar "
                "ideas exist (listed in `similar`: send again with seen_similar once the author saw them)."
            },
        }
    },
    summary="Send an idea or a contest entry (an author proof; no account)",
)
def entry_submit(request: HttpRequest, payload: s.IdeaEntryIn, slug: str = SLUG) -> HttpResponse:
    found = _challenge(slug)
    with translation.override(language(request)):
        author = _proof(payload.proof, "author")
        draft = entry_services.Draft(
            title=payload.title,
            body=payload.body,
            category=payload.category,
            author_name=payload.author_name,
            province_iso=payload.province,
            media_kind=payload.media_kind,
            link=_link(payload.link),
        )
        if not payload.seen_similar and challenge_selectors.phase_of(found) == "submission":
            similar = entry_selectors.similar_entries(found, f"{draft.title}\n{draft.body}")
            if similar:
                shown = [{"id": e.pk, "title": e.title} for e, _score in similar]
                raise ProblemError(
                    Problem(
                        409,
                        _("Similar ideas were sent already: read them, then send again with seen_similar."),
                        extra={"similar": shown},
                    )
                )
        try:
            sent, token = entry_services.entry_submit(challenge=found, author=author, draft=draft)
        except entry_services.DoubleSubmissionError:
            raise ProblemError(
                Problem(409, _("You already sent these same words to this challenge."))
            ) from None
        except ValidationError as error:
            raise _invalid(error) from None
    # The author proved their contact: the entry's mailbox in core's ledger is theirs (ADR 0040).
    inbox = public_notify.mailbox_token(app="ideas", ref=notices.ref_of(sent))
    return _private(
        json_response({"entry": sent.pk, "follow_token": token, "inbox_token": inbox}, status=201)
    )
