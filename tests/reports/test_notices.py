"""Report notices go through an outbox: one row per handler, written with the report, told once
through core's notifications (the handler's inbox, and e-mail as they chose); a lost task or a
worker that died mid-send is caught by the sweep."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from tabyin.core import background
from tabyin.core.models import InboxItem, NotifyDelivery, NotifyPreference, User
from tabyin.reports.models import Notice
from tabyin.reports.notices import services as notifications
from tests.reports import helpers

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def handlers(tehran_security: User, hq_units_with_keys: dict[str, User]) -> list[User]:
    users = [tehran_security, *hq_units_with_keys.values()]
    for user in users:
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return users


def _queued(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record the notify tasks instead of running them (a task lost with Redis)."""
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(background, "enqueue", lambda task, **kw: sent.append({"task": task.name, **kw}))
    return sent


def test_each_handler_of_the_receiving_units_is_told_once(
    handlers: list[User], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = helpers.submit().report
    notices = list(Notice.objects.filter(report=report))
    told = sorted(n.user.email for n in notices)
    assert told == sorted(m.to[0] for m in mail.outbox)
    assert len(told) == len(set(told)) >= 1
    # One inbox item per notice, keyed by it, and its e-mail in the person's ledger.
    items = InboxItem.objects.filter(app="reports").order_by("key")
    assert sorted((i.user_id, i.key, i.url) for i in items) == sorted(
        (n.user_id, f"notice-{n.pk}", "/staff/reports/") for n in notices
    )
    assert sorted(NotifyDelivery.objects.values_list("channel", "state", "target")) == sorted(
        ("email", "sent", email) for email in told
    )
    assert {m.subject for m in mail.outbox} == {"گزارشی در صندوق واحد شما منتظر است"}
    assert all(m.body.startswith("چیزی در صندوق گزارش‌های تخلف منتظر شماست.") for m in mail.outbox)
    assert all(n.sent_at is not None and n.attempts == 1 for n in notices)
    # The same task again (given back after its worker died) sends nothing more.
    assert notifications.notices_send(report_id=report.pk, event="new") == 0
    assert len(mail.outbox) == len(notices)


def test_a_notice_another_worker_is_sending_is_left_to_it_until_its_lease_ends(
    handlers: list[User], monkeypatch: pytest.MonkeyPatch
) -> None:
    _queued(monkeypatch)
    report = helpers.submit().report
    first = Notice.objects.filter(report=report).first()
    assert first is not None
    count = Notice.objects.filter(report=report).count()
    Notice.objects.filter(pk=first.pk).update(claimed_at=timezone.now(), attempts=1)  # being sent

    assert notifications.notices_send(report_id=report.pk, event="new") == count - 1
    assert Notice.objects.get(pk=first.pk).sent_at is None
    # Its worker died: after the lease another takes it.
    Notice.objects.filter(pk=first.pk).update(claimed_at=timezone.now() - timedelta(seconds=121))
    assert notifications.notices_send(report_id=report.pk, event="new") == 1
    assert Notice.objects.get(pk=first.pk).attempts == 2
    assert len(mail.outbox) == count


def test_the_sweep_queues_again_only_notices_unsent_past_the_lease(
    handlers: list[User], monkeypatch: pytest.MonkeyPatch
) -> None:
    queued = _queued(monkeypatch)
    old = helpers.submit().report
    new = helpers.submit().report
    queued.clear()
    Notice.objects.filter(report=old).update(created_at=timezone.now() - timedelta(minutes=5))

    found = notifications.notices_sweep(now=timezone.now())

    assert found == [(old.pk, "new")]
    assert queued == [{"task": "reports.notify_units", "report_id": old.pk, "event": "new"}]
    assert Notice.objects.filter(report=new, sent_at=None).count() >= 1  # too young: its task may run


def test_a_mail_server_that_refuses_is_in_the_ledger_and_the_inbox_still_shows_it(
    handlers: list[User], monkeypatch: pytest.MonkeyPatch
) -> None:
    _queued(monkeypatch)
    report = helpers.submit().report
    count = Notice.objects.filter(report=report).count()

    def refuse(self: object, *args: object, **kwargs: object) -> int:
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert notifications.notices_send(report_id=report.pk, event="new") == count
    assert set(NotifyDelivery.objects.values_list("state", "detail")) == {
        ("failed", "SMTPServerDisconnected")
    }
    assert InboxItem.objects.filter(app="reports").count() == count
    # Told once: the same task again tells nobody twice.
    monkeypatch.undo()
    _queued(monkeypatch)
    assert notifications.notices_send(report_id=report.pk, event="new") == 0
    assert mail.outbox == []


def test_a_handler_in_quiet_hours_gets_the_mail_when_they_end(
    handlers: list[User], monkeypatch: pytest.MonkeyPatch, time_machine: Any
) -> None:
    from datetime import time

    from tabyin.core.notify import services as services_notify

    _queued(monkeypatch)
    time_machine.move_to("2026-12-07T20:00:00+00:00")  # 23:30 in Tehran
    quiet = handlers[0]
    NotifyPreference.objects.create(user=quiet, email=True, quiet_from=time(22, 0), quiet_until=time(7, 0))
    report = helpers.submit().report

    notifications.notices_send(report_id=report.pk, event="new")
    assert quiet.email not in [m.to[0] for m in mail.outbox]
    assert NotifyDelivery.objects.get(item__user=quiet).state == "held"

    time_machine.move_to("2026-12-08T04:00:00+00:00")  # 07:30 in Tehran
    assert services_notify.flush() >= 1
    assert [m.to[0] for m in mail.outbox].count(quiet.email) == 1
