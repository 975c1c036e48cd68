"""Pairwise comparison, where a challenge opts in: a juror is shown two entries and picks the
better one; the Bradley-Terry strengths (``ideas.jury.ranking.bradley_terry``) rank them.

Which pair comes next: among the entries the juror may judge (the same conflicts as assignment:
their province, their unit, a recorded conflict, their own entry), the entry with the fewest
comparisons so far (every juror's), against the partner with the fewest that this juror has not
yet compared it with; ties by entry id. So comparisons spread over all entries, and the order is
the same for everyone who asks at the same moment.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.services import audit_record
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.judging.models import Comparison, JurorSeat, pair_key
from tabyin.ideas.judging.services import JURY_STATUSES, _jury_inputs
from tabyin.ideas.jury import assign as jury_assign
from tabyin.ideas.jury import ranking
from tabyin.ideas.jury.types import Comparison as JuryComparison


def seat_for(user: User, challenge: Challenge) -> JurorSeat:
    seat = JurorSeat.objects.filter(challenge=challenge, user=user).first()
    if seat is None or not challenge.pairwise:
        raise PermissionDenied(_("You do not compare entries in this challenge."))
    return seat


def _eligible(seat: JurorSeat) -> list[int]:
    entries, jurors = _jury_inputs(seat.challenge)
    juror = next(j for j in jurors if j.id == str(seat.pk))
    return [int(e.id) for e in entries if not jury_assign.has_conflict(juror, e)]


def next_pair(seat: JurorSeat) -> tuple[Entry, Entry] | None:
    eligible = _eligible(seat)
    rows = Comparison.objects.filter(seat__challenge=seat.challenge).values_list(
        "seat_id", "winner_id", "loser_id"
    )
    count: Counter[int] = Counter()
    done: set[str] = set()
    for seat_id, winner, loser in rows:
        count[winner] += 1
        count[loser] += 1
        if seat_id == seat.pk:
            done.add(pair_key(winner, loser))
    for first in sorted(eligible, key=lambda e: (count[e], e)):
        partners = [e for e in eligible if e != first and pair_key(first, e) not in done]
        if partners:
            second = min(partners, key=lambda e: (count[e], e))
            shown = Entry.objects.in_bulk([first, second])
            return shown[first], shown[second]
    return None


def compared_by(seat: JurorSeat) -> int:
    return seat.comparisons.count()


def comparison_record(*, juror: User, challenge: Challenge, winner_id: int, loser_id: int) -> Comparison:
    """The juror's choice between two entries; one choice per pair and juror, audited."""
    seat = seat_for(juror, challenge)
    if winner_id == loser_id or not {winner_id, loser_id} <= set(_eligible(seat)):
        raise ValidationError(_("These two entries cannot be compared by you."))
    try:
        with transaction.atomic():
            row = Comparison.objects.create(
                seat=seat,
                winner_id=winner_id,
                loser_id=loser_id,
                pair=pair_key(winner_id, loser_id),
                compared_at=timezone.now(),
            )
            audit_record(
                actor=juror,
                action=AuditAction.CREATE,
                obj=row,
                after={"winner": winner_id, "loser": loser_id},
            )
    except IntegrityError:
        raise ValidationError(_("You already compared these two entries.")) from None
    return row


@dataclass(frozen=True)
class Strength:
    position: int
    entry_id: int
    title: str
    theta: float  # Bradley-Terry log-strength, mean zero
    wins: int
    comparisons: int


def strengths(challenge: Challenge) -> list[Strength]:
    """The entries compared so far, strongest first (ties by entry id); empty below two entries."""
    rows = list(
        Comparison.objects.filter(seat__challenge=challenge, winner__status__in=JURY_STATUSES).values_list(
            "winner_id", "loser_id"
        )
    )
    if not rows:
        return []
    try:
        theta = ranking.bradley_terry(JuryComparison(str(w), str(lo)) for w, lo in rows)
    except ranking.RankingError:
        return []
    wins = Counter(w for w, _lo in rows)
    seen = Counter([w for w, _lo in rows] + [lo for _w, lo in rows])
    titles = dict(challenge.entries.values_list("pk", "title"))
    order = sorted(theta, key=lambda e: (-round(theta[e], 6), int(e)))
    return [
        Strength(n, int(e), titles.get(int(e), ""), theta[e], wins[int(e)], seen[int(e)])
        for n, e in enumerate(order, start=1)
    ]
