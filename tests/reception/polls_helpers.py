"""Shared pieces of the poll tests: a poll of three questions and a page's visible text."""

from __future__ import annotations

import html
import re
from typing import Any

from tabyin.core.models import User
from tabyin.reception.polls import services
from tabyin.reception.polls.enums import PollState, QuestionKind
from tabyin.reception.polls.models import Poll

QUESTIONS = [
    services.QuestionSpec(
        kind=QuestionKind.CHOICE,
        text="مستمری از کی افزایش می‌یابد؟",
        choices=["فروردین", "مهر", "دی"],
        correct=0,
    ),
    services.QuestionSpec(kind=QuestionKind.CLARITY, text="این توضیح چقدر روشن بود؟"),
    services.QuestionSpec(kind=QuestionKind.OPEN, text="چه چیزی روشن نبود؟"),
]


def make_poll(actor: User, *, state: str = PollState.OPEN) -> Poll:
    poll = services.poll_create(
        actor=actor,
        title="نظرسنجی آزمایشی",
        target_path="/explanations/3/",
        target_title="",
        questions=QUESTIONS,
    )
    if state != PollState.DRAFT:
        services.poll_set_state(actor=actor, poll=poll, state=PollState.OPEN)
    if state == PollState.CLOSED:
        services.poll_set_state(actor=actor, poll=poll, state=PollState.CLOSED)
    poll.refresh_from_db()
    return poll


def page_text(response: Any) -> str:
    body = response.content.decode()
    body = re.sub(r"<(script|style|title)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()
