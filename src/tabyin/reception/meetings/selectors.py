"""Reads of public meetings: what the public sees (never a draft, never a name or contact), the
staff's lists (scoped to the provinces they cover) and the figures the scorecard reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core.calendar.days import bounds
from tabyin.core.models import User
from tabyin.core.registry import CalendarEvent, EventKind
from tabyin.core.scoping import restrict, scope_for
from tabyin.reception.meetings import permissions
from tabyin.reception.meetings.enums import CommitmentStatus, MeetingState, RegistrationState
from tabyin.reception.meetings.models import Commitment, Meeting, MeetingQuestion, Registration

PUBLIC_STATES = (MeetingState.OPEN, MeetingState.CLOSED, MeetingState.HELD, MeetingState.CANCELLED)


@dataclass(frozen=True)
class Seats:
    capacity: int
    confirmed: int
    waiting: int

    @property
    def left(self) -> int:
        return max(self.capacity - self.confirmed, 0)


def _with_counts(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.annotate(
        confirmed=Count("registrations", filter=Q(registrations__state=RegistrationState.CONFIRMED)),
        waiting=Count("registrations", filter=Q(registrations__state=RegistrationState.WAITLISTED)),
    )


def upcoming(*, now: datetime | None = None, province_id: int | None = None) -> list[Meeting]:
    now = now or timezone.now()
    meetings = Meeting.objects.filter(state__in=(MeetingState.OPEN, MeetingState.CLOSED), ends_at__gte=now)
    if province_id is not None:
        meetings = meetings.filter(province_id=province_id)
    rows = list(_with_counts(meetings).select_related("province").order_by("starts_at", "pk"))
    for meeting in rows:
        meeting.seats_left = max(meeting.capacity - meeting.confirmed, 0)  # type: ignore[attr-defined]
    return rows


def public_meeting(*, meeting_id: int) -> Meeting | None:
    return (
        _with_counts(Meeting.objects.filter(pk=meeting_id, state__in=PUBLIC_STATES))
        .select_related("province")
        .first()
    )


def seats(meeting: Meeting) -> Seats:
    counts = meeting.registrations.aggregate(
        confirmed=Count("pk", filter=Q(state=RegistrationState.CONFIRMED)),
        waiting=Count("pk", filter=Q(state=RegistrationState.WAITLISTED)),
    )
    return Seats(capacity=meeting.capacity, confirmed=counts["confirmed"], waiting=counts["waiting"])


def questions(meeting: Meeting) -> list[MeetingQuestion]:
    """Most votes first; a hidden question keeps its place with the moderator's reason."""
    return list(meeting.questions.order_by("-votes", "created_at", "pk"))


def registration_by_token(token: str) -> Registration | None:
    return Registration.objects.select_related("meeting", "meeting__province").filter(token=token).first()


def waiting_position(registration: Registration) -> int:
    return (
        Registration.objects.filter(
            meeting_id=registration.meeting_id,
            state=RegistrationState.WAITLISTED,
            confirmed_at__lte=registration.confirmed_at,
        )
        .exclude(pk__gt=registration.pk, confirmed_at=registration.confirmed_at)
        .count()
    )


@dataclass(frozen=True)
class CommitmentRow:
    commitment: Commitment
    overdue: bool


def public_commitments(*, today: date | None = None, province_id: int | None = None) -> list[CommitmentRow]:
    """Every commitment of a public meeting, overdue ones first, then by due date."""
    today = today or timezone.localdate()
    rows = Commitment.objects.select_related("meeting", "meeting__province", "owner").filter(
        meeting__state__in=PUBLIC_STATES
    )
    if province_id is not None:
        rows = rows.filter(meeting__province_id=province_id)
    open_states = (CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS)
    result = [CommitmentRow(c, overdue=c.status in open_states and c.due < today) for c in rows]
    return sorted(result, key=lambda row: (not row.overdue, row.commitment.due, row.commitment.pk))


