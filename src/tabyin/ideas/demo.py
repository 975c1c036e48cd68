"""`tabyin demo` for Jam'i-no: a finished idea challenge with winners and two ideas carried out,
a content contest in its jury phase (the «داور» persona has entries to score), and an open
challenge. Screening, assignment, scores, winners and trackers all go through the services;
only the entries of past challenges are written directly (their submission phase is over).
Fixed seed, marked as sample data; idempotent (nothing is done when sample challenges exist).
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from tabyin.core import selectors as core_selectors
from tabyin.core import services as core_services
from tabyin.core.enums import Role
from tabyin.core.models import OrgUnit, User
from tabyin.core.sms import identity_hash
from tabyin.ideas import demo_data as data
from tabyin.ideas import public_version
from tabyin.ideas.challenges.enums import ChallengeKind, MediaKind
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries import similarity, tokens
from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.judging import feedback, pairwise
from tabyin.ideas.judging import selectors as jury_selectors
from tabyin.ideas.judging import services as judging
from tabyin.ideas.judging.models import Assignment, JurorSeat
from tabyin.ideas.moderation import services as moderation
from tabyin.ideas.results import services as results
from tabyin.ideas.support.models import Support

SEED = 1405
DAY = timedelta(days=1)


def _challenge(
    spec: dict[str, Any], *, kind: str, rubric: list[dict[str, Any]], opens: Any, **more: Any
) -> Challenge:
    return Challenge.objects.create(
        slug=spec["slug"],
        title=spec["title"],
        kind=kind,
        problem=spec["problem"],
        rules=spec["rules"],
        categories=spec.get("categories", []),
        prizes=spec["prizes"],
        rubric=rubric,
        submission_opens=opens,
        submission_closes=opens + 30 * DAY,
        moderation_closes=opens + 37 * DAY,
        support_closes=opens + 51 * DAY,
        jury_closes=opens + 65 * DAY,
        results_at=opens + 70 * DAY,
        is_sample=True,
        **more,
    )


def _entry(challenge: Challenge, n: int, title: str, body: str, iso: str, **more: Any) -> Entry:
    phone = f"+98912000{challenge.pk:02d}{n:02d}"
    at = challenge.submission_opens + (n + 1) * DAY
    return Entry.objects.create(
        challenge=challenge,
        title=title,
        body=body,
        province=core_selectors.province_by_iso(iso),
        author_hash=identity_hash("phone", phone, purpose="ideas-author"),
        contact_kind="phone",
        contact=phone,
        follow_hash=tokens.follow_hash(tokens.new_token()),
        fingerprint=similarity.fingerprint(title, body),
        is_sample=True,
        created_at=at,
        updated_at=at,
        **more,
    )


def _supports(entry: Entry, count: int) -> None:
    Support.objects.bulk_create(
        Support(
            entry=entry,
            supporter_hash=identity_hash("phone", f"+98935{entry.pk:03d}{i:04d}", purpose="ideas-support"),
            source_hash=f"sample-{entry.pk}-{i % 7}",
            created_at=entry.created_at + DAY,
        )
        for i in range(count)
    )
    public_version.bump()  # bulk_create sends no signal


def _compare(rng: random.Random, challenge: Challenge, seats: list[JurorSeat], skip: User | None) -> None:
    """Three pairwise choices by each sample juror (the persona compares on the page)."""
    for seat in seats:
        if seat.user == skip:
            continue
        for _n in range(3):
            pair = pairwise.next_pair(seat)
            if pair is None:
                break
            first, second = pair if rng.random() < 0.6 else (pair[1], pair[0])
            pairwise.comparison_record(
                juror=seat.user, challenge=challenge, winner_id=first.pk, loser_id=second.pk
            )


def _jurors(analyst: User, challenge: Challenge, persona: User | None) -> list[JurorSeat]:
    seats = []
    for username, display, iso in data.JURORS:
        user = User.objects.filter(username=username).first()
        province = OrgUnit.objects.get(iso_code=iso, kind="province")
        if user is None:
            user = core_services.user_create(
                actor=None,
                username=username,
                password=None,
                display_name=display,
                unit=province,
                role=Role.JUROR,
            )
        seats.append(
            judging.seat_add(actor=analyst, challenge=challenge, user=user, province=province, unit=province)
        )
    if persona is not None:
        hq = OrgUnit.objects.get(code="hq")
        seats.append(
            judging.seat_add(actor=analyst, challenge=challenge, user=persona, province=None, unit=hq)
        )
    return seats


def _score(
    rng: random.Random, challenge: Challenge, seats: list[JurorSeat], *, skip: User | None = None
) -> int:
    sent = 0
    # Each juror has a severity of their own: the normalization has something to correct.
    severity = {seat.pk: rng.uniform(-2.0, 1.5) for seat in seats}
    for a in (
        Assignment.objects.filter(entry__challenge=challenge)
        .select_related("seat__user", "entry")
        .order_by("pk")
    ):
        if skip is not None and a.seat.user_id == skip.pk:
            continue
        quality = 4 + (a.entry.pk * 7) % 5
        values = {
            c["key"]: str(max(0, min(10, round(quality + severity[a.seat_id] + rng.uniform(-1, 1)))))
            for c in challenge.rubric
        }
        judging.scores_submit(juror=a.seat.user, assignment=a, values=values)
        sent += 1
    return sent


def load() -> str:
    if Challenge.objects.filter(is_sample=True).exists():
        return "ideas: sample challenges already loaded"
    analyst = User.objects.get(username="hq.analyst")
    persona = User.objects.filter(username="hq.juror").first()
    rng = random.Random(SEED)  # noqa: S311 - sample scores, nothing secret
    now = timezone.now()
    with transaction.atomic():
        done = _challenge(
            data.FINISHED, kind=ChallengeKind.IDEA, rubric=data.RUBRIC_IDEA, opens=now - 200 * DAY
        )
        entries = [
            _entry(done, n, t, b, iso, category=c) for n, (t, c, iso, b) in enumerate(data.FINISHED_IDEAS)
        ]
        for i, entry in enumerate(entries):
            if i == 4:  # the near-copy of the first idea
                moderation.entry_moderate(
                    actor=analyst,
                    entry=entry,
                    decision=EntryStatus.DUPLICATE,
                    reason="همین ایده پیش‌تر با شمارهٔ دیگری فرستاده شده بود؛ حمایت‌تان را به آن بدهید.",
                    duplicate_of=entries[0],
                )
                continue
            moderation.entry_moderate(actor=analyst, entry=entry, decision=EntryStatus.ACCEPTED, reason="")
            _supports(entry, 40 - 6 * i)
        seats = _jurors(analyst, done, None)
        judging.assign(actor=analyst, challenge=done)
        scored = _score(rng, done, seats)
        # The jury's top three win (the ranking is the published one, so the demo agrees with it).
        ranked = jury_selectors.jury_results(done).ranked
        winners = [Entry.objects.get(pk=int(r.entry_id)) for r in ranked[:3]]
        results.winners_confirm(
            actor=analyst,
            challenge=done,
            entry_ids=[w.pk for w in winners],
            message=data.ANNOUNCEMENT,
        )
        # The jurors' words to the first winner's author, released by the organizer.
        reviews = Assignment.objects.filter(entry=winners[0]).select_related("seat__user").order_by("pk")
        for review, text in zip(reviews, data.FEEDBACK, strict=False):
            feedback.feedback_write(juror=review.seat.user, assignment=review, text=text)
        feedback.feedback_release(actor=analyst, entry=winners[0])
        owner = OrgUnit.objects.get(code="hq")
        start = (done.results_at + 5 * DAY).date()
        first = results.implementation_start(
            actor=analyst,
            entry=winners[0],
            owner_unit=owner,
            started=start,
            summary=data.SUMMARY % winners[0].title,
            milestones=[
                ("آزمایش در سه شعبهٔ تهران", start + 30 * DAY),
                ("اجرا در همهٔ شعبه‌های تهران", start + 60 * DAY),
            ],
        )
        for m in first.milestones.all():
            results.milestone_done(
                actor=analyst, milestone=m, done_on=m.due, evidence="گزارش اجرای طرح در بخش اخبار سایت"
            )
        second = results.implementation_start(
            actor=analyst,
            entry=winners[1],
            owner_unit=owner,
            started=start,
            summary=data.SUMMARY % winners[1].title,
            milestones=[
                ("طراحی و آزمون در یک شعبه", start + 45 * DAY),
                ("اجرا در همهٔ استان‌ها", start + 120 * DAY),
            ],
        )
        first_step = second.milestones.order_by("order").first()
        assert first_step is not None
        results.milestone_done(
            actor=analyst, milestone=first_step, done_on=first_step.due, evidence="صورت‌جلسهٔ آزمون در شعبه"
        )

        contest = _challenge(
            data.CONTEST,
            kind=ChallengeKind.CONTEST,
            rubric=data.RUBRIC_CONTEST,
            opens=now - 55 * DAY,
            media_kinds=[k.value for k in MediaKind],
            pairwise=True,
        )
        works = [
            _entry(contest, n, t, b, iso, media_kind=k)
            for n, (t, k, iso, b) in enumerate(data.CONTEST_ENTRIES)
        ]
        for work in works:
            moderation.entry_moderate(actor=analyst, entry=work, decision=EntryStatus.ACCEPTED, reason="")
            _supports(work, 12 + work.pk % 9)
        contest_seats = _jurors(analyst, contest, persona)
        judging.assign(actor=analyst, challenge=contest)
        contest_scored = _score(rng, contest, contest_seats, skip=persona)
        _compare(rng, contest, contest_seats, skip=persona)

        open_one = _challenge(
            data.OPEN, kind=ChallengeKind.IDEA, rubric=data.RUBRIC_IDEA, opens=now - 5 * DAY
        )
        for n, (t, c, iso, b) in enumerate(data.OPEN_IDEAS):
            idea = _entry(open_one, n, t, b, iso, category=c)
            moderation.entry_moderate(actor=analyst, entry=idea, decision=EntryStatus.ACCEPTED, reason="")
            _supports(idea, 5 + n * 3)
    return (
        f"ideas: 3 sample challenges; finished one with {len(entries)} ideas, {scored} jury reviews, "
        f"2 carried out; contest in its jury phase with {len(works)} works ({contest_scored} reviews sent); "
        f"1 open challenge"
    )
