"""Winners, implementation trackers with milestones (the author told at each step), the scorecard
metrics through core's registry, the public pages of every phase, and the demo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tabyin.core.models import OrgUnit, User
from tabyin.core.registry import registry
from tabyin.core.sms import console
from tabyin.ideas import demo
from tabyin.ideas.challenges.enums import Phase
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.results import services
from tabyin.ideas.results.enums import TrackStatus
from tests import factories
from tests.conftest import verified_client
from tests.ideas.helpers import committed, make_challenge

pytestmark = pytest.mark.django_db


def _entry(challenge: Challenge, n: int, iso: str, status: str) -> Entry:
    now = timezone.now()
    return Entry.objects.create(
        challenge=challenge,
        title=f"ایده {n}",
        body="متن",
        province=OrgUnit.objects.get(iso_code=iso, kind="province"),
        author_hash=f"a{n}",
        contact_kind="phone",
        contact=f"+98912000000{n}",
        follow_hash=f"f{n}",
        fingerprint=f"p{n}",
        status=status,
        created_at=now,
        updated_at=now,
    )


def test_an_idea_is_followed_to_the_end(org: None, hq_analyst: User) -> None:
    challenge = make_challenge(phase="implementation")
    entry = _entry(challenge, 1, "IR-23", EntryStatus.SHORTLISTED)
    with committed():
        services.winners_announce(actor=hq_analyst, challenge=challenge, entries=[entry])
        start = date(2026, 9, 1)
        track = services.implementation_start(
            actor=hq_analyst,
            entry=entry,
            owner_unit=factories.unit("hq"),
            summary="اجرا در شعبه‌ها",
            started=start,
            milestones=[("آزمایش", start + timedelta(days=30)), ("اجرای کامل", start + timedelta(days=90))],
        )
        page = Client().get(f"/ideas/implemented/{entry.pk}/").content.decode()
        assert "در حال انجام" in page and "آزمایش" in page
        first, second = track.milestones.order_by("order")
        services.milestone_done(actor=hq_analyst, milestone=first, done_on=first.due, evidence="گزارش خبری")
        services.milestone_done(actor=hq_analyst, milestone=second, done_on=second.due, evidence="بخشنامه")
    track.refresh_from_db()
    entry.refresh_from_db()
    assert (track.status, track.finished_at, entry.status) == (
        TrackStatus.DONE,
        second.due,
        EntryStatus.IMPLEMENTED,
    )
    texts = [m.text for m in console.OUTBOX if m.to == "+989120000001"]
    assert len(texts) == 4 and texts[0].startswith("ورودی شما «ایده 1» در میان برگزیدگان است")


def test_scorecard_metrics(org: None) -> None:
    challenge = make_challenge(phase="implementation")
    _entry(challenge, 1, "IR-23", EntryStatus.IMPLEMENTED)
    _entry(challenge, 2, "IR-23", EntryStatus.ACCEPTED)
    _entry(challenge, 3, "IR-23", EntryStatus.REJECTED)
    _entry(challenge, 4, "IR-10", EntryStatus.IMPLEMENTING)
    today = timezone.localdate()
    figures = {
        name: registry.metrics[f"ideas.{name}"].compute(today, today)
        for name in ("challenges_held", "participation", "implemented_share")
    }
    assert {k: {p: str(v) for p, v in f.items()} for k, f in figures.items()} == {
        "challenges_held": {"IR-23": "1", "IR-10": "1"},
        "participation": {"IR-23": "3", "IR-10": "1"},
        "implemented_share": {"IR-23": "0.5000", "IR-10": "1.0000"},
    }
    assert registry.metrics["ideas.implemented_share"].absent == "not_applicable"


@pytest.mark.parametrize(
    ("phase", "shown"),
    [
        ("submission", "ایده‌تان را بفرستید"),
        ("support", "حمایت مردمی"),
        ("jury", "داوری"),
        ("implementation", "نتایج و چگونگی"),
    ],
)
def test_the_challenge_page_follows_its_phase(org: None, phase: str, shown: str) -> None:
    make_challenge(phase=phase)
    page = Client().get("/ideas/c/queues/").content.decode()
    assert shown in page
    assert Client().get("/ideas/").status_code == 200


def test_demo_has_the_three_challenges(org: None, hq_analyst: User) -> None:
    juror = factories.persona("hq.juror", "hq", "juror")  # type: ignore[arg-type]
    summary = demo.load()
    assert summary.startswith("ideas: 3 sample challenges")
    now = timezone.now()
    phases = {c.slug: c.phase_at(now) for c in Challenge.objects.all()}
    assert phases == {
        "sample-branch-queues": Phase.IMPLEMENTATION,
        "sample-voluntary-insurance": Phase.JURY,
        "sample-pension-letters": Phase.SUBMISSION,
    }
    assert Entry.objects.filter(status=EntryStatus.IMPLEMENTED).count() == 1
    assert Entry.objects.filter(status=EntryStatus.IMPLEMENTING).count() == 1
    todo = verified_client(juror).get("/staff/ideas/jury/").content.decode()
    assert "برای امتیازدهی" in todo
    assert demo.load() == "ideas: sample challenges already loaded"
    for url in ("/ideas/", "/ideas/c/sample-branch-queues/results/", "/ideas/implemented/", "/staff/ideas/"):
        client = verified_client(hq_analyst) if url.startswith("/staff") else Client()
        assert client.get(url).status_code == 200, url
