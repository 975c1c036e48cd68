"""Shapes of the reporter's flow in /api/v1/reports/ (``flow``), for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class CategoryOut(Strict):
    code: str
    group: str
    name_fa: str
    name_en: str
    description_fa: str
    description_en: str
    questions: list[dict[str, Any]] = Field(
        description="The category's own questions, as the web form asks them: key, kind, labels, "
        "choices and when each is shown. Answer question `key` as field `q_<key>`."
    )


class FileIn(Strict):
    name: str = Field(max_length=255, description="The file's name as the reporter knows it.")
    content_base64: str = Field(description="The file's bytes, base64 (standard alphabet, padded).")


class ReportIn(Strict):
    category: str = Field(max_length=64, description="A category's code (GET /api/v1/reports/categories).")
    fields: dict[str, str] = Field(description="The web form's fields (see the operation's description).")
    concerns: list[str] = Field(default_factory=list, description="Special offices the report concerns.")
    excluded: list[str] = Field(default_factory=list, description="Special offices that must not receive it.")
    files: list[FileIn] = Field(default_factory=list, description="Evidence files (PDF, images, audio, …).")


class ReceiptOut(Strict):
    receipt: str = Field(
        description="The receipt code, 16 digits in groups of 4: the only way back to the report. "
        "Shown this once; Tabyin cannot show it again."
    )


class ReceiptIn(Strict):
    receipt: str = Field(max_length=64, description="The receipt code (Persian digits and spaces accepted).")


class FileOut(Strict):
    id: int
    label: str
    size: int


class MessageOut(Strict):
    author: str = Field(description="Who wrote it, as the reporter sees it (never a staff member's name).")
    at: str = Field(description="ISO date and time.")
    text: str
    files: list[FileOut]


class CaseOut(Strict):
    received_at: str = Field(description="ISO date and time the report was received.")
    status: str = Field(description="received, in_progress or closed.")
    category: str
    can_write: bool = Field(description="False once the case is closed.")
    messages: list[MessageOut]
    inbox_token: str = Field(
        description="Opens this report's notices at /api/v1/inbox/ (X-Inbox-Token): poll it to hear of "
        "a reply without sending the receipt code again."
    )


class ReplyIn(Strict):
    receipt: str = Field(max_length=64)
    body: str = Field(description="The message.")
    files: list[FileIn] = Field(default_factory=list)


class SentOut(Strict):
    sent: bool
