"""The jury workflow: seats, declared conflicts, automatic assignment and sending scores.

The arithmetic is ``tabyin.ideas.jury`` (pure); this module turns rows into its inputs and its
answers into rows, checks who may do what, and audits every write.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core.display.numbers import typed_number_to_ascii
from tabyin.core.enums import AuditAction, Role
from tabyin.core.models import Membership, OrgUnit, User
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.ideas import permissions, public_version
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries import notices
from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.judging.models import Assignment, Conflict, Feedback, JurorSeat, Score
from tabyin.ideas.jury import assign as jury_assign
from tabyin.ideas.jury import types as jury_types

PER_ENTRY: Final = 3
# Entries that go to the jury: screened and accepted (or already shortlisted by an earlier run).
JURY_STATUSES: Final = (EntryStatus.ACCEPTED, EntryStatus.SHORTLISTED)


def seat_add(
    *, actor: User, challenge: Challenge, user: User, province: OrgUnit | None, unit: OrgUnit | None
) -> JurorSeat:
    permissions.require(permissions.can_organize(scope_for(actor)))
    number = (challenge.jurors.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    seat = JurorSeat.objects.create(
        challenge=challenge, user=user, province=province, unit=unit, number=number
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=seat, after={"user": user.username})
    return seat


def seat_add_juror(*, actor: User, challenge: Challenge, user: User) -> JurorSeat:
    """Seat a staff member who holds the juror role; their unit and its province come from that
    membership, so conflicts of place follow without anyone typing them."""
    permissions.require(permissions.can_organize(scope_for(actor)))
    membership = (
        Membership.objects.filter(user=user, role=Role.JUROR, unit__is_active=True)
        .select_related("unit__province")
        .order_by("pk")
        .first()
    )
    if membership is None or not user.is_active:
        raise ValidationError({"user": [_("Only active staff with the jury member role can sit on a jury.")]})
    if challenge.jurors.filter(user=user).exists():
        raise ValidationError({"user": [_("This person is already on this challenge's jury.")]})
    unit = membership.unit
    return seat_add(actor=actor, challenge=challenge, user=user, province=unit.province, unit=unit)


def seat_remove(*, actor: User, seat: JurorSeat) -> None:
    """Take a juror off the jury; refused once they sent a score (their scores are published)."""
    permissions.require(permissions.can_organize(scope_for(actor)))
    if seat.assignments.filter(submitted_at__isnull=False).exists():
        raise ValidationError(_("This juror already sent scores; they stay on the jury."))
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.DELETE, obj=seat, before={"user": seat.user.username})
        seat.assignments.all().delete()
        seat.delete()


def conflict_name(*, actor: User, seat: JurorSeat, entry: Entry, note: str) -> Conflict:
    """The organizer records a conflict a juror has with one entry (they know the author, …);
    an unscored assignment of that entry to the juror is withdrawn."""
    permissions.require(permissions.can_organize(scope_for(actor)))
    if entry.challenge_id != seat.challenge_id:
        raise ValidationError({"entry": [_("There is no entry with this number in this challenge.")]})
    if not note.strip():
        raise ValidationError({"note": [_("Say why, for the record.")]})
    if Conflict.objects.filter(seat=seat, entry=entry).exists():
        raise ValidationError({"entry": [_("This conflict is already recorded.")]})
    if seat.assignments.filter(entry=entry, submitted_at__isnull=False).exists():
        raise ValidationError({"entry": [_("This juror already scored this entry.")]})
    with transaction.atomic():
        conflict = Conflict.objects.create(
            seat=seat, entry=entry, note=note.strip()[:300], declared_at=timezone.now()
        )
        seat.assignments.filter(entry=entry).delete()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=conflict,
            after={"juror_number": seat.number, "entry_number": entry.pk, "note": conflict.note},
        )
    return conflict


def reassign(*, actor: User, assignment: Assignment, seat: JurorSeat) -> Assignment:
    """Move one unscored review to another juror of the same jury who has no conflict with it."""
    permissions.require(permissions.can_organize(scope_for(actor)))
    entry = assignment.entry
    if seat.challenge_id != entry.challenge_id:
        raise ValidationError({"to_seat": [_("Choose a juror of this challenge.")]})
    if assignment.submitted_at is not None:
        raise ValidationError({"entry": [_("This review was already scored; it stays with its juror.")]})
    if Feedback.objects.filter(assignment=assignment).exists():
        # The feedback is the juror's own words: it must not move to another juror's name.
        raise ValidationError(
            {"entry": [_("This juror already wrote feedback on this entry; it stays with them.")]}
        )
    if Assignment.objects.filter(seat=seat, entry=entry).exists():
        raise ValidationError({"to_seat": [_("This juror already reviews this entry.")]})
    entries, jurors = _jury_inputs(entry.challenge, entry_ids=[entry.pk])
    juror = next(j for j in jurors if j.id == str(seat.pk))
    if not entries or jury_assign.has_conflict(juror, entries[0]):
        raise ValidationError({"to_seat": [_("This juror has a conflict of interest with this entry.")]})
    before = {"juror_number": assignment.seat.number}
    with transaction.atomic():
        assignment.seat = seat
        assignment.save(update_fields=["seat"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=assignment,
            before=before,
            after={"juror_number": seat.number},
        )
    return assignment


def conflict_declare(*, juror: User, entry: Entry, note: str = "") -> Conflict:
    seat = JurorSeat.objects.filter(challenge=entry.challenge, user=juror).first()
    if seat is None:
        raise PermissionDenied(_("You are not on this challenge's jury."))
    conflict, _created = Conflict.objects.get_or_create(
        seat=seat, entry=entry, defaults={"note": note[:300], "declared_at": timezone.now()}
    )
    # A conflict declared after assignment takes the entry away from the juror (unscored only).
    Assignment.objects.filter(seat=seat, entry=entry, submitted_at__isnull=True).delete()
    audit_record(actor=juror, action=AuditAction.CREATE, obj=conflict, after={"note": conflict.note})
    return conflict


def _jury_inputs(
    challenge: Challenge, entry_ids: list[int] | None = None
) -> tuple[list[jury_types.Entry], list[jury_types.Juror]]:
    rows = challenge.entries.filter(status__in=JURY_STATUSES)
    if entry_ids is not None:
        rows = rows.filter(pk__in=entry_ids)
    entries = [
        jury_types.Entry(
            id=str(e.pk),
            # The jury package treats equal strings as "same place": unknown places get a mark of
            # their own so that they conflict with nobody.
            province=e.province.iso_code if e.province else f"?entry-{e.pk}",
            unit=f"?entry-{e.pk}",
            author_id=e.author_hash,
        )
        for e in rows.select_related("province").order_by("pk")
    ]
    seats = (
        challenge.jurors.select_related("province", "unit").prefetch_related("conflicts").order_by("number")
    )
    jurors = [
        jury_types.Juror(
            id=str(s.pk),
            province=s.province.iso_code if s.province else f"?juror-{s.pk}",
            unit=s.unit.code if s.unit else f"?juror-{s.pk}",
            conflicts=frozenset(str(c.entry_id) for c in s.conflicts.all()),
        )
        for s in seats
    ]
    return entries, jurors


def assign(*, actor: User, challenge: Challenge, per_entry: int = PER_ENTRY, seed: int = 0) -> int:
    """Assign every accepted entry to ``per_entry`` jurors (balanced, no conflicts). Raises
    ``ValidationError`` with the jury package's message when it cannot be done; assignments a
    juror already scored are kept."""
    permissions.require(permissions.can_organize(scope_for(actor)))
    entries, jurors = _jury_inputs(challenge)
    try:
        plan = jury_assign.assign_jurors(entries, jurors, per_entry=per_entry, seed=seed)
    except jury_assign.AssignmentError as error:
        raise ValidationError(str(error)) from None
    with transaction.atomic():
        Assignment.objects.filter(entry__challenge=challenge, submitted_at__isnull=True).delete()
        kept = set(Assignment.objects.filter(entry__challenge=challenge).values_list("entry_id", "seat_id"))
        rows = [
            Assignment(entry_id=int(entry_id), seat_id=int(seat_id))
            for entry_id, seat_ids in plan.items()
            for seat_id in seat_ids
            if (int(entry_id), int(seat_id)) not in kept
        ]
        Assignment.objects.bulk_create(rows)
        planned = [int(k) for k in plan]
        to_jury = list(
            challenge.entries.filter(status=EntryStatus.ACCEPTED, pk__in=planned).select_related("challenge")
        )
        Entry.objects.filter(pk__in=[e.pk for e in to_jury]).update(status=EntryStatus.SHORTLISTED)
        # No signal for .update(): the public API shows an entry's status.
        public_version.bump()
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=challenge, after={"assigned": len(rows)})
        # Each author hears once that their entry is with the jury (a second assignment does not
        # tell them again: the step key is the same).
        notices.queue(
            (
                (e, _("Your entry «%(title)s» is now with the jury of the challenge.") % {"title": e.title})
                for e in to_jury
            ),
            step="jury",
        )
    return len(rows)


def scores_submit(*, juror: User, assignment: Assignment, values: dict[str, str]) -> Assignment:
    """The juror's scores for one entry, all criteria at once; final once sent."""
    if assignment.seat.user_id != juror.pk:
        raise PermissionDenied(_("This entry is not assigned to you."))
    if assignment.submitted_at is not None:
        raise ValidationError(_("You already sent your scores for this entry; they are final."))
    errors: dict[str, list[str]] = {}
    parsed: dict[str, Decimal] = {}
    for criterion in assignment.entry.challenge.rubric:
        key = criterion["key"]
        raw = typed_number_to_ascii(values.get(key, "")).strip()
        try:
            value = Decimal(raw)
        except InvalidOperation:
            errors[key] = [_("Give a number from 0 to %(max)s.") % {"max": criterion["max"]}]
            continue
        if not Decimal(0) <= value <= Decimal(str(criterion["max"])):
            errors[key] = [_("Give a number from 0 to %(max)s.") % {"max": criterion["max"]}]
        parsed[key] = value
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Read again under a lock: a second tab (or a stale page) must not send twice.
        if Assignment.objects.select_for_update().get(pk=assignment.pk).submitted_at is not None:
            raise ValidationError(_("You already sent your scores for this entry; they are final."))
        Score.objects.bulk_create(
            Score(assignment=assignment, criterion=k, value=v) for k, v in parsed.items()
        )
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["submitted_at"])
        audit_record(
            actor=juror,
            action=AuditAction.UPDATE,
            obj=assignment,
            after={"submitted_at": assignment.submitted_at.isoformat()},
        )
    return assignment