def staff_meetings(*, user: User) -> QuerySet[Meeting]:
    scope = scope_for(user)
    permissions.require(permissions.can_manage_any(scope))
    return (
        _with_counts(restrict(Meeting.objects.all(), scope))
        .select_related("province")
        .order_by("-starts_at", "-pk")
    )


def staff_meeting(*, user: User, meeting_id: int) -> Meeting | None:
    return staff_meetings(user=user).filter(pk=meeting_id).first()


def attendees(meeting: Meeting) -> list[Registration]:
    """Names for the hosts' list at the door (confirmed first, then the waiting list in order)."""
    rows = meeting.registrations.filter(state__in=(RegistrationState.CONFIRMED, RegistrationState.WAITLISTED))
    return sorted(
        rows, key=lambda r: (r.state != RegistrationState.CONFIRMED, r.confirmed_at or r.created_at, r.pk)
    )


# --- Figures for the scorecard (core registry metrics) -------------------------------------------


def metric_meetings_held(start: date, end: date) -> dict[str, Decimal]:
    """Face-to-face meetings held per province (by their start date)."""
    rows = (
        Meeting.objects.filter(state=MeetingState.HELD, starts_at__date__gte=start, starts_at__date__lte=end)
        .values_list("province__iso_code")
        .annotate(n=Count("pk"))
    )
    return {code: Decimal(n) for code, n in rows if code}


def metric_commitments_on_time(start: date, end: date) -> dict[str, Decimal]:
    """Share (%) of commitments falling due in the range that were done by their date, per province."""
    rows = Commitment.objects.filter(due__gte=start, due__lte=end).exclude(status=CommitmentStatus.DROPPED)
    totals: dict[str, list[int]] = {}
    for code, status, due, done_on in rows.values_list(
        "meeting__province__iso_code", "status", "due", "done_on"
    ):
        if not code:
            continue
        pair = totals.setdefault(code, [0, 0])
        pair[1] += 1
        if status == CommitmentStatus.DONE and done_on is not None and done_on <= due:
            pair[0] += 1
    return {code: Decimal(done * 100) / Decimal(total) for code, (done, total) in totals.items() if total}


def calendar_events(user: User, first: date, last: date) -> list[CalendarEvent]:
    """The staff calendar's public meetings and the commitments still open, due in the range, in
    the provinces the person covers (every province for HQ). A draft meeting, and what was promised
    in it, only for those who run that province's meetings; cancelled meetings not at all."""
    scope = scope_for(user)
    if not (scope.national or scope.province_ids):
        return []
    start, end = bounds(first, last)

    def shown(meeting: Meeting) -> bool:
        return meeting.state != MeetingState.DRAFT or permissions.can_manage(scope, meeting.province_id)

    def url(meeting: Meeting) -> str:
        if permissions.can_manage(scope, meeting.province_id):
            return reverse("reception:staff-meeting", args=[meeting.pk])
        return reverse("reception:meeting", args=[meeting.pk])

    meetings = restrict(
        Meeting.objects.filter(starts_at__lt=end, ends_at__gte=start).exclude(state=MeetingState.CANCELLED),
        scope,
    ).select_related("province")
    events = [
        CalendarEvent(
            title=_("Public meeting: %(title)s") % {"title": m.title},
            start=m.starts_at,
            end=m.ends_at,
            kind=EventKind.MEETING,
            url=url(m),
            key=f"meeting-{m.pk}",
            province=m.province.iso_code or None,
        )
        for m in meetings.order_by("starts_at", "pk")
        if shown(m)
    ]
    due = restrict(
        Commitment.objects.filter(
            due__gte=first, due__lte=last, status__in=(CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS)
        ).exclude(meeting__state=MeetingState.CANCELLED),
        scope,
        "meeting__province",
    ).select_related("meeting__province")
    events += [
        CalendarEvent(
            title=_("Meeting commitment due: %(text)s") % {"text": c.text},
            start=c.due,
            kind=EventKind.DUE,
            url=url(c.meeting),
            key=f"commitment-{c.pk}",
            province=c.meeting.province.iso_code or None,
        )
        for c in due.order_by("due", "pk")
        if shown(c.meeting)
    ]
    return events
