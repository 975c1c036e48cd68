"""What staff are told by e-mail: that something is waiting, never what.

No category, place, date, text or count that could hint at a report's content goes into an
e-mail; mail leaves our servers and is read on phones. The message points to the inbox, where
the handler signs in with two factors and unlocks their key.

A new report and a reporter's message go through the outbox (``Notice`` rows written with them,
handed on by the ``reports.notify_units`` task, swept again by ``reports.notices_sweep`` when a task
was lost). Every notice reaches its handler through core's notifications (their inbox, and e-mail
or the bot as they chose, held in their quiet hours or for their digest), told once: the inbox
item's key is the notice's, so a notice handed on again after a worker died mid-send is not told
twice (ADR 0017, ADR 0032).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tabyin.core.enums import Role
from tabyin.core.models import Membership, User
from tabyin.core.notify import services as services_notify
from tabyin.reports import task_refs
from tabyin.reports.models import Notice, ReportRecipient

SUBJECTS = {
    "new": gettext_noop("A report is waiting in your unit's inbox"),
    "message": gettext_noop("A reporter has sent a message"),
    "due": gettext_noop("A report is close to its deadline"),
    "expiry": gettext_noop("Reports will be deleted at the end of their retention period"),
    "transfer": gettext_noop("A report was transferred to your unit"),
    "identity": gettext_noop("An identity request is waiting for a custodian"),
    "key": gettext_noop("Someone new can read your unit's reports"),
    "grant": gettext_noop("A key grant is waiting for a second person"),
}


def handlers_of(unit_ids: list[int]) -> list[User]:
    ids = Membership.objects.filter(role=Role.CASE_HANDLER, unit_id__in=unit_ids).values("user_id")
    return list(User.objects.filter(id__in=ids, is_active=True).exclude(email="").order_by("id"))


def custodians() -> list[User]:
    ids = Membership.objects.filter(role=Role.CUSTODIAN, unit__province__isnull=True).values("user_id")
    return list(User.objects.filter(id__in=ids, is_active=True).exclude(email="").order_by("id"))


# A notice is tried this many times (the first send and the sweep's retries), then left unsent.
MAX_ATTEMPTS = 5


def _text(event: str) -> tuple[str, str]:
    with translation.override("fa"):
        subject = _(SUBJECTS[event])
        body = _(
            "Something is waiting for you in the violation reports inbox. Sign in to the staff site "
            "to see it. For the reporters' protection, this e-mail says nothing about it."
        )
    return subject, body


def notices_queue(*, report_id: int, event: str) -> int:
    """Inside the caller's transaction: a notice for each handler of the report's receiving units,
    and the task that sends them once it commits. Returns how many notices were written."""
    units = list(ReportRecipient.objects.filter(report_id=report_id).values_list("unit_id", flat=True))
    notices = [Notice(report_id=report_id, event=event, user=user) for user in handlers_of(units)]
    Notice.objects.bulk_create(notices)
    task_refs.notify_units.enqueue(report_id=report_id, event=event)
    return len(notices)


def _lease_start(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.TABYIN_TASK_LOST_AFTER_SECONDS)


def notices_send(*, report_id: int, event: str) -> int:
    """Tell the handlers of the unsent notices of a report and event, each notice claimed first so
    that two workers (a task given again to another worker) do not both take it. Returns how many
    were handed on."""
    subject, body = _text(event)
    url = reverse("reports:inbox")
    sent = 0
    pending = Notice.objects.filter(report_id=report_id, event=event, sent_at=None, attempts__lt=MAX_ATTEMPTS)
    for notice in pending.select_related("user"):
        now = timezone.now()
        claimed = (
            Notice.objects.filter(pk=notice.pk, sent_at=None)
            .filter(Q(claimed_at=None) | Q(claimed_at__lt=_lease_start(now)))
            .update(claimed_at=now, attempts=F("attempts") + 1)
        )
        if not claimed:
            continue
        # Told once per notice (``None`` when a worker that died after telling had told already).
        # An e-mail the server refused stays in the person's ledger as failed, as for every app.
        services_notify.tell(
            user=notice.user, app="reports", key=f"notice-{notice.pk}", title=subject, url=url, body=body
        )
        Notice.objects.filter(pk=notice.pk).update(sent_at=timezone.now())
        sent += 1
    return sent


def notices_sweep(*, now: datetime) -> list[tuple[int, str]]:
    """Queue again every (report, event) with a notice unsent since before the lease: its task was
    lost (Redis restarted empty, the enqueue failed) or its worker died mid-send."""
    stale = _lease_start(now)
    found = sorted(
        set(
            Notice.objects.filter(
                sent_at=None, attempts__lt=MAX_ATTEMPTS, created_at__lt=stale, report__isnull=False
            )
            .filter(Q(claimed_at=None) | Q(claimed_at__lt=stale))
            .values_list("report_id", "event")
        )
    )
    for report_id, event in found:
        assert report_id is not None
        task_refs.notify_units.enqueue(report_id=report_id, event=event)
    return found


def send(*, users: list[User], event: str) -> int:
    """Tell each person through core's notifications (their inbox, and e-mail or the bot as they
    chose, held in their quiet hours or for their digest), in the site's language. The text is the
    same content-free notice as the outbox's. Returns how many were told."""
    subject, body = _text(event)
    now = timezone.now()
    url = reverse("reports:inbox")
    told = 0
    for user in users:
        key = f"{event}-{now.timestamp():.6f}"
        told += (
            services_notify.tell(
                user=user, app="reports", key=key, title=subject, url=url, body=body, now=now
            )
            is not None
        )
    return told
