"""Audit entries as sentences a person reads: «علی» گزارش «…» را به حراست استان تهران سپرد.

The stored entry stays as it was written (codes, usernames, ISO dates, ASCII digits: the data and
the exports keep them); only the page turns it into words. The object's kind and each changed
field are named by the model's own ``verbose_name``; values by their labels: a field's choices,
unit codes and primary keys as unit names, usernames as people's names, None as «—», booleans as
yes/no, ISO dates as Jalali dates and numbers in the page's digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tabyin.core import jalali, labels
from tabyin.core.enums import AuditAction, Role
from tabyin.core.http import page_language
from tabyin.core.models import AuditEntry, OrgUnit, User
from tabyin.core.templatetags.persian import number, persian_numbers

EMPTY: Final = "—"

_SENTENCES: Final[dict[str, Promise]] = {
    AuditAction.CREATE: _("«%(actor)s» created %(object)s"),
    AuditAction.UPDATE: _("«%(actor)s» changed %(object)s"),
    AuditAction.DELETE: _("«%(actor)s» deleted %(object)s"),
    AuditAction.GRANT: _("«%(actor)s» gave access to %(object)s"),
    AuditAction.REVOKE: _("«%(actor)s» took back access to %(object)s"),
    AuditAction.LOGIN: _("«%(actor)s» logged in"),
    AuditAction.LOGIN_FAILED: _("A log-in as «%(actor)s» failed"),
    AuditAction.LOGOUT: _("«%(actor)s» logged out"),
    AuditAction.OTP_ENROLLED: _("«%(actor)s» set up a second factor"),
    AuditAction.OTP_RESET: _("«%(actor)s» reset the second factor of %(object)s"),
    AuditAction.VIEW: _("«%(actor)s» read %(object)s"),
}
# Updates whose point is one field get their own verb.
_ASSIGNED: Final = _("«%(actor)s» assigned %(object)s to %(value)s")
_TRANSFERRED: Final = _("«%(actor)s» sent %(object)s to %(value)s")
_MOVED: Final = _("«%(actor)s» moved %(object)s from «%(before)s» to «%(after)s»")
_OBJECT: Final = _("%(kind)s «%(name)s»")
_CHANGE: Final = _("%(field)s: from %(before)s to %(after)s")
_VALUE: Final = _("%(field)s: %(value)s")
SYSTEM: Final = _("The system")

# Keys services record that are not fields of the audited model.
_KEYS: Final[dict[str, Promise]] = {
    "unit": _("unit"),
    "role": _("role"),
    "province": _("province"),
    "state": _("state"),
    "status": _("status"),
    "name": _("name"),
    "code": _("code"),
    "assignee": _("assigned to"),
    "reason_note": _("reason (internal note)"),
    "late": _("late"),
    "passphrase": _("passphrase"),
    "grantee": _("given to"),
    "as": _("as"),
    "user": _("user"),
    "recovered_for": _("recovered for"),
    "units": _("units"),
    "retired": _("retired"),
    "purged_reports": _("reports deleted"),
    "purged_files": _("files deleted"),
    "kept_on_legal_hold": _("kept on legal hold"),
    "file": _("file"),
    "export": _("export"),
    "rows": _("rows"),
    "identity_request": _("identity request"),
    "pasted": _("pasted by staff"),
    "day": _("day"),
    "built_at": _("built at"),
    "threshold": _("threshold"),
    "acknowledged_at": _("acknowledged at"),
    "indicator": _("indicator"),
    "size": _("size"),
    "framework": _("framework"),
}
# Keys whose values are codes of a core vocabulary although the audited model has no such field.
_KEY_CHOICES: Final[dict[str, type[models.TextChoices]]] = {"role": Role}
_USER_KEYS: Final = frozenset({"assignee", "grantee", "user", "recovered_for"})
_UNIT_KEYS: Final = frozenset({"unit", "units", "province"})
_STATE_KEYS: Final = ("state", "status")
_ISO_DATETIME: Final = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_ISO_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class AuditLine:
    entry: AuditEntry
    sentence: str
    changes: Sequence[str] = field(default_factory=tuple)
    unit: str = EMPTY


@dataclass
class _Names:
    units: Mapping[str, str]
    users: Mapping[str, str]


def _model(entry: AuditEntry) -> type[models.Model] | None:
    try:
        return apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, key: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _field_label(model: type[models.Model] | None, key: str) -> str:
    found = _field(model, key)
    if found is not None and found.verbose_name:
        return str(found.verbose_name)
    if key in _KEYS:
        return str(_KEYS[key])
    return key.replace("_", " ")


def _value(model: type[models.Model] | None, key: str, value: object, names: _Names) -> str:
    if value in (None, "", []):
        return EMPTY
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        return labels.join_labels(_value(model, key, item, names) for item in value)
    coded = _coded(model, key, str(value), names)
    if coded is not None:
        return coded
    if isinstance(value, int | float):
        return number(value)
    return _text(str(value))


def _coded(model: type[models.Model] | None, key: str, code: str, names: _Names) -> str | None:
    """The label of a code: a choice, a unit or a person; None when the value is no code."""
    if key in _KEY_CHOICES and code in _KEY_CHOICES[key].values:
        return str(_KEY_CHOICES[key](code).label)
    found = _field(model, key)
    choices = {str(k): str(v) for k, v in found.flatchoices} if found is not None and found.choices else {}
    if code in choices:
        return choices[code]
    related = found.related_model if found is not None else None
    if related is OrgUnit or key in _UNIT_KEYS:
        return names.units.get(code, code)
    if related is User or key in _USER_KEYS:
        return names.users.get(code, code)
    return None


def _text(text: str) -> str:
    """ISO dates and times as Jalali ones; other text with its numbers in the page's digits."""
    language = page_language()
    try:
        if _ISO_DATETIME.match(text):
            return jalali.format_datetime(datetime.fromisoformat(text), language)
        if _ISO_DATE.match(text):
            return jalali.format_date(date.fromisoformat(text), language)
    except ValueError:
        pass
    return persian_numbers(text)


