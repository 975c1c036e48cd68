"""Authors hear of every step of their entry (screening, the jury, the results, the tracker), by a
background task after commit, never twice for one entry and step."""

from __future__ import annotations

import functools
from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone, translation

from tabyin.core import sms
from tabyin.core.models import User
from tabyin.core.models_public import PublicNotice
from tabyin.core.sms import console
from tabyin.ideas.entries import notices
from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.entries.models import Entry, Notice
from tabyin.ideas.judging import services as jury_services
from tabyin.ideas.judging.models import Assignment
from tabyin.ideas.moderation import services as moderation
from tabyin.ideas.results import services as results
from tabyin.ideas.results.models import Implementation
from tests import factories
from tests.ideas.helpers import committed
from tests.ideas.test_jury_workflow import _setup, _values

pytestmark = pytest.mark.django_db
REASON = "بیرون از موضوع."
LINK = "\nhttp://127.0.0.1:8000/ideas/c/queues/"


def _own_contacts() -> None:
    """Each test entry of ``_setup`` gets its own number, so each author's messages can be read."""
    for entry in Entry.objects.all():
        Entry.objects.filter(pk=entry.pk).update(contact=f"+98912000001{entry.title[-1]}")


def _texts(number: str) -> list[str]:
    return [m.text for m in console.OUTBOX if m.to == number]


def test_screening_is_told_once_and_outside_the_request(org: None, hq_analyst: User) -> None:
    challenge, _seats = _setup(hq_analyst, phase="moderation")
    _own_contacts()
    entry = challenge.entries.get(title="ایده 0")
    Entry.objects.filter(pk=entry.pk).update(status=EntryStatus.SUBMITTED)
    entry.refresh_from_db()
    with translation.override("fa"), TestCase.captureOnCommitCallbacks(execute=False) as queued:
        moderation.entry_moderate(actor=hq_analyst, entry=entry, decision="rejected", reason=REASON)
    # Nothing was sent inside the call: one row and one task waiting for the commit (beside the
    # public API's cache counter, bumped again at the commit: ideas.public_version).
    assert console.OUTBOX == []
    tasks = [callback for callback in queued if isinstance(callback, functools.partial)]
    assert [task.args[0] for task in tasks] == ["ideas.send_notices"]
    assert len(queued) == 2
    row = Notice.objects.get(entry=entry)
    assert (row.step, row.sent_at, row.delivery) == ("screened-rejected", None, "")
    assert row.text == "ورودی شما «ایده 0» بررسی شد: پذیرفته نشد." + LINK
    tasks[0]()
    tasks[0]()  # the task ran twice (a retry): the author still gets one message
    assert _texts("+989120000010") == [row.text]
    row.refresh_from_db()
    assert row.sent_at is not None and row.delivery == "console-1"
    # The same step went into the entry's mailbox in core's ledger, with the SMS recorded beside it.
    told = PublicNotice.objects.get(mailbox__app="ideas", mailbox__ref=f"entry-{entry.pk}")
    assert (told.key, told.title, told.body, told.url) == (
        "step:screened-rejected",
        "خبری دربارهٔ ورودی شما «ایده 0»",
        "ورودی شما «ایده 0» بررسی شد: پذیرفته نشد.",
        "/ideas/c/queues/",
    )
    assert sorted(told.deliveries.values_list("channel", "state", "attempts", "result")) == [
        ("inbox", "sent", 1, ""),
        ("sms", "sent", 1, "console-1"),
    ]
    sms_row = told.deliveries.get(channel="sms")
    assert sms_row.target_hash == sms.identity_hash("phone", "+989120000010", purpose="public-notice")
    # The same decision again is the same step: not told again.
    with translation.override("fa"), committed():
        moderation.entry_moderate(actor=hq_analyst, entry=entry, decision="rejected", reason=REASON)
    assert _texts("+989120000010") == [row.text]
    assert Notice.objects.filter(entry=entry).count() == 1


