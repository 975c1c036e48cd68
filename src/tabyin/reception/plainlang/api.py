"""POST /api/v1/reception/plain-language/: the plain-language check as JSON (django-ninja).

A NinjaAPI of its own (as each app's), mounted outside the language prefix, with its OpenAPI
document at /api/v1/reception/plain-language/openapi.json. Unlike the open-data APIs it is for
staff only: it uses the staff session (password and second factor passed) and Django's CSRF check,
like the staff pages, so a page of another site cannot make a signed-in browser call it. Offsets
are in Unicode code points (Python string indices) into the text as sent, end exclusive.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Field, NinjaAPI, Schema
from ninja.renderers import JSONRenderer
from ninja.security import APIKeyCookie
from pydantic import ConfigDict

from tabyin.core.auth import services as services_auth
from tabyin.core.models import User
from tabyin.reception.plainlang import selectors
from tabyin.reception.plainlang.checker import MAX_CHARACTERS, Report, TextRejectedError
from tabyin.reception.plainlang.presentation import problem_message


class _Renderer(JSONRenderer):
    json_dumps_params: Mapping[str, Any] = MappingProxyType({"ensure_ascii": False})


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
        return None


api = NinjaAPI(
    urls_namespace="reception-plainlang-api-v1",
    title="Tabyin plain-language check API",
    version="1",
    description=__doc__ or "",
    docs_url=None,  # Swagger UI needs a CDN and inline styles (see core/api_docs.py)
    renderer=_Renderer(),
)


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


class ErrorOut(Strict):
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


@api.post(
    "/",
    auth=StaffSession(),
    response={200: ReportOut, 400: ErrorOut},
    url_name="check",
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
        body = {"error": rejected.problem.value, "message": message, "max_characters": MAX_CHARACTERS}
        return api.create_response(request, body, status=400)
    return api.create_response(request, report_document(report), status=200)
