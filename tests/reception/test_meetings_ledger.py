"""A meeting registration's seat confirmed, seat freed and reminder go through core's public notice
ledger (ADR 0040): into the registration's inbox, and the SMS or e-mail the app sends itself is
recorded there; the confirmation code is not (a secret)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from tabyin.core.models import User
from tabyin.core.models_public import PublicDelivery, PublicNotice
from tabyin.core.notify import public
from tabyin.core.sms import console
from tabyin.reception.meetings import notify, services
from tabyin.reception.meetings.models import Meeting
from tests.reception.test_meetings import _confirmed, _open_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def outbox() -> Iterator[list[console.Sent]]:
    console.clear()
    yield console.OUTBOX
    console.clear()


def _ledger(ref: str) -> list[tuple[str, str, list[tuple[str, str, int]]]]:
    notices = PublicNotice.objects.filter(mailbox__app="meetings", mailbox__ref=ref).order_by("id")
    return [
        (n.key.split(":")[0], n.body, [(d.channel, d.state, d.attempts) for d in n.deliveries.order_by("id")])
        for n in notices
    ]


def test_confirmed_freed_and_reminded_are_in_the_ledger_with_their_sms(
    hq_analyst: User, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _open_meeting(hq_analyst, capacity=1)
    first = _confirmed(meeting, "09120000001")
    second = _confirmed(meeting, "09120000002")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() + timedelta(hours=3), ends_at=timezone.now() + timedelta(hours=5)
    )
    assert services.reminders_send() == 1

    title = "دیدار با مستمری‌بگیران تهران"
    rows = _ledger(notify.ref_of(second))
    assert [(key, channels) for key, _body, channels in rows] == [
        ("meeting-confirmed", [("inbox", "sent", 1)]),
        ("meeting-seat", [("inbox", "sent", 1), ("sms", "sent", 1)]),
        ("meeting-reminder", [("inbox", "sent", 1), ("sms", "sent", 1)]),
    ]
    assert rows[0][1] == f"شما در فهرست انتظار «{title}» هستید."
    # The SMS is still sent, with the same text as the inbox's notice; no code is in the ledger.
    assert console.last_to("+989120000002").text == rows[2][1]  # type: ignore[union-attr]
    assert [k for k, _b, _c in _ledger(notify.ref_of(first))] == ["meeting-confirmed"]
    sms = PublicDelivery.objects.get(notice__key=f"meeting-seat:{second.pk}", channel="sms")
    assert sms.target_hash and "0912" not in sms.target_hash and sms.result.startswith("console-")
    # The person can read them with the registration's token, like a reporter.
    token = public.mailbox_token(app="meetings", ref=notify.ref_of(second))
    assert (
        public.mailbox_for_token(token)
        == PublicNotice.objects.filter(key__startswith="meeting-seat").get().mailbox
    )


def test_a_failed_reminder_by_email_is_recorded_and_tried_again(
    hq_analyst: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = _open_meeting(hq_analyst)
    registration = services.registration_start(
        meeting=meeting, name="علی", kind="email", contact="ali@example.ir"
    )
    services.registration_confirm(registration=registration, code=_email_code())
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() + timedelta(hours=3), ends_at=timezone.now() + timedelta(hours=5)
    )
    with monkeypatch.context() as patched:
        patched.setattr(notify, "send_mail", _refuse)
        assert services.reminders_send() == 0
    failed = PublicDelivery.objects.get(notice__key=f"meeting-reminder:{registration.pk}", channel="email")
    assert (failed.state, failed.attempts, failed.result) == ("failed", 1, "connection refused")
    assert services.reminders_send() == 1

    email = PublicDelivery.objects.get(notice__key=f"meeting-reminder:{registration.pk}", channel="email")
    assert (email.state, email.attempts, email.result) == ("sent", 2, "")
    assert PublicNotice.objects.filter(key=f"meeting-reminder:{registration.pk}").count() == 1
    assert mail.outbox[-1].to == ["ali@example.ir"]


def _email_code() -> str:
    import re

    match = re.search(r"[۰-۹]{6}", str(mail.outbox[-1].body))
    assert match is not None
    return match.group()


def _refuse(*args: Any, **kwargs: Any) -> int:
    raise OSError("connection refused")
