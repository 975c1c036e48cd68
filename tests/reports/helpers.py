"""Helpers of the reports tests."""

from __future__ import annotations

import io
from typing import Any

from tabyin.core.models import OrgUnit, User
from tabyin.core.scoping import scope_for
from tabyin.reports import permissions
from tabyin.reports.crypto import sodium
from tabyin.reports.enums import KeyringPurpose
from tabyin.reports.intake import services as services_intake
from tabyin.reports.intake import validation
from tabyin.reports.keys import sealing
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import HandlerKey, Keyring, ReportRecipient

PASSPHRASE = "a long test passphrase 1405"

# Smallest real files of each kind the form accepts (content decides, not the name).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def keys_for(user: User) -> services_keys.Unlocked:
    """The user's key, and (a fixture shortcut) the first holding of their units' keys that have
    none, as an approved two-person grant would give; the rule itself is in test_key_grants.py."""
    unlocked = services_keys.keys_setup(user=user, passphrase=PASSPHRASE)
    first_holder(user)
    return unlocked


def first_holder(user: User) -> None:
    key = HandlerKey.objects.get(user=user)
    scope = scope_for(user)
    for unit in OrgUnit.objects.filter(id__in=permissions.handler_units(scope)):
        if services_keys.unit_keyring(unit) is None:
            services_keys.new_keyring(
                purpose=KeyringPurpose.UNIT, unit=unit, holder=user, key=key, granted_by=None
            )
    if permissions.is_custodian(scope) and services_keys.custodian_keyring() is None:
        services_keys.new_keyring(
            purpose=KeyringPurpose.CUSTODIAN, unit=None, holder=user, key=key, granted_by=None
        )


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

    from tabyin.reports.intake import abuse

    with mock.patch.object(signing, "time", SimpleNamespace(time=lambda: time.time() - seconds_ago)):
        token = abuse.issue(purpose)
    challenge = abuse.challenge(token)
    answer = next(str(a) for a in count() if abuse.solved(challenge.nonce, challenge.bits, str(a)))
    return {abuse.TOKEN: token, abuse.ANSWER: answer}


def _private(keyring: Keyring) -> bytes:
    holder = services_keys.holders(keyring)[0]
    unlocked = services_keys.keys_unlock(user=holder, passphrase=PASSPHRASE)
    return services_keys.keyring_private(user=holder, unlocked=unlocked, keyring=keyring)


def route_note(recipient: ReportRecipient) -> str:
    """A recipient's routing explanation, opened with a holder's key (it is sealed, issue 15.5)."""
    assert recipient.route_note is not None
    return sodium.unseal(_private(recipient.keyring), recipient.route_note).decode()


def opened_text(sealed: sealing.Sealed, keyring: Keyring) -> str | None:
    """A sealed reason, opened with a holder's key of ``keyring``."""
    return sealing.open_sealed(sealed, keyring.pk, _private(keyring))
