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
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
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
    "outcome_values": _("outcome values"),
    # A juror's feedback to an author (ideas): its length, never its words, and how many were given.
    "chars": _("characters"),
    # A message handed to the outbox already approved elsewhere: where it came from.
    "origin": _("origin"),
    "feedback_released": _("feedback texts released"),
    "feedback_shown": _("feedback texts the author sees"),
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
    # Counts and references services record beside the fields.
    "files": _("files attached"),
    "message": _("message"),
    "note": _("note"),
    "main": _("main indicators"),
    "sub": _("sub-indicators"),
    "observations": _("observations"),
    "revisions": _("revisions"),
    "questions": _("questions"),
    # Fields whose model gives no verbose_name: Django's default is the English field name.
    "reviewer": _("reviewer"),
    "author": _("author"),
    "area": _("area"),
    "period": _("period"),
    "review_note": _("review note"),
    "thread": _("thread"),
    "version": _("version"),
    "value": _("value"),
    "published_at": _("published at"),
    "approved_at": _("approved at"),
    # Jam'i-no (ideas): refusals of public requests and the moderators' and jury's counts.
    "refused": _("refused"),
    "fields": _("fields"),
    "flagged": _("supports flagged"),
    "cleared": _("supports cleared"),
    "assigned": _("assignments made"),
    "submitted_at": _("sent at"),
    # Jam'i-no's organizer: the jury's seats, the winners against the ranking, pairwise choices.
    "juror_number": _("juror number"),
    "entry_number": _("entry number"),
    "winners": _("winners (entry numbers)"),
    "ranks": _("places in the computed ranking"),
    "deviation": _("winners differ from the top of the ranking"),
    "winner": _("entry preferred"),
    "loser": _("entry not preferred"),
    # The request desk: a delivery's reference in another app ("campaigns:12").
    "ref": _("reference in Tabyin"),
}
# Keys whose values are codes of a core vocabulary although the audited model has no such field.
_KEY_CHOICES: Final[dict[str, type[models.TextChoices]]] = {"role": Role}
# Codes services record under a key of their own (a key grant's "as").
_KEY_VALUES: Final[dict[str, dict[str, Promise]]] = {
    "as": {"trustee": _("trustee"), "administrator": _("keyring administrator")},
    "refused": {
        "double_submission": _("the same entry sent a second time"),
        "file_refused": _("a file refused (too large or not what its name says)"),
        "second_support": _("a second support by the same person"),
        "early_peek": _("a juror asked for other jurors' scores before sending their own"),
        "staff_text_edit": _("staff tried to change an author's words"),
        "late_edit": _("an edit after submissions closed"),
        "feedback_unblind": _("a juror's feedback would have told the author who they are"),
        # The request desk (issue 20.3).
        "past_deadline": _("a request needed by a day already past"),
        "other_unit": _("a request of another unit asked for"),
        "out_of_order": _("a change of state out of order"),
    },
}
# Values people type or copy exactly (a user name, a channel's handle, a unit's code, a slug):
# shown as they are, left to right, marked so that nobody translates them.
_IDENTIFIER_KEYS: Final = frozenset(
    {
        "username",
        "handle",
        "code",
        "iso_code",
        "slug",
        "indicator",
        "dataset",
        "area",
        "ref",
        "draft_url",
        "origin",
    }
)
_USER_KEYS: Final = frozenset({"assignee", "grantee", "user", "recovered_for"})
_UNIT_KEYS: Final = frozenset({"unit", "units", "province"})
_STATE_KEYS: Final = ("state", "status")
_ISO_DATETIME: Final = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_ISO_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# An English phrase as an object's stored name ("report 20", "key grant 6"): some models name
# their rows in English words; the page names such a row by its kind and number instead.
_PERSIAN_LETTER: Final = re.compile(r"[\u0600-\u06FF]")
_LATIN_WORD: Final = re.compile(r"[A-Za-z]{2,}")
# "(v1)": the version a framework or an explanation carries in its name.
_VERSION: Final = re.compile(r"\(v(\d+)\)")
_NUMBERED: Final = _("%(kind)s number %(number)s")
_VERSIONED: Final = _("(version %(number)s)")


