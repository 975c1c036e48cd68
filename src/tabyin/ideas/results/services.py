"""Announcing winners and following implemented ideas to the end; the author is told each step."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core.display.numbers import format_number
from tabyin.core.enums import AuditAction
from tabyin.core.files.uploads import UploadRefusedError, check_upload
from tabyin.core.http import page_language
from tabyin.core.models import OrgUnit, User
from tabyin.core.registry import registry
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.ideas import permissions
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries import notices
from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.entries.services import notify_author
from tabyin.ideas.judging import selectors as jury_selectors
from tabyin.ideas.results.enums import ChannelState, TrackStatus
from tabyin.ideas.results.models import Announcement, Implementation, Milestone

# What a milestone's evidence file may be, judged from its bytes: a document or a photo.
EVIDENCE_TYPES: Final = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
}


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
        # Every other author still in the running hears that the results are out (one query for
        # the rows, the sending in the background: a challenge may have thousands of entries).
        others = challenge.entries.filter(status__in=(EntryStatus.ACCEPTED, EntryStatus.SHORTLISTED))
        notices.queue(
            (
                (
                    e,
                    _(
                        "The results of the challenge are out. Your entry «%(title)s» is not among "
                        "the winners; thank you for taking part."
                    )
                    % {"title": e.title},
                )
                for e in others.select_related("challenge")
            ),
            step="results",
        )
        notices.queue(
            ((e, _("Your entry «%(title)s» is among the winners.") % {"title": e.title}) for e in entries),
            step="results",
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


def _track_note(track: Implementation, text: str, key: str) -> None:
    notify_author(track.entry, text, key=key)


def implementation_update(
    *, actor: User, track: Implementation, owner_unit: OrgUnit, status: str, summary: str
) -> Implementation:
    """The responsible unit, the status and the summary; the author hears of every change."""
    permissions.require(permissions.can_organize(scope_for(actor)))
    errors: dict[str, list[str]] = {}
    if status not in TrackStatus.values:
        errors["status"] = [_("Choose a status from the list.")]
    elif status == TrackStatus.DONE and track.milestones.filter(done_on__isnull=True).exists():
        errors["status"] = [_("Mark every milestone done first; the last one closes the tracker.")]
    if not summary.strip():
        errors["summary"] = [_("Say what will be done.")]
    if errors:
        raise ValidationError(errors)
    before = {"status": track.status, "owner_unit": track.owner_unit.code, "summary": track.summary}
    with transaction.atomic():
        track.owner_unit, track.status, track.summary = owner_unit, status, summary.strip()
        track.save(update_fields=["owner_unit", "status", "summary"])
        after = {"status": track.status, "owner_unit": owner_unit.code, "summary": track.summary}
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=track, unit=owner_unit, before=before, after=after
        )
    if before != after:
        _track_note(
            track,
            _("The tracker of your idea «%(title)s» changed: %(status)s.")
            % {"title": track.entry.title, "status": track.get_status_display()},
            f"track-{track.pk}-{track.status}-{timezone.now().timestamp():.0f}",
        )
    return track


def milestone_add(*, actor: User, track: Implementation, title: str, due: date | None) -> Milestone:
    permissions.require(permissions.can_organize(scope_for(actor)))
    errors: dict[str, list[str]] = {}
    if track.status == TrackStatus.DONE:
        errors["title"] = [_("This idea is carried out; its tracker is closed.")]
    elif not title.strip():
        errors["title"] = [_("Say what the step is.")]
    if due is None:
        errors["due"] = [_("Give the date it is due.")]
    if errors:
        raise ValidationError(errors)
    assert due is not None
    with transaction.atomic():
        order = (track.milestones.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        milestone = Milestone.objects.create(
            implementation=track, order=order, title=title.strip()[:200], due=due
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=milestone,
            unit=track.owner_unit,
            after={"due": due.isoformat()},
        )
    _track_note(
        track,
        _("A step was added to your idea «%(title)s»: %(milestone)s.")
        % {"title": track.entry.title, "milestone": milestone.title},
        f"milestone-new-{milestone.pk}",
    )
    return milestone


def _evidence(milestone: Milestone, upload: UploadedFile[Any]) -> None:
    head = upload.read(8192)
    upload.seek(0)
    try:
        info = check_upload(
            upload.name or "",
            head,
            upload.size or 0,
            allowed=EVIDENCE_TYPES,
            max_bytes=settings.TABYIN_IDEAS_FILE_MAX_BYTES,
            kinds=_("a photo or a PDF"),
        )
    except UploadRefusedError as refusal:
        raise ValidationError({"evidence_file": [str(refusal)]}) from None
    name = f"{secrets.token_hex(16)}.{info.extension}"
    milestone.evidence_file.save(name, ContentFile(upload.read()), save=False)
    milestone.evidence_type = info.content_type


def milestone_done(
    *,
    actor: User,
    milestone: Milestone,
    done_on: date,
    evidence: str,
    evidence_file: UploadedFile[Any] | None = None,
) -> Milestone:
    permissions.require(permissions.can_organize(scope_for(actor)))
    if not evidence.strip() and evidence_file is None:
        raise ValidationError({"evidence": [_("Say what shows it was done (an address or a document).")]})
    if milestone.done_on is not None:
        raise ValidationError({"evidence": [_("This step is already marked done.")]})
    track = milestone.implementation
    with transaction.atomic():
        if evidence_file is not None:
            _evidence(milestone, evidence_file)
        milestone.done_on, milestone.evidence = done_on, evidence.strip()[:300]
        milestone.save(update_fields=["done_on", "evidence", "evidence_file", "evidence_type"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=milestone,
            unit=track.owner_unit,
            after={"done_on": done_on.isoformat(), "file": bool(evidence_file)},
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
    _track_note(
        track,
        _("A step of your idea «%(title)s» was done: %(milestone)s.")
        % {"title": track.entry.title, "milestone": milestone.title},
        f"milestone-{milestone.pk}",
    )
    return milestone


def milestone_reopen(*, actor: User, milestone: Milestone) -> Milestone:
    """A step marked done by mistake: not done again (a closed tracker reopens); audited."""
    permissions.require(permissions.can_organize(scope_for(actor)))
    if milestone.done_on is None:
        raise ValidationError(_("This step is not marked done."))
    track = milestone.implementation
    with transaction.atomic():
        before = {"done_on": milestone.done_on.isoformat(), "evidence": milestone.evidence}
        milestone.done_on, milestone.evidence = None, ""
        milestone.evidence_file, milestone.evidence_type = "", ""
        milestone.save(update_fields=["done_on", "evidence", "evidence_file", "evidence_type"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=milestone,
            unit=track.owner_unit,
            before=before,
            after={"done_on": None, "evidence": ""},
        )
        if track.status == TrackStatus.DONE:
            track.status, track.finished_at = TrackStatus.IN_PROGRESS, None
            track.save(update_fields=["status", "finished_at"])
            track.entry.status = EntryStatus.IMPLEMENTING
            track.entry.save(update_fields=["status"])
    _track_note(
        track,
        _("A step of your idea «%(title)s» is open again: %(milestone)s.")
        % {"title": track.entry.title, "milestone": milestone.title},
        f"milestone-reopen-{milestone.pk}-{timezone.now().timestamp():.0f}",
    )
    return milestone


REASON_MIN: Final = 20


def winners_confirm(
    *,
    actor: User,
    challenge: Challenge,
    entry_ids: list[int],
    message: str,
    reason: str = "",
    now: datetime | None = None,
) -> Announcement:
    """The organizer confirms the winners from the computed ranking. Choosing anything but its top
    (as many entries as are chosen) needs a written reason, published with the results; once
    committed, the announcement goes to the campaigns outbox as a draft (``announcement_publish``)."""
    permissions.require(permissions.can_organize(scope_for(actor)))
    now = now or timezone.now()
    if Announcement.objects.filter(challenge=challenge).exists():
        raise ValidationError(_("The winners of this challenge were already announced."))
    if now < challenge.jury_closes:
        raise ValidationError(_("The jury is still at work; winners are announced after its review ends."))
    ranked = jury_selectors.jury_results(challenge).ranked
    position = {int(r.entry_id): r.position for r in ranked}
    errors: dict[str, list[str]] = {}
    chosen = sorted(set(entry_ids), key=lambda pk: position.get(pk, 0))
    if not chosen:
        errors["winners"] = [_("Choose at least one winner.")]
    elif any(pk not in position for pk in chosen):
        errors["winners"] = [_("Only entries the jury scored can win.")]
    deviation = bool(chosen) and [position.get(pk) for pk in chosen] != list(range(1, len(chosen) + 1))
    reason = reason.strip()
    if deviation and len(reason) < REASON_MIN:
        errors["reason"] = [
            _(
                "These are not the top %(n)s of the ranking: write why in at least %(min)s characters; "
                "the reason is published with the results."
            )
            % {
                "n": format_number(len(chosen), page_language()),
                "min": format_number(REASON_MIN, page_language()),
            }
        ]
    if not message.strip():
        errors["message"] = [_("Write the announcement.")]
    if errors:
        raise ValidationError(errors)
    entries = list(Entry.objects.filter(pk__in=chosen, challenge=challenge))
    entries.sort(key=lambda e: position[e.pk])
    with transaction.atomic():
        winners_announce(actor=actor, challenge=challenge, entries=entries)
        announcement = Announcement.objects.create(
            challenge=challenge,
            message=message.strip(),
            ranks=[{"entry": e.pk, "rank": position[e.pk]} for e in entries],
            deviation_reason=reason if deviation else "",
            announced_by=actor,
            announced_at=now,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=announcement,
            after={
                "winners": [e.pk for e in entries],
                "ranks": [position[e.pk] for e in entries],
                "deviation": deviation,
            },
        )
        transaction.on_commit(lambda: announcement_publish(actor=actor, announcement=announcement))
    return announcement


def announcement_publish(*, actor: User, announcement: Announcement) -> Announcement:
    """Write the announcement as an outbox draft for a senior manager's approval; with no app to
    send it (``registry.publish_draft`` gives ``None``) it stays queued."""
    challenge = announcement.challenge
    link = settings.TABYIN_SITE_URL + reverse("ideas:results", args=[challenge.slug])
    title = _("Winners of «%(title)s»") % {"title": challenge.title}
    url = registry.publish_draft(actor, title, announcement.message, link)
    if url is None:
        return announcement
    with transaction.atomic():
        announcement.draft_url, announcement.channel_state = url, ChannelState.APPROVAL
        announcement.save(update_fields=["draft_url", "channel_state"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=announcement,
            before={"channel_state": ChannelState.QUEUED},
            after={"channel_state": ChannelState.APPROVAL, "draft_url": url},
        )
    return announcement


def announcement_sent(address: str, when: datetime) -> Announcement | None:
    """``registry.draft_published``'s listener: the outbox sent the draft at ``address``; the
    announcement that owns it keeps the first time it went out. Other apps' drafts find nothing."""
    with transaction.atomic():
        row = Announcement.objects.select_for_update().filter(draft_url=address, sent_at=None).first()
        if row is None:
            return None
        before = {"channel_state": row.channel_state}
        row.channel_state, row.sent_at = ChannelState.SENT, when
        row.save(update_fields=["channel_state", "sent_at"])
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            obj=row,
            before=before,
            after={"channel_state": ChannelState.SENT, "sent_at": when.isoformat()},
        )
    return row
