"""Announcing winners and following implemented ideas to the end; the author is told each step."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tabyin.core.enums import AuditAction
from tabyin.core.models import OrgUnit, User
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.ideas import permissions
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.entries.services import notify_author
from tabyin.ideas.results.enums import TrackStatus
from tabyin.ideas.results.models import Implementation, Milestone


def winners_announce(*, actor: User, challenge: Challenge, entries: list[Entry]) -> None:
    permissions.require(permissions.can_organize(scope_for(actor)))
    if any(e.challenge_id != challenge.pk or e.status != EntryStatus.SHORTLISTED for e in entries):
        raise ValidationError(_("Only entries the jury reviewed in this challenge can win."))
    with transaction.atomic():
        for entry in entries:
            entry.status = EntryStatus.WINNER
            entry.save(update_fields=["status"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=entry,
                before={"status": "shortlisted"},
                after={"status": "winner"},
            )
    for entry in entries:
        notify_author(
            entry, _("Your entry «%(title)s» is among the winners.") % {"title": entry.title}, key="winner"
        )


def implementation_start(
    *,
    actor: User,
    entry: Entry,
    owner_unit: OrgUnit,
    summary: str,
    started: date,
    milestones: list[tuple[str, date]],
) -> Implementation:
    permissions.require(permissions.can_organize(scope_for(actor)))
    if entry.status not in (EntryStatus.WINNER, EntryStatus.SHORTLISTED, EntryStatus.ACCEPTED):
        raise ValidationError(_("Only an accepted idea can be carried out."))
    if not milestones:
        raise ValidationError(_("Name at least one milestone."))
    with transaction.atomic():
        track = Implementation.objects.create(
            entry=entry,
            owner_unit=owner_unit,
            summary=summary,
            started_at=started,
            status=TrackStatus.IN_PROGRESS,
        )
        Milestone.objects.bulk_create(
            Milestone(implementation=track, order=i, title=title, due=due)
            for i, (title, due) in enumerate(milestones, 1)
        )
        entry.status = EntryStatus.IMPLEMENTING
        entry.save(update_fields=["status"])
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=track, unit=owner_unit, after={"status": track.status}
        )
    notify_author(
        entry,
        _("Your idea «%(title)s» is being carried out; follow it on its public page.")
        % {"title": entry.title},
        key="implementing",
    )
    return track


def milestone_done(*, actor: User, milestone: Milestone, done_on: date, evidence: str) -> Milestone:
    permissions.require(permissions.can_organize(scope_for(actor)))
    if not evidence.strip():
        raise ValidationError({"evidence": [_("Say what shows it was done (an address or a document).")]})
    track = milestone.implementation
    with transaction.atomic():
        milestone.done_on, milestone.evidence = done_on, evidence.strip()[:300]
        milestone.save(update_fields=["done_on", "evidence"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=milestone,
            unit=track.owner_unit,
            after={"done_on": done_on.isoformat()},
        )
        if not track.milestones.filter(done_on__isnull=True).exists():
            track.status, track.finished_at = TrackStatus.DONE, done_on
            track.save(update_fields=["status", "finished_at"])
            track.entry.status = EntryStatus.IMPLEMENTED
            track.entry.save(update_fields=["status"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=track,
                unit=track.owner_unit,
                after={"status": "done"},
            )
    notify_author(
        track.entry,
        _("A step of your idea «%(title)s» was done: %(milestone)s.")
        % {"title": track.entry.title, "milestone": milestone.title},
        key=f"milestone-{milestone.pk}",
    )
    return milestone
