"""Supporting an idea: one verified person, one support per idea; bursts from one source flagged.

A support is counted on the public page unless it is flagged: when one network source sends
``TABYIN_IDEAS_SUPPORT_BURST`` supports to one challenge within ``BURST_WINDOW``, those supports
are flagged and left for a moderator to clear (kept, not counted, never deleted).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.ideas import audit_codes, permissions, public_version
from tabyin.ideas.challenges.enums import Phase
from tabyin.ideas.entries.enums import PUBLIC_STATUSES
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.identity.services import Verified
from tabyin.ideas.support import registry
from tabyin.ideas.support.models import Support

BURST_WINDOW: Final = timedelta(minutes=10)
SUPPORT_PHASES: Final = (Phase.SUBMISSION, Phase.MODERATION, Phase.SUPPORT)


class SecondSupportError(Exception):
    """This person already supports this idea; their first support stands."""


def source_hash(address: str) -> str:
    """A keyed hash of the request's network (IPv4 /24, IPv6 /48): enough to see many supports
    from one place, not enough to name a household; the address itself is not kept."""
    if ":" in address:
        prefix = ":".join(address.split(":")[:3])
    else:
        prefix = ".".join(address.split(".")[:3])
    key = hashlib.blake2b(settings.TABYIN_IDENTITY_KEY.encode(), digest_size=32).digest()
    return hashlib.blake2b(prefix.encode(), key=key, digest_size=16, person=b"ideas-source").hexdigest()


def support_add(
    *, entry: Entry, supporter: Verified, source: str, insurance_number: str = "", national_code: str = ""
) -> Support:
    challenge = entry.challenge
    if entry.status not in PUBLIC_STATUSES or challenge.phase_at(timezone.now()) not in SUPPORT_PHASES:
        raise ValidationError(_("This idea cannot be supported now."))
    if challenge.insured_only:
        if not registry.national_code_valid(national_code):
            raise ValidationError(
                {"national_code": [_("This national code is not valid (check its digits).")]}
            )
        try:
            ok = registry.insured(insurance_number, national_code)
        except registry.RegistryUnavailableError:
            raise ValidationError(
                _(
                    "Supports for this challenge need the registry of insured people, which is not "
                    "reachable now."
                )
            ) from None
        if not ok:
            raise ValidationError(_("The registry of insured people does not confirm this insurance number."))
    now = timezone.now()
    try:
        with transaction.atomic():
            support = Support.objects.create(
                entry=entry, supporter_hash=supporter.identity_hash, source_hash=source, created_at=now
            )
    except IntegrityError:
        audit_record(
            actor=None, action=AuditAction.UPDATE, obj=entry, after={"refused": audit_codes.SECOND_SUPPORT}
        )
        raise SecondSupportError from None
    recent = Support.objects.filter(
        entry__challenge=challenge, source_hash=source, created_at__gte=now - BURST_WINDOW
    )
    if recent.count() >= settings.TABYIN_IDEAS_SUPPORT_BURST:
        flagged = recent.filter(flagged=False).update(flagged=True)
        # No signal for .update(): a flagged support leaves the public counts.
        public_version.bump()
        if flagged:
            audit_record(actor=None, action=AuditAction.UPDATE, obj=entry, after={"flagged": flagged})
        support.refresh_from_db()
    return support


def supports_clear(*, actor: User, entry: Entry) -> int:
    """A moderator finds a flagged burst genuine (a class, an office): its supports count again."""
    permissions.require(permissions.can_moderate(scope_for(actor)))
    cleared = Support.objects.filter(entry=entry, flagged=True).update(flagged=False)
    public_version.bump()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=entry, after={"cleared": cleared})
    return cleared
