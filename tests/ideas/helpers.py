"""Shared pieces of the ideas tests: challenges in a chosen phase, a verified contact obtained
through the real one-time-code flow (the console SMS outbox), small real files."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.test import Client, TestCase
from django.utils import timezone

from tabyin.core.persian_text import digits_to_ascii
from tabyin.core.sms import console
from tabyin.ideas.challenges.enums import ChallengeKind
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.identity import services as identity

RUBRIC = [
    {"key": "impact", "label": "اثر", "weight": 0.6, "max": 10},
    {"key": "cost", "label": "هزینه", "weight": 0.4, "max": 10},
]
DAY = timedelta(days=1)
# Offsets (days) of "now" from submission_opens that put a challenge in each phase.
PHASE_DAYS = {"submission": 5, "moderation": 32, "support": 40, "jury": 55, "implementation": 100}
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def make_challenge(phase: str = "submission", slug: str = "queues", **more: Any) -> Challenge:
    opens = timezone.now() - PHASE_DAYS[phase] * DAY
    fields: dict[str, Any] = {
        "slug": slug,
        "title": "صف کمتر در شعبه‌ها",
        "kind": ChallengeKind.IDEA,
        "problem": "صف شعبه‌ها طولانی است.",
        "rules": "ایده باید شدنی باشد.",
        "categories": ["نوبت‌دهی", "اطلاع‌رسانی"],
        "rubric": RUBRIC,
        "submission_opens": opens,
        "submission_closes": opens + 30 * DAY,
        "moderation_closes": opens + 37 * DAY,
        "support_closes": opens + 51 * DAY,
        "jury_closes": opens + 65 * DAY,
        "results_at": opens + 70 * DAY,
    }
    fields.update(more)
    return Challenge.objects.create(**fields)


def sent_code(number: str) -> str:
    sent = console.last_to(number)
    assert sent is not None, f"no SMS to {number}"
    match = re.search(r"[0-9۰-۹]{6}", sent.text)
    assert match is not None
    return digits_to_ascii(match.group())


def verify(client: Client, purpose: str, phone: str, e164: str) -> None:
    """The two steps a person takes: ask for a code, type it (read from the console outbox)."""
    url = f"/ideas/verify/{purpose}/"
    assert client.post(url, {"kind": "phone", "value": phone}).status_code == 302
    assert client.post(url, {"code": sent_code(e164), "next": "/ideas/"}).status_code == 302


def verified(purpose: str, phone: str) -> identity.Verified:
    row = identity.code_send(purpose=purpose, kind="phone", value=phone)
    e164 = identity.canonical("phone", phone)
    return identity.code_check(code_id=row.pk, kind="phone", value=phone, code=sent_code(e164))


IDEA = {
    "category": "نوبت‌دهی",
    "title": "نوبت پیامکی",
    "body": "هر کس نوبت گرفت پیامکی با زمان تقریبی نوبتش بگیرد تا از صبح در شعبه ننشیند.",
    "author_name": "",
    "province": "IR-23",
}


def committed() -> Any:
    """Run what the block queues for after commit (the authors' notices) when it ends: a test's
    transaction never commits, so without this the background task would never be sent."""
    return TestCase.captureOnCommitCallbacks(execute=True)
