"""Writes of public meetings. Staff create meetings, record attendance and commitments (audited,
and only in a province they cover); the public registers, confirms with a code, asks and votes.

Seats: a confirmed registration holds a seat; confirming when every seat is taken puts the person
on the waiting list, and a cancelled seat goes to the first person waiting. The meeting row is
locked while seats are counted, so two confirmations at once cannot overbook it.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from tabyin.core.enums import AuditAction
from tabyin.core.models import OrgUnit, User
from tabyin.core.persian_text import digits_to_ascii
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.core.sms import PhoneError, identity_hash, normalize_ir
from tabyin.reception.meetings import http as api_cache
from tabyin.reception.meetings import notify, permissions
from tabyin.reception.meetings.enums import (
    CODE_ATTEMPTS,
    CODE_DIGITS,
    CODE_MINUTES,
    FORGET_AFTER_DAYS,
    REMINDER_HOURS,
    Audience,
    CommitmentStatus,
    ContactKind,
    MeetingState,
    RegistrationState,
)
from tabyin.reception.meetings.models import Commitment, Meeting, MeetingQuestion, QuestionVote, Registration

MEETING_FIELDS = (
    "title",
    "audience",
    "host",
    "place",
    "address",
    "starts_at",
    "ends_at",
    "capacity",
    "state",
)
STATE_MOVES: dict[str, tuple[str, ...]] = {
    MeetingState.OPEN: (MeetingState.DRAFT, MeetingState.CLOSED),
    MeetingState.CLOSED: (MeetingState.OPEN,),
    MeetingState.HELD: (MeetingState.OPEN, MeetingState.CLOSED),
    MeetingState.CANCELLED: (MeetingState.DRAFT, MeetingState.OPEN, MeetingState.CLOSED),
}


class AlreadyRegisteredError(Exception):
    def __init__(self, registration: Registration) -> None:
        super().__init__("already registered")
        self.registration = registration


@dataclass(frozen=True)
class MeetingSpec:
    title: str
    audience: Audience
    host: str
    place: str
    address: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    topics: str


def _plain(value: object) -> object:
    """Audit entries are JSON: dates and times go in as ISO text."""
    return value.isoformat() if isinstance(value, date | datetime) else value


def _require(actor: User, province_id: int) -> None:
    permissions.require(permissions.can_manage(scope_for(actor), province_id))


def _check(spec: MeetingSpec, *, now: datetime) -> None:
    if spec.ends_at <= spec.starts_at:
        raise ValidationError(_("A meeting must end after it starts."), code="ends_at")
    if spec.starts_at <= now:
        raise ValidationError(_("A new meeting must start in the future."), code="starts_at")
    if spec.capacity < 1:
        raise ValidationError(_("A meeting needs at least one seat."), code="capacity")


@transaction.atomic
def meeting_create(
    *, actor: User, province: OrgUnit, spec: MeetingSpec, now: datetime | None = None
) -> Meeting:
    _require(actor, province.pk)
    _check(spec, now=now or timezone.now())
    meeting = Meeting.objects.create(province=province, created_by=actor, **spec.__dict__)
    after = {name: _plain(getattr(meeting, name)) for name in MEETING_FIELDS}
    audit_record(actor=actor, action=AuditAction.CREATE, obj=meeting, unit=province, after=after)
    return meeting


@transaction.atomic
def meeting_set_state(*, actor: User, meeting: Meeting, state: str, attendance: int | None = None) -> Meeting:
    _require(actor, meeting.province_id)
    if state not in STATE_MOVES or meeting.state not in STATE_MOVES[state]:
        raise ValidationError(_("This meeting cannot move to that state."), code="state")
    if state == MeetingState.HELD and attendance is None:
        raise ValidationError(
            _("Say how many people came when marking a meeting as held."), code="attendance"
        )
    before = {"state": meeting.state, "attendance": meeting.attendance}
    meeting.state = state
    if attendance is not None:
        meeting.attendance = attendance
    meeting.save(update_fields=("state", "attendance"))
    after = {"state": meeting.state, "attendance": meeting.attendance}
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=meeting, unit=meeting.province, before=before, after=after
    )
    return meeting


def _canonical_contact(kind: str, raw: str) -> str:
    if kind == ContactKind.PHONE:
        try:
            return normalize_ir(raw)
        except PhoneError:
            raise ValidationError(
                _("This is not an Iranian mobile number. Write it as 09xxxxxxxxx (Persian digits are fine)."),
                code="contact",
            ) from None
    value = raw.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(
            _("This e-mail address is not complete, e.g. name@example.ir."), code="contact"
        ) from None
    return value


def _code_hash(registration: Registration, code: str) -> str:
    return salted_hmac(
        "tabyin.reception.meetings.code", f"{registration.token}:{code}", algorithm="sha256"
    ).hexdigest()


def _new_code(registration: Registration, now: datetime) -> str:
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    registration.code_hash = _code_hash(registration, code)
    registration.code_sent_at = now
    registration.code_attempts = 0
    registration.save(update_fields=("code_hash", "code_sent_at", "code_attempts"))
    return code


def registration_start(
    *, meeting: Meeting, name: str, kind: str, contact: str, now: datetime | None = None
) -> Registration:
    """Record a registration and send its confirmation code. A second registration with the same
    contact (in any spelling) raises ``AlreadyRegisteredError`` carrying the first one."""
    now = now or timezone.now()
    if meeting.state != MeetingState.OPEN or meeting.starts_at <= now:
        raise ValidationError(_("Registration for this meeting is closed."), code="closed")
    if not name.strip():
        raise ValidationError(_("Write your name, so that the hosts know who is coming."), code="name")
    canonical = _canonical_contact(kind, contact)
    contact_hash = identity_hash(kind, canonical, purpose="meeting")
    kept = Registration.objects.filter(meeting=meeting, contact_hash=contact_hash).first()
    if kept is not None and kept.state != RegistrationState.CANCELLED:
        raise AlreadyRegisteredError(kept)
    try:
        with transaction.atomic():
            if kept is not None:  # cancelled before: the same person may register again
                kept.delete()
            registration = Registration.objects.create(
                meeting=meeting,
                token=secrets.token_urlsafe(32),
                name=name.strip()[:120],
                contact_kind=kind,
                contact=canonical,
                contact_hash=contact_hash,
                created_at=now,
            )
    except IntegrityError:
        raise AlreadyRegisteredError(
            Registration.objects.get(meeting=meeting, contact_hash=contact_hash)
        ) from None
    notify.send_code(registration, _new_code(registration, now))
    return registration


LINK_MINUTES = 10


def registration_send_link(*, registration: Registration, link: str, now: datetime | None = None) -> bool:
    """Send a registration's own address to its contact (someone registered again with it), at most
    once in ``LINK_MINUTES``: the form never opens a registration for whoever typed the contact."""
    now = now or timezone.now()
    window = int(now.timestamp() // (LINK_MINUTES * 60))
    if not cache.add(f"reception:meeting-link:{registration.pk}:{window}", 1, LINK_MINUTES * 60):
        return False
    return notify.send_link(registration, link, window)


def registration_resend(*, registration: Registration, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if registration.state != RegistrationState.PENDING:
        raise ValidationError(_("This registration needs no code."), code="state")
    if registration.code_sent_at and now - registration.code_sent_at < timedelta(minutes=1):
        raise ValidationError(_("Wait a minute before asking for another code."), code="too_soon")
    notify.send_code(registration, _new_code(registration, now))


def registration_confirm(
    *, registration: Registration, code: str, now: datetime | None = None
) -> Registration:
    """Check the code; a right one takes a seat, or a place on the waiting list when none is left.
    A wrong code is counted outside any transaction: the refusal must not roll the count back."""
    now = now or timezone.now()
    registration = Registration.objects.get(pk=registration.pk)
    if registration.state != RegistrationState.PENDING:
        return registration
    if registration.code_attempts >= CODE_ATTEMPTS:
        raise ValidationError(_("Too many wrong codes: ask for a new code."), code="attempts")
    if registration.code_sent_at is None or now - registration.code_sent_at > timedelta(minutes=CODE_MINUTES):
        raise ValidationError(_("This code has expired: ask for a new code."), code="expired")
    typed = digits_to_ascii(code).strip()
    if not hmac.compare_digest(_code_hash(registration, typed), registration.code_hash):
        Registration.objects.filter(pk=registration.pk).update(code_attempts=F("code_attempts") + 1)
        raise ValidationError(_("This code is not right. Check the message and type it again."), code="code")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.state != RegistrationState.PENDING:
            return registration
        taken = meeting.registrations.filter(state=RegistrationState.CONFIRMED).count()
        full = taken >= meeting.capacity
        registration.state = RegistrationState.WAITLISTED if full else RegistrationState.CONFIRMED
        registration.confirmed_at = now
        registration.code_hash = ""
        registration.save(update_fields=("state", "confirmed_at", "code_hash"))
        notify.tell_confirmed(registration)
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration | None:
    """Cancel; a freed seat goes to the first person waiting, who is told. Returns that person."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    held_seat = registration.state == RegistrationState.CONFIRMED
    registration.state = RegistrationState.CANCELLED
    registration.save(update_fields=("state",))
    if not held_seat:
        return None
    Meeting.objects.select_for_update().get(pk=registration.meeting_id)
    waiting = (
        Registration.objects.filter(meeting_id=registration.meeting_id, state=RegistrationState.WAITLISTED)
        .order_by("confirmed_at", "pk")
        .first()
    )
    if waiting is None:
        return None
    waiting.state = RegistrationState.CONFIRMED
    waiting.save(update_fields=("state",))
    transaction.on_commit(lambda: notify.send_seat_freed(waiting))
    return waiting