def test_going_to_the_jury_is_told_once_to_each_author(org: None, hq_analyst: User) -> None:
    challenge, _seats = _setup(hq_analyst)
    _own_contacts()
    with translation.override("fa"), committed():
        jury_services.assign(actor=hq_analyst, challenge=challenge)
    assert _texts("+989120000013") == ["ورودی شما «ایده 3» اکنون نزد داوران چالش است." + LINK]
    assert Notice.objects.filter(step="jury").count() == 6 and len(console.OUTBOX) == 6
    with translation.override("fa"), committed():
        jury_services.assign(actor=hq_analyst, challenge=challenge, seed=1)  # assigned again
    assert len(console.OUTBOX) == 6


def test_every_author_hears_the_results_winner_or_not(org: None, hq_analyst: User) -> None:
    challenge, _seats = _setup(hq_analyst, phase="implementation")
    _own_contacts()
    jury_services.assign(actor=hq_analyst, challenge=challenge)  # not committed: no jury notices
    for a in Assignment.objects.select_related("seat__user", "entry").order_by("pk"):
        jury_services.scores_submit(juror=a.seat.user, assignment=a, values=_values(a, 5))
    from tabyin.ideas.judging import selectors as jury_selectors

    top = int(jury_selectors.jury_results(challenge).ranked[0].entry_id)
    winner = Entry.objects.get(pk=top)
    with translation.override("fa"), committed():
        results.winners_confirm(actor=hq_analyst, challenge=challenge, entry_ids=[top], message="اعلام")
    sent = {m.to: m.text for m in console.OUTBOX}
    assert len(console.OUTBOX) == 6 == len(sent)
    assert sent[winner.contact] == f"ورودی شما «{winner.title}» در میان برگزیدگان است." + LINK
    other = Entry.objects.exclude(pk=top).order_by("pk").first()
    assert other is not None
    assert sent[other.contact] == (
        f"نتیجهٔ چالش اعلام شد. ورودی شما «{other.title}» در میان برگزیدگان نیست؛ "
        "از همراهی شما سپاسگزاریم." + LINK
    )
    assert Notice.objects.filter(step="results", sent_at__isnull=False).count() == 6


def test_each_tracker_step_is_told(org: None, hq_analyst: User) -> None:
    challenge, _seats = _setup(hq_analyst, phase="implementation")
    entry = challenge.entries.get(title="ایده 2")
    start = timezone.localdate()
    with translation.override("fa"), committed():
        track = results.implementation_start(
            actor=hq_analyst,
            entry=entry,
            owner_unit=factories.unit("hq"),
            summary="اجرا",
            started=start,
            milestones=[("آزمایش", start + timedelta(days=30))],
        )
    with translation.override("fa"), committed():
        step = track.milestones.get()
        results.milestone_done(actor=hq_analyst, milestone=step, done_on=start, evidence="خبر")
    assert [m.text for m in console.OUTBOX] == [
        "ایدهٔ شما «ایده 2» در حال اجراست؛ روند آن را در صفحهٔ عمومی‌اش دنبال کنید." + LINK,
        "گامی از ایدهٔ شما «ایده 2» انجام شد: آزمایش." + LINK,
    ]
    assert list(Notice.objects.order_by("pk").values_list("step", flat=True)) == [
        "implementing",
        f"milestone-{track.milestones.get().pk}",
    ]
    assert Implementation.objects.count() == 1


def test_the_sweep_sends_what_no_task_sent(org: None, hq_analyst: User) -> None:
    challenge, _seats = _setup(hq_analyst)
    entry = challenge.entries.get(title="ایده 1")
    notices.queue([(entry, "پیام")], step="lost")  # its task is never run (no commit)
    row = Notice.objects.get()
    assert notices.sweep(now=row.created_at + timedelta(minutes=1)) == 0  # fresh: left to its task
    assert notices.sweep(now=row.created_at + timedelta(minutes=3)) == 1
    assert notices.sweep(now=row.created_at + timedelta(minutes=9)) == 0
    assert [m.text for m in console.OUTBOX] == ["پیام" + LINK]