def _sentence(entry: AuditEntry, model: type[models.Model] | None, names: _Names) -> str:
    actor = persian_numbers(names.users.get(entry.actor_username, entry.actor_username))
    if not actor:
        # A failed log-in without a user name typed is nobody's; other entries without one are
        # the platform's own work (seeding, scheduled tasks).
        actor = EMPTY if entry.action == AuditAction.LOGIN_FAILED else str(SYSTEM)
    kind = str(model._meta.verbose_name) if model is not None else entry.object_type
    obj = str(_OBJECT) % {"kind": kind, "name": persian_numbers(entry.object_repr) or EMPTY}
    words = {"actor": actor, "object": obj}
    before, after = entry.before or {}, entry.after or {}
    if entry.action == AuditAction.UPDATE:
        if after.get("unit") and after.get("unit") != before.get("unit", after["unit"]):
            return str(_TRANSFERRED) % {**words, "value": _value(model, "unit", after["unit"], names)}
        if after.get("assignee") and set(after) <= {"assignee", "reason_note"}:
            return str(_ASSIGNED) % {**words, "value": _value(model, "assignee", after["assignee"], names)}
        for key in _STATE_KEYS:
            if key in before and key in after and set(after) == {key}:
                return str(_MOVED) % {
                    **words,
                    "before": _value(model, key, before[key], names),
                    "after": _value(model, key, after[key], names),
                }
    template = _SENTENCES.get(entry.action, _SENTENCES[AuditAction.UPDATE])
    return str(template) % words


def _changes(entry: AuditEntry, model: type[models.Model] | None, names: _Names) -> list[str]:
    before, after = entry.before or {}, entry.after or {}
    lines = []
    # Sorted: PostgreSQL's jsonb does not keep the order the service wrote the keys in.
    for key in sorted({*before, *after}):
        label = _field_label(model, key)
        if key in before and key in after:
            lines.append(
                str(_CHANGE)
                % {
                    "field": label,
                    "before": _value(model, key, before[key], names),
                    "after": _value(model, key, after[key], names),
                }
            )
        else:
            shown = before[key] if key in before else after[key]
            lines.append(str(_VALUE) % {"field": label, "value": _value(model, key, shown, names)})
    return lines


def _user_names(entries: Sequence[AuditEntry]) -> dict[str, str]:
    wanted: set[str] = {e.actor_username for e in entries if e.actor_username}
    for e in entries:
        for values in (e.before or {}, e.after or {}):
            wanted.update(str(v) for k, v in values.items() if k in _USER_KEYS and v)
    return {
        username: display or username
        for username, display in User.objects.filter(username__in=wanted).values_list(
            "username", "display_name"
        )
    }


def audit_lines(entries: Iterable[AuditEntry]) -> list[AuditLine]:
    """The entries as sentences, with one line per changed value (two queries for all)."""
    rows = list(entries)
    names = _Names(units=labels.unit_names(), users=_user_names(rows))
    lines = []
    for entry in rows:
        model = _model(entry)
        lines.append(
            AuditLine(
                entry=entry,
                sentence=_sentence(entry, model, names),
                changes=tuple(_changes(entry, model, names)),
                unit=names.units.get(str(entry.unit_id), EMPTY) if entry.unit_id else EMPTY,
            )
        )
    return lines


__all__ = ["AuditLine", "audit_lines"]
