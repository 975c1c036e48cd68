"""Screening: a moderator accepts, refuses or marks an entry as a duplicate, with a reason the
author reads on their follow-up page. A moderator never changes what the author wrote."""

from __future__ import annotations

from typing import Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.ideas import audit_codes, permissions
from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.entries.services import notify_author

DECISIONS: Final = (EntryStatus.ACCEPTED, EntryStatus.REJECTED, EntryStatus.DUPLICATE)
# Fields that hold the author's words: a staff write to any of them is refused.
AUTHOR_FIELDS: Final = ("title", "body", "link", "author_name")
REASON_MAX: Final = 1000


def entry_moderate(
    *, actor: User, entry: Entry, decision: str, reason: str, duplicate_of: Entry | None = None
) -> Entry:
    permissions.require(permissions.can_moderate(scope_for(actor)))
    if decision not in DECISIONS:
        raise ValidationError({"decision": [_("Choose accept, refuse or duplicate.")]})
    reason = reason.strip()
    if decision != EntryStatus.ACCEPTED and not reason:
        raise ValidationError({"reason": [_("Write the reason the author will read.")]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [_("Keep the reason under %(n)d characters.") % {"n": REASON_MAX}]})
    if decision == EntryStatus.DUPLICATE and (
        duplicate_of is None or duplicate_of.pk == entry.pk or duplicate_of.challenge_id != entry.challenge_id
    ):
        raise ValidationError({"duplicate_of": [_("Name the earlier entry of this challenge it repeats.")]})
    before = {"status": entry.status, "reason": entry.reason}
    with transaction.atomic():
        entry.status = decision
        entry.reason = reason
        entry.duplicate_of = duplicate_of if decision == EntryStatus.DUPLICATE else None
        entry.save(update_fields=["status", "reason", "duplicate_of"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=entry,
            before=before,
            after={"status": entry.status, "reason": entry.reason},
        )
    notify_author(
        entry,
        _("Your entry «%(title)s» was screened: %(status)s.")
        % {"title": entry.title, "status": entry.get_status_display()},
        key=f"screened-{entry.status}",
    )
    return entry


def refuse_text_change(*, actor: User, entry: Entry, fields: list[str]) -> None:
    """Staff asked to change the author's words: refused, and the attempt is audited."""
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=entry,
        after={"refused": audit_codes.STAFF_TEXT_EDIT, "fields": ", ".join(sorted(fields))},
    )
    raise PermissionDenied(_("Moderators cannot change what an author wrote; give a reason instead."))
