"""Reading the jury's work: a juror's assignments, scores (hidden until one's own are sent), and
the published inputs and results (``tabyin.ideas.jury`` computes them)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.ideas import audit_codes, permissions
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.judging.models import Assignment, Score
from tabyin.ideas.jury import agreement, normalize, ranking
from tabyin.ideas.jury import types as jury_types


def assignments_for(user: User) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(seat__user=user)
        .select_related("entry", "entry__challenge", "seat")
        .order_by("submitted_at", "entry__challenge_id", "entry_id")
    )


def other_scores(*, user: User, entry: Entry) -> QuerySet[Score]:
    """Other jurors' scores of ``entry``: an organizer sees them; a juror only after sending their
    own (reading first would let them align). An early attempt is refused and audited."""
    if permissions.can_organize(scope_for(user)):
        return Score.objects.filter(assignment__entry=entry)
    mine = Assignment.objects.filter(seat__user=user, entry=entry).first()
    if mine is None or mine.submitted_at is None:
        audit_record(actor=user, action=AuditAction.VIEW, obj=entry, after={"refused": audit_codes.EARLY_PEEK})
        raise PermissionDenied(_("Send your own scores first; other jurors' scores are hidden until then."))
    return Score.objects.filter(assignment__entry=entry, assignment__submitted_at__isnull=False).exclude(
        assignment=mine
    )


@dataclass(frozen=True)
class JuryResults:
    inputs: list[jury_types.Score]
    criteria: list[jury_types.Criterion]
    normalized: dict[str, float]
    ranked: list[ranking.RankedEntry]
    icc: agreement.IccResult | None
    supports: dict[str, int]


def jury_inputs(challenge: Challenge) -> tuple[list[jury_types.Score], list[jury_types.Criterion]]:
    """Every sent score, jurors named by their seat number (the published form)."""
    criteria = [
        jury_types.Criterion(key=c["key"], weight=float(c["weight"]), max_value=float(c["max"]))
        for c in challenge.rubric
    ]
    rows = Score.objects.filter(
        assignment__entry__challenge=challenge, assignment__submitted_at__isnull=False
    ).values_list("assignment__seat__number", "assignment__entry_id", "criterion", "value")
    scores = [
        jury_types.Score(juror_id=str(number), entry_id=str(entry_id), criterion=criterion, value=float(value))
        for number, entry_id, criterion, value in rows.order_by("assignment__entry_id", "assignment__seat__number", "criterion")
    ]
    return scores, criteria


def jury_results(challenge: Challenge) -> JuryResults:
    scores, criteria = jury_inputs(challenge)
    normalized = normalize.normalized_entry_scores(scores, criteria)
    supports = dict(
        challenge.entries.filter(pk__in=[int(k) for k in normalized])
        .annotate(n=Count("supports", filter=Q(supports__flagged=False)))
        .values_list("pk", "n")
    )
    support_counts = {str(pk): n for pk, n in supports.items()}
    # The published tie rule: more public supports first, then the earlier entry.
    tie_break = {key: (-support_counts.get(key, 0), int(key)) for key in normalized}
    ranked = ranking.rank(normalized, tie_break)
    try:
        icc = agreement.icc(scores, criteria)
    except ValueError:
        icc = None  # too few entries or jurors to measure agreement
    return JuryResults(scores, criteria, normalized, ranked, icc, support_counts)


@dataclass(frozen=True)
class Progress:
    jurors: int
    assignments: int
    sent: int


def progress(challenge: Challenge) -> Progress:
    rows = Assignment.objects.filter(entry__challenge=challenge)
    return Progress(
        jurors=challenge.jurors.count(), assignments=rows.count(), sent=rows.filter(submitted_at__isnull=False).count()
    )
