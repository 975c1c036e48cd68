"""Writes for the plain-language checker: an administrator's edit of the term list, audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.permissions import can_administer, require
from tabyin.core.persian_text import normalize
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.reception.plainlang.models import JargonEntry

_FIELDS = ("number", "term", "plain", "note", "active")


def _values(entry: JargonEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in _FIELDS}


@transaction.atomic
def jargon_entry_save(*, actor: User, entry: JargonEntry, is_new: bool) -> JargonEntry:
    """Save an added or edited term. Administrators only; the term and its alternative are
    stored normalized (Persian ی/ک), since the checker matches on that form."""
    require(can_administer(scope_for(actor)), "only administrators edit the plain-language list")
    before = {} if is_new else _values(JargonEntry.objects.get(pk=entry.pk))
    entry.term = normalize(entry.term).strip()
    entry.plain = normalize(entry.plain).strip()
    entry.note = normalize(entry.note).strip()
    entry.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if is_new else AuditAction.UPDATE,
        obj=entry,
        before=before,
        after=_values(entry),
    )
    return entry
