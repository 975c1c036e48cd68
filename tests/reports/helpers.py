"""Helpers of the reports tests."""

from __future__ import annotations

import io
from typing import Any

from tabyin.core.models import User
from tabyin.reports import services_intake, services_keys, validation

PASSPHRASE = "a long test passphrase 1405"

# Smallest real files of each kind the form accepts (content decides, not the name).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def keys_for(user: User) -> services_keys.Unlocked:
    return services_keys.keys_setup(user=user, passphrase=PASSPHRASE)


def form(**overrides: Any) -> dict[str, str]:
    data = {
        "province": "IR-23",
        "place_kind": "branch",
        "place_name": "شعبهٔ ۱۲ تهران",
        "when": "۱۴۰۵/۰۸/۲۰",
        "what": "کارمند باجه برای ثبت سابقهٔ بیمه پول نقد خواست و گفت بدون آن کار انجام نمی‌شود.",
        "who": "متصدی باجهٔ ۳",
        "identity_mode": "anonymous",
        "q_paid": "no",
    }
    data.update({k: str(v) for k, v in overrides.items()})
    return data


def submit(
    *,
    category: str = "bribery",
    lists: dict[str, list[str]] | None = None,
    files: list[tuple[str, bytes]] | None = None,
    **overrides: Any,
) -> services_intake.Submitted:
    return services_intake.report_submit(
        category_code=category,
        data=form(**overrides),
        lists=lists or {},
        files=[validation.Attachment(name=name, data=data) for name, data in (files or [])],
    )


def big_pdf(size: int) -> bytes:
    buffer = io.BytesIO()
    buffer.write(PDF)
    buffer.write(b"%" + b"x" * (size - len(PDF) - 1))
    return buffer.getvalue()


def passed(purpose: str = "report", *, seconds_ago: float = 60) -> dict[str, str]:
    """A form token of ``purpose`` served ``seconds_ago`` (a person filling the form in), with its
    challenge solved as the page's script sends it."""
    import time
    from itertools import count
    from types import SimpleNamespace
    from unittest import mock

    from django.core import signing

    from tabyin.reports import abuse

    with mock.patch.object(signing, "time", SimpleNamespace(time=lambda: time.time() - seconds_ago)):
        token = abuse.issue(purpose)
    challenge = abuse.challenge(token)
    answer = next(str(a) for a in count() if abuse.solved(challenge.nonce, challenge.bits, str(a)))
    return {abuse.TOKEN: token, abuse.ANSWER: answer}
