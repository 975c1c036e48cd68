"""POST /api/v1/reception/plain-language/: the plain-language check as JSON (django-ninja).

A Router contributed to core's public API through the registry (``contrib``), in its one OpenAPI
document (/api/v1/openapi.json). Unlike the open-data routes it is for staff only, so it takes no
client key: it uses the staff session (password and second factor passed) and Django's CSRF check,
like the staff pages, so a page of another site cannot make a signed-in browser call it. Offsets
are in Unicode code points (Python string indices) into the text as sent, end exclusive.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.security import APIKeyCookie
from pydantic import ConfigDict

from tabyin.core.api.problems import Problem, ProblemError, language
from tabyin.core.api.problems import response as problem_response
from tabyin.core.api.responses import json_response
from tabyin.core.auth import services as services_auth
from tabyin.core.models import User
from tabyin.reception.plainlang import selectors
from tabyin.reception.plainlang.checker import MAX_CHARACTERS, Report, TextRejectedError
from tabyin.reception.plainlang.presentation import problem_message


class StaffSession(APIKeyCookie):
    """The staff session cookie, with CSRF checked (``APIKeyCookie`` does it for unsafe methods)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if (
            isinstance(user, User)
            and user.is_active
            and user.is_staff
            and services_auth.otp_is_verified(user)
        ):
            return user
        # A problem of its own: the API's usual 401 asks for a client key, which is not what works here.
        raise ProblemError(Problem(401, _("Sign in to the staff pages (password and second factor) first.")))


router = Router()


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class CheckIn(Strict):
    text: str = Field(description=f"The Persian text to check, at most {MAX_CHARACTERS} characters.")


class ReadabilityOut(Strict):
    score: float = Field(description="Flesch–Dayani score: higher is easier (see docs/modules/reception.md).")
    band: str = Field(description="easy, medium or hard, from bands calibrated on texts of known difficulty.")
    words: int
    sentences: int
    syllables: int = Field(
        description="Estimated syllables of the Persian words (numbers and Latin excluded)."
    )
    words_per_sentence: float
    syllables_per_100_words: float


class SentenceOut(Strict):
    start: int
    end: int
    words: int
    text: str


class FindingOut(Strict):
    kind: str = Field(description="long_sentence, passive, nominal, jargon, number or abbreviation.")
    start: int = Field(description="Offset of the first character in the text sent (code points).")
    end: int = Field(description="Offset after the last character (exclusive).")
    text: str = Field(description="The words found: text[start:end].")
    fix: str = Field(description="What to write instead, or how to rewrite (Persian).")
    note: str


class ReportOut(Strict):
    characters: int
    readability: ReadabilityOut
    longest_sentences: list[SentenceOut]
    findings: list[FindingOut]


class PlainLanguageErrorOut(Strict):
    """The members a refused text's problem carries beside type, title, status and detail."""

    error: str = Field(description="empty, not_persian or too_long.")
    message: str = Field(description="What went wrong, in Persian.")
    max_characters: int


def report_document(report: Report) -> dict[str, Any]:
    r = report.readability
    return {
        "characters": report.characters,
        "readability": {
            "score": r.score,
            "band": r.band.value,
            "words": r.words,
            "sentences": r.sentences,
            "syllables": r.syllables,
            "words_per_sentence": r.words_per_sentence,
            "syllables_per_100_words": r.syllables_per_100_words,
        },
        "longest_sentences": [
            {"start": s.start, "end": s.end, "words": s.words, "text": s.excerpt} for s in report.longest
        ],
        "findings": [
            {
                "kind": f.kind.value,
                "start": f.start,
                "end": f.end,
                "text": f.excerpt,
                "fix": f.fix,
                "note": f.note,
            }
            for f in report.findings
        ],
    }


@router.post(
    "/",
    auth=StaffSession(),
    response={200: ReportOut, 400: PlainLanguageErrorOut},
    url_name="check",
    openapi_extra={"responses": {"403": {"description": "A signed-in browser without the CSRF token."}}},
    summary="Check a Persian text for plain language",
    tags=["reception"],
)
def check(request: HttpRequest, payload: CheckIn) -> HttpResponse:
    """The readability score, the longest sentences and every finding with its offsets and fix.
    Advice only: a text is refused (400) only when there is nothing to check."""
    try:
        report = selectors.check_text(payload.text)
    except TextRejectedError as rejected:
        with translation.override("fa"):
            message = problem_message(rejected.problem, length=len(payload.text))
        with translation.override(language(request)):
            detail = problem_message(rejected.problem, length=len(payload.text))
        extra = {"error": rejected.problem.value, "message": message, "max_characters": MAX_CHARACTERS}
        return problem_response(request, Problem(400, detail, extra=extra))
    return json_response(report_document(report))