@dataclass(frozen=True)
class AuditLine:
    entry: AuditEntry
    sentence: SafeString
    changes: Sequence[SafeString] = field(default_factory=tuple)
    unit: str = EMPTY


@dataclass
class _Names:
    units: Mapping[str, str]
    users: Mapping[str, str]
    # Rows of other models named in values (a report's category by its slug), read once each.
    others: dict[tuple[str, str], str | None] = field(default_factory=dict)


def _code(text: str) -> SafeString:
    return format_html('<span dir="ltr" translate="no">{}</span>', text)


def _fill(template: Promise, **words: str) -> SafeString:
    """``template % words`` with the template and every plain word escaped, markup kept."""
    escaped = {key: conditional_escape(value) for key, value in words.items()}
    return mark_safe(conditional_escape(str(template)) % escaped)  # noqa: S308 - all escaped above


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
    # A verbose_name given in the model is a translated Promise; Django's default is the English
    # field name, which our own label replaces.
    if found is not None and isinstance(found.verbose_name, Promise):
        return str(found.verbose_name)
    if key in _KEYS:
        return str(_KEYS[key])
    if found is not None and found.verbose_name:
        return str(found.verbose_name)
    return key.replace("_", " ")


def _value(model: type[models.Model] | None, key: str, value: object, names: _Names) -> SafeString:
    if value in (None, "", []):
        return SafeString(EMPTY)
    if isinstance(value, bool):
        return conditional_escape(gettext("yes") if value else gettext("no"))
    if isinstance(value, list):
        return mark_safe(  # noqa: S308 - each item is escaped by _value
            labels.join_labels(_value(model, key, item, names) for item in value)
        )
    coded = _coded(model, key, str(value), names)
    if coded is not None:
        return conditional_escape(coded)
    if isinstance(value, int | float):
        return conditional_escape(number(value))
    return _as_is(key, str(value)) or conditional_escape(_text(str(value)))


def _as_is(key: str, text: str) -> SafeString | None:
    """An English name marked as another language's text; a code marked as typed as it is."""
    if key.endswith("_en"):
        return format_html('<span lang="en" dir="ltr">{}</span>', text)
    if key in _IDENTIFIER_KEYS and re.search(r"[A-Za-z]", text):
        return _code(text)
    return None


def _coded(model: type[models.Model] | None, key: str, code: str, names: _Names) -> str | None:
    """The label of a code: a choice, a unit or a person; None when the value is no code."""
    vocabulary = _vocabulary(key, code, names)
    if vocabulary is not None:
        return vocabulary
    found = _field(model, key)
    if found is None and model is not None:
        # A value recorded about a related row (a report's identity request "pending"): the
        # choices of that row's field of the same name.
        found = _related_field(model, key, code)
    choices = {str(k): str(v) for k, v in found.flatchoices} if found is not None and found.choices else {}
    if code in choices:
        return choices[code]
    related = found.related_model if found is not None else None
    if related is OrgUnit or key in _UNIT_KEYS:
        return names.units.get(code, code)
    if related is User or key in _USER_KEYS:
        return names.users.get(code, code)
    if isinstance(related, type) and issubclass(related, models.Model):
        return _other(related, code, names)
    return None


def _vocabulary(key: str, code: str, names: _Names) -> str | None:
    """Codes recorded under a key of the service's own, not a field of the model."""
    if key == "area":  # a place of the public site: "IR-23", the unit's code in capitals
        return names.units.get(code.lower())
    if key in _KEY_CHOICES and code in _KEY_CHOICES[key].values:
        return str(_KEY_CHOICES[key](code).label)
    if key in _KEY_VALUES and code in _KEY_VALUES[key]:
        return str(_KEY_VALUES[key][code])
    if key == "channels":
        return labels.channel_label(code)
    return None


