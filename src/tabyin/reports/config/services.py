"""Configuration of the reports module: categories, routing rules, the receiving units' set-up.

Only national administrators (``permissions.can_configure``) get here, and nothing here reads a
report: the pages show categories, rules, who holds keys and which units a report *would* reach.
Every change is audited with what changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from tabyin.core import services as core_services
from tabyin.core.enums import SPECIAL_KINDS, AuditAction, Role, UnitKind
from tabyin.core.models import Membership, OrgUnit, User
from tabyin.core.scoping import scope_for
from tabyin.reports import permissions
from tabyin.reports.config import routing
from tabyin.reports.enums import Level, QuestionType
from tabyin.reports.models import Category, Keyring, KeyShare, RoutingRule

RECEIVING = tuple(kind.value for kind in SPECIAL_KINDS)
MAX_QUESTIONS = 20
LABEL_MAX = 300
_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
_QUESTION_FIELDS = {"key", "type", "required", "label_fa", "label_en", "choices", "show_if"}
CATEGORY_FIELDS = (
    "name_fa",
    "name_en",
    "description_fa",
    "description_en",
    "questions",
    "retention_days",
    "reminder_days",
    "deadline_days",
    "order",
    "is_active",
)
RULE_FIELDS = ("category", "province", "unit_kind", "level", "skip_if_named", "is_active")


def can_configure(actor: User) -> bool:
    return permissions.can_configure(scope_for(actor))


def require_configure(actor: User) -> None:
    permissions.require(can_configure(actor), "only national administrators configure reports")


# --- Questions -------------------------------------------------------------------------------


def _label(question: dict[str, Any], name: str, where: str, problems: list[str]) -> None:
    value = question.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.append(
            _("%(where)s: «%(field)s» must be a non-empty text.") % {"where": where, "field": name}
        )
    elif len(value) > LABEL_MAX:
        problems.append(
            _("%(where)s: «%(field)s» must be under %(n)d characters.")
            % {"where": where, "field": name, "n": LABEL_MAX}
        )


def _choices(question: dict[str, Any], where: str, problems: list[str]) -> list[str]:
    choices = question.get("choices")
    if question.get("type") != QuestionType.CHOICE:
        if choices is not None:
            problems.append(_("%(where)s: only a choice question has «choices».") % {"where": where})
        return []
    if not isinstance(choices, list) or len(choices) < 2:
        problems.append(_("%(where)s: a choice question needs at least 2 choices.") % {"where": where})
        return []
    values: list[str] = []
    for choice in choices:
        shape_ok = isinstance(choice, list) and len(choice) == 3 and all(isinstance(c, str) for c in choice)
        if not shape_ok or not _KEY.fullmatch(choice[0]) or not choice[1].strip() or not choice[2].strip():
            problems.append(
                _(
                    '%(where)s: each choice must be ["value", "Persian label", "English label"] '
                    "with a value in lower-case letters, digits and _."
                )
                % {"where": where}
            )
            return []
        if choice[0] in values:
            problems.append(
                _("%(where)s: the choice «%(v)s» appears twice.") % {"where": where, "v": choice[0]}
            )
        values.append(choice[0])
    return values


def _allowed_answers(question: dict[str, Any], choices: list[str]) -> list[str] | None:
    """What a ``show_if`` may compare with; None when any text may (text, number, date)."""
    if question.get("type") == QuestionType.YESNO:
        return ["yes", "no"]
    if question.get("type") == QuestionType.CHOICE:
        return choices
    return None


def _show_if(
    question: dict[str, Any], where: str, earlier: dict[str, list[str] | None], problems: list[str]
) -> None:
    condition = question.get("show_if")
    if condition is None:
        return
    if not isinstance(condition, dict) or not condition:
        problems.append(_('%(where)s: «show_if» must look like {"key": "answer"}.') % {"where": where})
        return
    for key, value in condition.items():
        if key not in earlier:
            problems.append(
                _("%(where)s: «show_if» refers to «%(key)s», which is not an earlier question.")
                % {"where": where, "key": key}
            )
            continue
        allowed = earlier[key]
        if not isinstance(value, str) or (allowed is not None and value not in allowed):
            problems.append(
                _("%(where)s: «show_if» compares «%(key)s» with an answer it cannot have.")
                % {"where": where, "key": key}
            )


def _question(
    question: object, where: str, earlier: dict[str, list[str] | None], problems: list[str]
) -> None:
    if not isinstance(question, dict):
        problems.append(_("%(where)s: must be an object {…}.") % {"where": where})
        return
    unknown = sorted(set(question) - _QUESTION_FIELDS)
    if unknown:
        problems.append(
            _("%(where)s: unknown fields: %(fields)s.")
            % {"where": where, "fields": ", ".join(map(str, unknown))}
        )
    key = question.get("key")
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        problems.append(
            _("%(where)s: «key» must be 1 to 40 lower-case letters, digits or _, starting with a letter.")
            % {"where": where}
        )
        key = None
    elif key in earlier:
        problems.append(_("%(where)s: the key «%(key)s» is used twice.") % {"where": where, "key": key})
    if question.get("type") not in QuestionType.values:
        problems.append(
            _("%(where)s: «type» must be one of %(types)s.")
            % {"where": where, "types": ", ".join(QuestionType.values)}
        )
    if not isinstance(question.get("required", False), bool):
        problems.append(_("%(where)s: «required» must be true or false.") % {"where": where})
    _label(question, "label_fa", where, problems)
    _label(question, "label_en", where, problems)
    choices = _choices(question, where, problems)
    _show_if(question, where, earlier, problems)
    if key is not None:
        earlier.setdefault(key, _allowed_answers(question, choices))


def questions_check(value: object) -> list[dict[str, Any]]:
    """A category's questions exactly as the public form and ``validation`` expect them.

    Raises ``ValidationError`` listing every problem, each naming the question (1-based)."""
    if not isinstance(value, list):
        raise ValidationError(_("The questions must be a JSON list: [] or [{…}, {…}]."), code="not_list")
    if len(value) > MAX_QUESTIONS:
        raise ValidationError(
            _("At most %(n)d questions per category.") % {"n": MAX_QUESTIONS}, code="too_many"
        )
    problems: list[str] = []
    earlier: dict[str, list[str] | None] = {}
    for number, question in enumerate(value, start=1):
        _question(question, _("Question %(n)d") % {"n": number}, earlier, problems)
    if problems:
        raise ValidationError(problems, code="invalid")
    return value


# --- Categories and rules -------------------------------------------------------------------


def _snapshot(obj: Category | RoutingRule, fields: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        out[name] = value.code if isinstance(value, Category | OrgUnit) else value
    return out


@transaction.atomic
def category_update(*, actor: User, category: Category, **changes: Any) -> Category:
    require_configure(actor)
    unknown = set(changes) - set(CATEGORY_FIELDS)
    if unknown:
        raise TypeError(f"not a category setting: {sorted(unknown)}")
    if "questions" in changes:
        changes["questions"] = questions_check(changes["questions"])
    before = _snapshot(category, CATEGORY_FIELDS)
    for name, value in changes.items():
        setattr(category, name, value)
    if category.deadline_days < 1 or category.retention_days < 1:
        raise ValidationError(_("Deadlines and retention periods are at least one day."), code="days")
    if category.reminder_days >= category.retention_days:
        raise ValidationError(
            _("The reminder must come before the end of the retention period."), code="reminder"
        )
    category.full_clean()
    category.save()
    core_services.audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=category,
        before=before,
        after=_snapshot(category, CATEGORY_FIELDS),
    )
    return category


def _rule_check(rule: RoutingRule) -> None:
    if rule.unit_kind not in RECEIVING:
        raise ValidationError(_("Choose a receiving unit."), code="unit_kind")
    if rule.level not in Level.values:
        raise ValidationError(_("Choose a level."), code="level")
    if rule.province is not None and rule.province.kind != UnitKind.PROVINCE:
        raise ValidationError(_("A rule can be limited to a province only."), code="province")
    clash = RoutingRule.objects.filter(
        category=rule.category, province=rule.province, unit_kind=rule.unit_kind, level=rule.level
    ).exclude(pk=rule.pk)
    if clash.exists():
        raise ValidationError(
            _("This category already has a rule for this place, unit and level; edit that one."),
            code="duplicate",
        )


@transaction.atomic
def rule_create(
    *,
    actor: User,
    category: Category,
    province: OrgUnit | None,
    unit_kind: str,
    level: str,
    skip_if_named: bool = True,
    is_active: bool = True,
) -> RoutingRule:
    require_configure(actor)
    rule = RoutingRule(
        category=category,
        province=province,
        unit_kind=unit_kind,
        level=level,
        skip_if_named=skip_if_named,
        is_active=is_active,
    )
    _rule_check(rule)
    rule.save()
    core_services.audit_record(
        actor=actor, action=AuditAction.CREATE, obj=rule, after=_snapshot(rule, RULE_FIELDS)
    )
    return rule


@transaction.atomic
def rule_update(*, actor: User, rule: RoutingRule, **changes: Any) -> RoutingRule:
    """Change a rule; ``is_active=False`` deactivates it (rules are kept, never deleted, so the
    audit log can always say which rule sent a report where)."""
    require_configure(actor)
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"not a rule setting: {sorted(unknown)}")
    before = _snapshot(rule, RULE_FIELDS)
    for name, value in changes.items():
        setattr(rule, name, value)
    _rule_check(rule)
    rule.save()
    core_services.audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=rule, before=before, after=_snapshot(rule, RULE_FIELDS)
    )
    return rule


# --- Reading the set-up ---------------------------------------------------------------------


def rules(*, actor: User) -> list[RoutingRule]:
    require_configure(actor)
    return list(RoutingRule.objects.select_related("category", "province"))


def categories(*, actor: User) -> list[Category]:
    require_configure(actor)
    return list(Category.objects.all())


@dataclass(frozen=True)
class UnitSetup:
    unit: OrgUnit
    handlers: int
    has_keyring: bool
    holders: int  # handlers who hold a share of the keyring (others wait for a colleague)


def units_overview(*, actor: User) -> list[UnitSetup]:
    """Every receiving unit, HQ's first: its handlers and whether they can read. No report
    figure at all: how many reports a unit holds is not the administrator's business."""
    require_configure(actor)
    units = list(
        OrgUnit.objects.filter(kind__in=RECEIVING, is_active=True)
        .select_related("province")
        .order_by(F("province__iso_code").asc(nulls_first=True), "kind")
    )
    handlers: dict[int, set[int]] = {}
    memberships = Membership.objects.filter(
        role=Role.CASE_HANDLER, unit__in=units, user__is_active=True
    ).values_list("unit_id", "user_id")
    for unit_id, user_id in memberships:
        handlers.setdefault(unit_id, set()).add(user_id)
    keyrings = dict(
        Keyring.objects.filter(unit__in=units, retired_at__isnull=True).values_list("unit_id", "id")
    )
    shares: dict[int, set[int]] = {}
    for keyring_id, user_id in KeyShare.objects.filter(keyring_id__in=keyrings.values()).values_list(
        "keyring_id", "user_id"
    ):
        shares.setdefault(keyring_id, set()).add(user_id)
    return [
        UnitSetup(
            unit=unit,
            handlers=len(handlers.get(unit.pk, ())),
            has_keyring=unit.pk in keyrings,
            # A share counts only while its holder is still a handler there (as services_keys).
            holders=len(shares.get(keyrings.get(unit.pk, -1), set()) & handlers.get(unit.pk, set())),
        )
        for unit in units
    ]


@dataclass(frozen=True)
class Preview:
    routes: list[routing.Route]
    refused: bool  # nobody could receive: the public form would refuse the report


def routing_preview(
    *, actor: User, category: Category, province: OrgUnit | None, concerns: set[str], excluded: set[str]
) -> Preview:
    """Which units a report with these plain facts would reach, by the live rules and keys."""
    require_configure(actor)
    try:
        return Preview(
            routes=routing.route(category=category, province=province, concerns=concerns, excluded=excluded),
            refused=False,
        )
    except routing.NoRecipientError:
        return Preview(routes=[], refused=True)