def question_ask(*, meeting: Meeting, text: str, now: datetime | None = None) -> MeetingQuestion:
    text = " ".join(text.split())
    if len(text) < 10:
        raise ValidationError(
            _("Write your question in a full sentence (at least 10 characters)."), code="short"
        )
    if len(text) > 500:
        raise ValidationError(_("A question can be at most 500 characters long."), code="long")
    if meeting.state not in (MeetingState.OPEN, MeetingState.CLOSED):
        raise ValidationError(_("This meeting takes no more questions."), code="closed")
    return MeetingQuestion.objects.create(meeting=meeting, text=text, created_at=now or timezone.now())


def question_vote(*, question: MeetingQuestion, token: str) -> bool:
    """One vote per browser per question; False when this browser had voted already."""
    try:
        with transaction.atomic():
            QuestionVote.objects.create(question=question, token=token)
    except IntegrityError:
        return False
    MeetingQuestion.objects.filter(pk=question.pk).update(votes=F("votes") + 1)
    # No signal for .update(): the public API shows the votes.
    api_cache.bump()
    return True


@transaction.atomic
def question_hide(*, actor: User, question: MeetingQuestion, reason: str) -> MeetingQuestion:
    _require(actor, question.meeting.province_id)
    if not reason.strip():
        raise ValidationError(
            _("Give the reason for hiding the question; it is shown in its place."), code="reason"
        )
    question.hidden, question.hidden_reason = True, reason.strip()
    question.save(update_fields=("hidden", "hidden_reason"))
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=question,
        unit=question.meeting.province,
        before={"hidden": False},
        after={"hidden": True, "hidden_reason": question.hidden_reason},
    )
    return question