def _related_field(model: type[models.Model], key: str, code: str) -> models.Field[Any, Any] | None:
    for relation in model._meta.related_objects:
        found = _field(relation.related_model, key)
        if found is not None and found.choices and code in {str(k) for k, _v in found.flatchoices}:
            return found
    return None


def _other(related: type[models.Model], code: str, names: _Names) -> str | None:
    """A row of another model by its key or its slug or code, named by its own ``__str__``."""
    key = (related._meta.label_lower, code)
    if key not in names.others:
        lookups: list[dict[str, str]] = [{"pk": code}] if code.isdigit() else []
        lookups += [{name: code} for name in ("slug", "code") if _field(related, name) is not None]
        row = next((r for q in lookups if (r := related._default_manager.filter(**q).first())), None)
        names.others[key] = _versioned(str(row)) if row is not None else None
    return names.others[key]


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


def _english_phrase(name: str) -> bool:
    """English words ("report 20", "14: published"), not a code ("telegram:demo_channel")."""
    return bool(_LATIN_WORD.search(name)) and " " in name.strip() and not _PERSIAN_LETTER.search(name)


def _versioned(name: str) -> str:
    return _VERSION.sub(lambda m: str(_VERSIONED) % {"number": number(int(m[1]))}, name)


def _object_name(entry: AuditEntry, kind: str) -> str:
    name = entry.object_repr
    if _english_phrase(name) and entry.object_id.isdigit():
        return str(_NUMBERED) % {"kind": kind, "number": number(int(entry.object_id))}
    return str(_OBJECT) % {"kind": kind, "name": persian_numbers(_versioned(name)) or EMPTY}


def _sentence(entry: AuditEntry, model: type[models.Model] | None, names: _Names) -> SafeString:
    actor = persian_numbers(names.users.get(entry.actor_username, entry.actor_username))
    if not actor:
        # A failed log-in without a user name typed is nobody's; other entries without one are
        # the platform's own work (seeding, scheduled tasks).
        actor = EMPTY if entry.action == AuditAction.LOGIN_FAILED else str(SYSTEM)
    kind = str(model._meta.verbose_name) if model is not None else entry.object_type
    words = {"actor": conditional_escape(actor), "object": conditional_escape(_object_name(entry, kind))}
    before, after = entry.before or {}, entry.after or {}
    if entry.action == AuditAction.UPDATE:
        if after.get("unit") and after.get("unit") != before.get("unit", after["unit"]):
            return _fill(_TRANSFERRED, **words, value=_value(model, "unit", after["unit"], names))
        if after.get("assignee") and set(after) <= {"assignee", "reason_note"}:
            return _fill(_ASSIGNED, **words, value=_value(model, "assignee", after["assignee"], names))
        for key in _STATE_KEYS:
            if key in before and key in after and set(after) == {key}:
                return _fill(
                    _MOVED,
                    **words,
                    before=_value(model, key, before[key], names),
                    after=_value(model, key, after[key], names),
                )
    template = _SENTENCES.get(entry.action, _SENTENCES[AuditAction.UPDATE])
    return _fill(template, **words)


def _changes(entry: AuditEntry, model: type[models.Model] | None, names: _Names) -> list[SafeString]:
    before, after = entry.before or {}, entry.after or {}
    lines = []
    # Sorted: PostgreSQL's jsonb does not keep the order the service wrote the keys in.
    for key in sorted({*before, *after}):
        label = _field_label(model, key)
        if key in before and key in after:
            lines.append(
                _fill(
                    _CHANGE,
                    field=label,
                    before=_value(model, key, before[key], names),
                    after=_value(model, key, after[key], names),
                )
            )
        else:
            shown = before[key] if key in before else after[key]
            lines.append(_fill(_VALUE, field=label, value=_value(model, key, shown, names)))
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
