"""Telling authors what became of their entry, outside the request.

A step (screening, the jury, the results, feedback, a tracker step) writes one ``Notice`` row per
author in the same transaction as the change, then queues one background task for the batch:
announcing the results of a large challenge writes thousands of rows in one query and sends
nothing inside the organizer's request. The unique (entry, step) pair makes a step told once even
if the code that reaches it runs twice; the task claims each row with a conditional update before
sending, so two workers (or a retry and the sweep) cannot both send it. The price is at most once:
a worker killed between the claim and the send loses that one message, which stays visible as a
claimed row with no delivery note.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Final

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tabyin.core.notify import public as public_notify
from tabyin.ideas import task_refs
from tabyin.ideas.entries.models import Entry, Notice
from tabyin.ideas.identity.models import ContactKind
from tabyin.ideas.identity.services import deliver_checked

# Rows per task: one task for a whole challenge would hold a worker for minutes.
BATCH: Final = 200
# The sweep leaves fresh rows to the task queued with them.
SWEEP_AFTER: Final = timedelta(minutes=2)


def _path(entry: Entry) -> str:
    return f"/ideas/c/{entry.challenge.slug}/"


def _link(entry: Entry) -> str:
    return f"{settings.TABYIN_SITE_URL}{_path(entry)}"


def ref_of(entry: Entry) -> str:
    """The entry's mailbox in core's ledger of notices to the public (ADR 0040)."""
    return f"entry-{entry.pk}"


def queue(items: Iterable[tuple[Entry, str]], *, step: str) -> int:
    """Write one notice per (entry, text) for ``step`` and queue their sending after commit;
    returns how many are new (a step already told to an author is skipped)."""
    now = timezone.now()
    rows = [
        Notice(entry=entry, step=step[:80], text=f"{text}\n{_link(entry)}", created_at=now)
        for entry, text in items
    ]
    if not rows:
        return 0
    Notice.objects.bulk_create(rows, ignore_conflicts=True)
    fresh = list(
        Notice.objects.filter(
            entry_id__in=[r.entry.pk for r in rows], step=step[:80], sent_at__isnull=True
        ).values_list("pk", flat=True)
    )
    for start in range(0, len(fresh), BATCH):
        task_refs.send_notices.enqueue(notice_ids=fresh[start : start + BATCH])
    return len(fresh)


def send(notice_ids: list[int]) -> int:
    """Send the rows not sent yet; returns how many this call sent."""
    sent = 0
    for notice in Notice.objects.filter(pk__in=notice_ids, sent_at__isnull=True).select_related("entry"):
        claimed = Notice.objects.filter(pk=notice.pk, sent_at__isnull=True).update(sent_at=timezone.now())
        if not claimed:
            continue  # another worker took it between the read and the claim
        entry = notice.entry
        # Into the author's inbox (their follow-up page, the app's /api/v1/inbox/, and push, SMS or
        # Bale if they chose them there), then the SMS or e-mail to their proved contact, recorded
        # in the same ledger. The step is the key: a row sent twice is told once.
        ref, key = ref_of(entry), f"step:{notice.step}"
        with translation.override("fa"):
            title = _("News about your entry «{title}»").format(title=entry.title[:120])
        words = notice.text.removesuffix(f"\n{_link(entry)}")
        public_notify.tell_public(app="ideas", ref=ref, key=key, title=title, body=words, url=_path(entry))
        ok, note = deliver_checked(
            entry.contact_kind, entry.contact, notice.text, key=f"ideas-notice-{notice.pk}"
        )
        channel = "sms" if entry.contact_kind == ContactKind.PHONE else "email"
        public_notify.record_sent(
            app="ideas", ref=ref, key=key, channel=channel, address=entry.contact, ok=ok, result=note
        )
        Notice.objects.filter(pk=notice.pk).update(delivery=note[:200])
        sent += 1
    return sent


def sweep(*, now: datetime) -> int:
    """Send notices whose task never ran (queued while the broker was down)."""
    waiting = list(
        Notice.objects.filter(sent_at__isnull=True, created_at__lte=now - SWEEP_AFTER)
        .order_by("pk")
        .values_list("pk", flat=True)[: BATCH * 10]
    )
    return send(waiting)
