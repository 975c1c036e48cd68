"""Bodies of /api/v1/ideas/ (names start with Idea or Challenge: one document for every app)."""

# No "from __future__ import annotations": django-ninja reads these annotations at import.
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from tabyin.core.api.fields import Text
from tabyin.ideas.entries.enums import AUTHOR_NAME_MAX, BODY_MAX, TITLE_MAX


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class ChallengeOut(_Strict):
    slug: str
    title: str
    kind: str = Field(description="idea (an idea challenge) or contest (a content contest).")
    phase: str = Field(
        description="upcoming, submission, moderation, support, jury, results or implementation."
    )
    eligibility: str
    insured_only: bool = Field(description="Supports need an insurance number and a national code.")
    categories: list[str]
    media_kinds: list[str]
    submission_opens: str
    submission_closes: str
    support_closes: str
    results_at: str


class IdeaEntryOut(_Strict):
    id: int
    title: str
    body: str
    category: str
    media_kind: str
    link: str
    author_name: str
    province: str = Field(description="ISO 3166-2 code, or empty.")
    status: str = Field(description="accepted, shortlisted, winner, implementing or implemented.")
    supports: int = Field(description="Counted supports (a flagged burst is not counted).")


class ChallengeDetailOut(ChallengeOut):
    problem: str
    rules: str
    prizes: str
    entries: list[IdeaEntryOut] = Field(description="Screened entries, most supported first (at most 200).")


class IdeaCodeIn(_Strict):
    purpose: Literal["author", "support"] = Field(description="author (to send an idea) or support.")
    kind: Literal["phone", "email"]
    value: Text = Field(min_length=1, max_length=254, description="The mobile number or e-mail address.")


class IdeaCodeSentOut(_Strict):
    code_id: int = Field(description="Send it back with the code to ideas/codes/confirm.")


class IdeaCodeConfirmIn(IdeaCodeIn):
    code_id: int = Field(ge=1, le=2**31 - 1)
    code: Text = Field(min_length=1, max_length=20, description="The code sent (Persian digits are fine).")


class IdeaProofOut(_Strict):
    proof: str = Field(description="Proof of the verified contact for this purpose; send it with the write.")
    expires_in: int = Field(description="Seconds it stays valid.")


class IdeaSupportIn(_Strict):
    proof: Text = Field(
        min_length=1, max_length=1000, description="A support proof from ideas/codes/confirm."
    )
    insurance_number: Text = Field(default="", max_length=20, description="Insured-only challenges.")
    national_code: Text = Field(default="", max_length=12, description="Insured-only challenges.")


class IdeaSupportedOut(_Strict):
    supports: int = Field(description="The entry's counted supports now.")


class IdeaEntryIn(_Strict):
    proof: Text = Field(
        min_length=1, max_length=1000, description="An author proof from ideas/codes/confirm."
    )
    title: Text = Field(max_length=TITLE_MAX)
    body: Text = Field(max_length=BODY_MAX)
    category: Text = Field(
        default="", max_length=100, description="One of the challenge's categories, if it has any."
    )
    media_kind: Text = Field(
        default="", max_length=10, description="Contests: one of the challenge's media_kinds."
    )
    link: Text = Field(default="", max_length=200, description="Contests: a link to the work (http/https).")
    author_name: Text = Field(default="", max_length=AUTHOR_NAME_MAX, description="Name to show with it.")
    province: Text = Field(default="", max_length=8, description="ISO 3166-2 code of a province, or empty.")
    seen_similar: bool = Field(
        default=False, description="True once the author has seen the similar ideas a 409 listed."
    )


class IdeaSentOut(_Strict):
    entry: int
    follow_token: str = Field(
        description="Opens the author's follow-up page (/ideas/follow/<token>/); shown once."
    )
    inbox_token: str = Field(
        description="Opens this entry's notices at /api/v1/inbox/ (X-Inbox-Token): what became of it at "
        "each step (screened, the jury, the results); SMS, Bale or push can be chosen there too."
    )
