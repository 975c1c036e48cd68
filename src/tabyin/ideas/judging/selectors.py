"""Reading the jury's work: a juror's assignments, scores (hidden until one's own are sent), and
the published inputs and results (``tabyin.ideas.jury`` computes them)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from tabyin.core.enums import AuditAction, Role
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.ideas import audit_codes, permissions
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries.models import Entry, EntryFile
from tabyin.ideas.judging.models import Assignment, Conflict, JurorSeat, Score
from tabyin.ideas.jury import agreement, inputs, ranking
from tabyin.ideas.jury import types as jury_types


def pairwise_challenges(user: User) -> QuerySet[Challenge]:
    """Challenges where the user sits on the jury and the jurors compare entries in pairs."""
    return Challenge.objects.filter(pairwise=True, jurors__user=user).order_by("jury_closes", "pk")


def assignments_for(user: User) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(seat__user=user)
        .select_related("entry", "entry__challenge", "seat")
        .order_by("submitted_at", "entry__challenge_id", "entry_id")
    )


def file_name_for_jury(entry: Entry, item: EntryFile) -> str:
    """The name a juror downloads a file under: the author's own name for it, except in a blind
    review, where a file name ("maryam-ahmadi-poster.jpg") could tell who wrote the entry."""
    if not entry.challenge.blind_review:
        return item.label
    stored = item.file.name or ""
    extension = stored.rsplit(".", 1)[-1] if "." in stored else "bin"
    return f"entry-{entry.pk}-{item.token[:6]}.{extension}"


def other_scores(*, user: User, entry: Entry) -> QuerySet[Score]:
    """Other jurors' scores of ``entry``: an organizer sees them; a juror only after sending their
    own (reading first would let them align). An early attempt is refused and audited."""
    if permissions.can_organize(scope_for(user)):
        return Score.objects.filter(assignment__entry=entry)
    mine = Assignment.objects.filter(seat__user=user, entry=entry).first()
    if mine is None or mine.submitted_at is None:
        audit_record(
            actor=user, action=AuditAction.VIEW, obj=entry, after={"refused": audit_codes.EARLY_PEEK}
        )
        raise PermissionDenied(_("Send your own scores first; other jurors' scores are hidden until then."))
    return Score.objects.filter(assignment__entry=entry, assignment__submitted_at__isnull=False).exclude(
        assignment=mine
    )


@dataclass(frozen=True)
class Shown:
    juror: int  # the seat number («داور ۲»), never a name
    label: str  # the criterion as the rubric names it
    value: Decimal


def labelled(challenge: Challenge, scores: QuerySet[Score]) -> list[Shown]:
    labels = {c["key"]: c["label"] for c in challenge.rubric}
    rows = scores.select_related("assignment__seat").order_by("assignment__seat__number", "criterion")
    return [Shown(s.assignment.seat.number, labels.get(s.criterion, s.criterion), s.value) for s in rows]


@dataclass(frozen=True)
class JuryResults:
    published: inputs.PublishedInputs
    ranked: list[ranking.RankedEntry]
    icc: agreement.IccResult | None


def _pseudonym_key(challenge: Challenge) -> bytes:
    # Per challenge: a juror's pseudonym in one challenge's file does not follow them to the next.
    secret = settings.TABYIN_IDENTITY_KEY.encode()
    return hashlib.blake2b(
        str(challenge.pk).encode(), key=hashlib.sha256(secret).digest(), person=b"ideas-juror"
    ).digest()


def jury_inputs(challenge: Challenge) -> inputs.PublishedInputs:
    """Every sent score (jurors by pseudonym), the rubric and each scored entry's sending time."""
    criteria = [
        jury_types.Criterion(key=c["key"], weight=float(c["weight"]), max_value=float(c["max"]))
        for c in challenge.rubric
    ]
    rows = Score.objects.filter(
        assignment__entry__challenge=challenge, assignment__submitted_at__isnull=False
    ).order_by("assignment__entry_id", "assignment__seat_id", "criterion")
    scores = [
        jury_types.Score(juror_id=str(seat), entry_id=str(entry), criterion=criterion, value=float(value))
        for seat, entry, criterion, value in rows.values_list(
            "assignment__seat_id", "assignment__entry_id", "criterion", "value"
        )
    ]
    entry_ids = {int(s.entry_id) for s in scores}
    submitted = {
        str(pk): at for pk, at in Entry.objects.filter(pk__in=entry_ids).values_list("pk", "created_at")
    }
    return inputs.publish(scores, criteria, submitted, _pseudonym_key(challenge))


def jury_results(challenge: Challenge) -> JuryResults:
    published = jury_inputs(challenge)
    ranked = inputs.recompute(published)
    try:
        icc = agreement.icc(published.scores, published.criteria)
    except agreement.AgreementError:
        icc = None  # too few entries with two or more ratings to measure agreement
    return JuryResults(published, ranked, icc)


def ranking_rows(
    challenge: Challenge, ranked: list[ranking.RankedEntry]
) -> list[tuple[ranking.RankedEntry, str]]:
    titles = dict(challenge.entries.values_list("pk", "title"))
    return [(r, titles.get(int(r.entry_id), "")) for r in ranked]


@dataclass(frozen=True)
class Progress:
    jurors: int
    assignments: int
    sent: int


def progress(challenge: Challenge) -> Progress:
    rows = Assignment.objects.filter(entry__challenge=challenge)
    return Progress(
        jurors=challenge.jurors.count(),
        assignments=rows.count(),
        sent=rows.filter(submitted_at__isnull=False).count(),
    )


def seats(challenge: Challenge) -> QuerySet[JurorSeat]:
    """The jury with each juror's load: reviews assigned, sent, and conflicts declared or named."""
    return (
        challenge.jurors.select_related("user", "unit", "province")
        .annotate(
            assigned=Count("assignments", distinct=True),
            sent=Count("assignments", filter=Q(assignments__submitted_at__isnull=False), distinct=True),
            conflict_count=Count("conflicts", distinct=True),
        )
        .order_by("number")
    )


def juror_candidates(challenge: Challenge) -> QuerySet[User]:
    """Active staff holding the jury member role who are not on this jury yet."""
    return (
        User.objects.filter(is_active=True, memberships__role=Role.JUROR, memberships__unit__is_active=True)
        .exclude(pk__in=challenge.jurors.values("user_id"))
        .distinct()
        .order_by("username")
    )


def conflicts(challenge: Challenge) -> QuerySet[Conflict]:
    return (
        Conflict.objects.filter(seat__challenge=challenge)
        .select_related("seat", "entry")
        .order_by("seat__number", "entry_id")
    )


@dataclass(frozen=True)
class Spread:
    """What an assignment run left: entries with reviews, and the lightest and heaviest loads."""

    entries: int
    lightest: int
    heaviest: int


def spread(challenge: Challenge) -> Spread | None:
    loads: list[int] = [getattr(s, "assigned", 0) for s in seats(challenge)]
    if not loads or not any(loads):
        return None
    entries = Assignment.objects.filter(entry__challenge=challenge).values("entry_id").distinct().count()
    return Spread(entries=entries, lightest=min(loads), heaviest=max(loads))
