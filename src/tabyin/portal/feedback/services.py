"""The public's "was this clear?" answers.

Nothing about the person is stored or even looked at: no account, no address, no user agent, no
session or cookie id; the time is cut to the hour so that rows cannot be matched with other logs.
The function takes only the answer, so a caller cannot pass anything identifying by mistake.
"""

from __future__ import annotations

from typing import Final

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tabyin.core.persian_text import normalize
from tabyin.portal.enums import ExplanationState
from tabyin.portal.models import Explanation, Feedback, Indicator

TARGETS: Final = ("indicator", "explanation")
MAX_COMMENT: Final = 500
# A page gets at most this many answers an hour; more is a script, not readers. Counted in the
# cache (shared by every web process when scaled), per page only: never per person.
HOURLY_LIMIT_PER_TARGET: Final = 300


class FeedbackLimitReachedError(Exception):
    """This page had too many answers this hour; nothing was stored."""


def _target_exists(target: str, target_id: int) -> bool:
    if target == "indicator":
        return Indicator.objects.filter(pk=target_id).exists()
    return Explanation.objects.filter(
        pk=target_id, state__in=(ExplanationState.PUBLISHED, ExplanationState.SUPERSEDED)
    ).exists()


@transaction.atomic
def feedback_record(*, target: str, target_id: int, clear: bool, comment: str, language: str) -> Feedback:
    """Store one answer about an indicator or a public explanation.

    Raises ``ValidationError`` for an unknown target or a comment over 500 characters and
    ``FeedbackLimitReachedError`` when the page had too many answers this hour.
    """
    if target not in TARGETS:
        raise ValidationError(f"unknown feedback target {target!r}")
    if not _target_exists(target, target_id):
        raise ValidationError(f"no public {target} with id {target_id}")
    text = normalize(comment)
    if len(text) > MAX_COMMENT:
        raise ValidationError(f"the comment is longer than {MAX_COMMENT} characters")
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    key = f"portal:feedback:{target}:{target_id}:{hour:%Y%m%d%H}"
    cache.add(key, 0, timeout=3600)
    if cache.incr(key) > HOURLY_LIMIT_PER_TARGET:
        raise FeedbackLimitReachedError
    return Feedback.objects.create(
        target=target,
        target_id=target_id,
        clear=clear,
        comment=text,
        language="en" if language.lower().startswith("en") else "fa",
        created_hour=hour,
    )
