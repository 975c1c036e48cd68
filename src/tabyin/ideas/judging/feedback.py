"""A juror's feedback to an entry's author: written per review, released by the organizer.

Blind review both ways: the author never learns who judged them. The released copy on the entry
(``Entry.jury_feedback``) carries the words and the release time only, never the juror's name or
number, and a text that would tell the author who wrote it (the juror's own name, an e-mail address,
a phone number, a link) is refused before it is stored. Every write and release is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.persian_text import digits_to_ascii, search_key
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.ideas import audit_codes, permissions
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.entries.services import notify_author
from tabyin.ideas.judging.models import Assignment, Feedback

MIN_CHARS: Final = 20
MAX_CHARS: Final = 2000
# Control and direction-override characters: they can make the text read differently from what
# was stored (a bidi override hides words). ZWNJ (U+200C), part of Persian writing, is allowed.
_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200d-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_LINK = re.compile(r"(https?://|www\.)", re.IGNORECASE)
# Eight digits or more in a row (spaces and dashes between them allowed): a phone number.
_PHONE = re.compile(r"(?:\d[\s\-]?){8,}")


class UnblindError(ValidationError):
    """The text would tell the author who the juror is (their name, an address, a number)."""


def _identity_words(user: User) -> list[str]:
    """The juror's full name and username as search keys (Arabic/Persian letters, ZWNJ and spaces
    folded). Not each part of the name: a surname is often a common word ("نوری", "امین"), and
    refusing it would refuse honest sentences."""
    words = [user.display_name or "", user.username]
    return [key for key in (search_key(w) for w in words) if len(key) >= 3]


def check_text(text: str, *, juror: User) -> str:
    """The stripped text, or ``ValidationError`` on ``text`` with the reason in the page language."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": [_("Write your feedback to the author.")]})
    if _HIDDEN.search(text):
        raise ValidationError({"text": [_("The text holds hidden control characters; type it again.")]})
    if len(text) < MIN_CHARS:
        raise ValidationError(
            {
                "text": [
                    _("Write at least %(n)s characters: the author should learn something.")
                    % {"n": MIN_CHARS}
                ]
            }
        )
    if len(text) > MAX_CHARS:
        raise ValidationError({"text": [_("Write at most %(n)s characters.") % {"n": MAX_CHARS}]})
    plain = digits_to_ascii(text)
    if _EMAIL.search(plain) or _LINK.search(plain) or _PHONE.search(plain):
        raise ValidationError(
            {"text": [_("Leave out addresses, links and phone numbers: the review is blind.")]}
        )
    key = search_key(text)
    if any(word in key for word in _identity_words(juror)):
        raise ValidationError(
            {"text": [_("Leave out your name: the author must not learn who reviewed it.")]}
        )
    return text


def feedback_write(*, juror: User, assignment: Assignment, text: str) -> Feedback:
    """Write or rewrite the juror's feedback on one review, until the organizer releases it."""
    if assignment.seat.user_id != juror.pk:
        raise PermissionDenied(_("This entry is not assigned to you."))
    found = Feedback.objects.filter(assignment=assignment).first()
    if found is not None and found.released_at is not None:
        raise ValidationError(
            {"text": [_("Your feedback was already given to the author; it cannot change.")]}
        )
    try:
        text = check_text(text, juror=juror)
    except UnblindError:
        # Not a typo but a breach of the blind review (meant or not): kept in the audit log,
        # without the text itself.
        audit_record(
            actor=juror,
            action=AuditAction.UPDATE,
            obj=assignment,
            after={"refused": audit_codes.FEEDBACK_UNBLIND},
        )
        raise
    now = timezone.now()
    with transaction.atomic():
        if found is None:
            found = Feedback.objects.create(assignment=assignment, text=text, written_at=now)
            audit_record(actor=juror, action=AuditAction.CREATE, obj=found, after={"chars": len(text)})
        elif found.text != text:
            before = {"chars": len(found.text)}
            found.text, found.written_at = text, now
            found.save(update_fields=["text", "written_at"])
            audit_record(
                actor=juror, action=AuditAction.UPDATE, obj=found, before=before, after={"chars": len(text)}
            )
    return found


def feedback_release(*, actor: User, entry: Entry) -> int:
    """Give the author every written, unreleased feedback of ``entry``; tells them once. Returns how
    many were released; refused when there is none."""
    permissions.require(permissions.can_organize(scope_for(actor)))
    now = timezone.now()
    with transaction.atomic():
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        waiting = list(
            Feedback.objects.filter(assignment__entry=entry, released_at=None).order_by("written_at", "pk")
        )
        if not waiting:
            raise ValidationError(_("No juror feedback on this entry is waiting to be released."))
        Feedback.objects.filter(pk__in=[f.pk for f in waiting]).update(released_at=now, released_by=actor)
        entry.jury_feedback = [
            *entry.jury_feedback,
            *({"text": f.text, "released_at": now.isoformat()} for f in waiting),
        ]
        entry.save(update_fields=["jury_feedback"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=entry,
            after={"feedback_released": len(waiting), "feedback_shown": len(entry.jury_feedback)},
        )
    notify_author(
        entry,
        _(
            "The jury's feedback on your entry «%(title)s» is ready: open the private link you "
            "received when you sent it."
        )
        % {"title": entry.title},
        key=f"feedback-{len(entry.jury_feedback)}",
    )
    return len(waiting)


@dataclass(frozen=True)
class Waiting:
    """One entry's feedback as the organizer reads it before releasing (juror numbers shown to
    the organizer only)."""

    entry: Entry
    items: list[Feedback]

    @property
    def unreleased(self) -> int:
        return sum(1 for f in self.items if f.released_at is None)


def for_organizer(challenge: Challenge) -> list[Waiting]:
    rows: QuerySet[Feedback] = (
        Feedback.objects.filter(assignment__entry__challenge=challenge)
        .select_related("assignment__entry", "assignment__seat")
        .order_by("assignment__entry_id", "assignment__seat__number")
    )
    grouped: dict[int, Waiting] = {}
    for row in rows:
        entry = row.assignment.entry
        grouped.setdefault(entry.pk, Waiting(entry=entry, items=[])).items.append(row)
    return list(grouped.values())