@transaction.atomic
def commitment_add(*, actor: User, meeting: Meeting, text: str, owner: OrgUnit, due: date) -> Commitment:
    _require(actor, meeting.province_id)
    if not text.strip():
        raise ValidationError(_("Write what was promised."), code="text")
    commitment = Commitment.objects.create(meeting=meeting, text=text.strip(), owner=owner, due=due)
    after = {"text": commitment.text, "owner": owner.pk, "due": due.isoformat(), "status": commitment.status}
    audit_record(actor=actor, action=AuditAction.CREATE, obj=commitment, unit=meeting.province, after=after)
    return commitment


@transaction.atomic
def commitment_update(
    *, actor: User, commitment: Commitment, status: str, note: str, today: date | None = None
) -> Commitment:
    _require(actor, commitment.meeting.province_id)
    if status == CommitmentStatus.DROPPED and not note.strip():
        raise ValidationError(_("Say why the commitment was dropped; the public reads it."), code="note")
    before = {"status": commitment.status, "note": commitment.note}
    commitment.status, commitment.note = status, note.strip()
    commitment.done_on = (today or timezone.localdate()) if status == CommitmentStatus.DONE else None
    commitment.save(update_fields=("status", "note", "done_on", "updated_at"))
    after = {"status": commitment.status, "note": commitment.note}
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=commitment,
        unit=commitment.meeting.province,
        before=before,
        after=after,
    )
    return commitment


def reminders_send(*, now: datetime | None = None) -> int:
    """Remind each confirmed person once, ``REMINDER_HOURS`` before the start; a failed send is
    tried again on the next run (``reminded_at`` is set only when it went out)."""
    now = now or timezone.now()
    due = Registration.objects.select_related("meeting").filter(
        state=RegistrationState.CONFIRMED,
        reminded_at__isnull=True,
        meeting__state__in=(MeetingState.OPEN, MeetingState.CLOSED),
        meeting__starts_at__gt=now,
        meeting__starts_at__lte=now + timedelta(hours=REMINDER_HOURS),
    )
    sent = 0
    for registration in due:
        if notify.send_reminder(registration):
            Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(reminded_at=now)
            sent += 1
    return sent


def contacts_forget(*, now: datetime | None = None) -> int:
    """Erase names and contacts ``FORGET_AFTER_DAYS`` after a meeting ended; the counts stay."""
    now = now or timezone.now()
    return Registration.objects.filter(
        forgotten_at__isnull=True, meeting__ends_at__lt=now - timedelta(days=FORGET_AFTER_DAYS)
    ).update(name="", contact="", forgotten_at=now)
