"""The organizer writes a challenge (a draft only staff see), edits it, and publishes it.

Every rule is here, not in the form: phase dates strictly in order, a weighted rubric whose weights
make 100 %, a content contest's kinds of entry, and what can no longer change once people took part
(the kind once entries exist, the rubric once a juror scored). Dates are whole Jalali days in
Tehran time: a phase that "opens" on a day starts at its midnight, one that "ends" on a day runs
to the end of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core.display.numbers import format_number
from tabyin.core.enums import AuditAction
from tabyin.core.http import page_language
from tabyin.core.jalali import format_date
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.ideas import permissions
from tabyin.ideas.challenges.enums import ChallengeKind, Eligibility, FileGroup, MediaKind
from tabyin.ideas.challenges.models import Challenge

CATEGORY_MAX: Final = 100
CATEGORIES_MAX: Final = 20
CRITERIA_MAX: Final = 6
SCORE_MAX_LIMIT: Final = 100
HUNDRED: Final = Decimal(100)

# The phase dates in the order they must follow, with whether the date ends its phase (runs to the
# end of the day) or opens it (starts at the day's midnight).
DATE_FIELDS: Final = (
    ("submission_opens", False),
    ("submission_closes", True),
    ("moderation_closes", True),
    ("support_closes", True),
    ("jury_closes", True),
    ("results_at", False),
    ("implementation_until", True),
)


@dataclass(frozen=True)
class Criterion:
    label: str
    weight_percent: Decimal | None
    max_score: int | None


@dataclass(frozen=True)
class ChallengeData:
    title: str
    problem: str
    rules: str
    kind: str
    eligibility: str
    dates: dict[str, date | None]
    criteria: list[Criterion]
    slug: str = ""
    categories: list[str] = field(default_factory=list)
    media_kinds: list[str] = field(default_factory=list)
    file_groups: list[str] = field(default_factory=list)
    prizes: str = ""
    blind_review: bool = True
    insured_only: bool = False
    pairwise: bool = False


def moment(day: date, *, ends: bool) -> datetime:
    """The aware instant a phase date stands for (Tehran time)."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start + timedelta(days=1) if ends else start


def day_of(instant: datetime | None, *, ends: bool) -> date | None:
    """The day a stored instant is shown as on the form (the inverse of :func:`moment`)."""
    if instant is None:
        return None
    local = timezone.localtime(instant)
    return (local - timedelta(microseconds=1)).date() if ends else local.date()


def _n(value: int | Decimal) -> str:
    return format_number(value, page_language())


def _label(name: str) -> str:
    field = Challenge._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _check_dates(dates: dict[str, date | None], errors: dict[str, list[str]]) -> None:
    previous: tuple[str, date] | None = None
    for name, _ends in DATE_FIELDS:
        day = dates.get(name)
        if day is None:
            if name != "implementation_until":
                errors[name] = [_("Give this date.")]
            continue
        if previous is not None and day <= previous[1]:
            errors[name] = [
                _("This date must come after «%(previous)s» (%(date)s).")
                % {"previous": _label(previous[0]), "date": format_date(previous[1], page_language())}
            ]
        previous = (name, day)


def _rubric(
    data: ChallengeData, old: list[dict[str, object]], errors: dict[str, list[str]]
) -> list[dict[str, object]]:
    rubric: list[dict[str, object]] = []
    total = Decimal(0)
    for n, c in enumerate(data.criteria, start=1):
        label = c.label.strip()
        if not label:
            if c.weight_percent is not None or c.max_score is not None:
                errors[f"criterion_{n}_label"] = [_("Name the criterion, or clear its weight and maximum.")]
            continue
        if c.weight_percent is None or c.weight_percent <= 0:
            errors[f"criterion_{n}_weight"] = [_("Give the criterion a weight above zero.")]
            continue
        if c.max_score is None or not 1 <= c.max_score <= SCORE_MAX_LIMIT:
            errors[f"criterion_{n}_max"] = [
                _("Give the highest score, from 1 to %(n)s.") % {"n": _n(SCORE_MAX_LIMIT)}
            ]
            continue
        total += c.weight_percent
        # A criterion keeps the key it had at its place, so sent scores still name it.
        key = str(old[n - 1]["key"]) if n <= len(old) else f"c{n}"
        weight = float(c.weight_percent / HUNDRED)
        rubric.append({"key": key, "label": label[:100], "weight": weight, "max": c.max_score})
    if not rubric and not any(k.startswith("criterion_") for k in errors):
        errors["criterion_1_label"] = [_("The jury needs at least one criterion.")]
    elif rubric and total != HUNDRED and not any(k.startswith("criterion_") for k in errors):
        errors["criterion_1_weight"] = [
            _("The weights must add up to 100; they add up to %(total)s.")
            % {"total": _n(int(total) if total == total.to_integral_value() else total.normalize())}
        ]
    return rubric


def _check_text(data: ChallengeData, challenge: Challenge | None, errors: dict[str, list[str]]) -> None:
    if challenge is None:
        if not data.slug:
            errors["slug"] = [_("Give the challenge an address name.")]
        elif Challenge.objects.filter(slug=data.slug).exists():
            errors["slug"] = [_("Another challenge already has this address name.")]
    for name in ("title", "problem", "rules"):
        if not getattr(data, name).strip():
            errors[name] = [_("This cannot be empty.")]


def _check(
    data: ChallengeData, challenge: Challenge | None
) -> tuple[dict[str, object], list[dict[str, object]]]:
    errors: dict[str, list[str]] = {}
    _check_text(data, challenge, errors)
    if data.kind not in ChallengeKind.values:
        errors["kind"] = [_("Choose an idea challenge or a content contest.")]
    elif challenge is not None and data.kind != challenge.kind and challenge.entries.exists():
        errors["kind"] = [_("Entries were already sent: the kind of challenge can no longer change.")]
    if data.eligibility not in Eligibility.values:
        errors["eligibility"] = [_("Choose who may take part.")]
    media = [m for m in MediaKind.values if m in data.media_kinds]
    if data.kind == ChallengeKind.CONTEST and not media:
        errors["media_kinds"] = [_("A content contest takes at least one kind of entry.")]
    categories = list(dict.fromkeys(c.strip() for c in data.categories if c.strip()))
    if len(categories) > CATEGORIES_MAX or any(len(c) > CATEGORY_MAX for c in categories):
        errors["categories"] = [
            _("At most %(n)s categories of up to %(chars)s characters each.")
            % {"n": _n(CATEGORIES_MAX), "chars": _n(CATEGORY_MAX)}
        ]
    _check_dates(data.dates, errors)
    old = challenge.criteria() if challenge is not None else []
    rubric = _rubric(data, old, errors)
    if challenge is not None and rubric != old and _scored(challenge):
        errors["criterion_1_label"] = [_("Jurors already sent scores: the rubric can no longer change.")]
    if errors:
        raise ValidationError(errors)
    values: dict[str, object] = {
        "title": data.title.strip(),
        "problem": data.problem.strip(),
        "rules": data.rules.strip(),
        "kind": data.kind,
        "eligibility": data.eligibility,
        "insured_only": data.insured_only or data.eligibility == Eligibility.INSURED,
        "blind_review": data.blind_review,
        "pairwise": data.pairwise,
        "categories": categories,
        "media_kinds": media if data.kind == ChallengeKind.CONTEST else [],
        "file_groups": [g for g in FileGroup.values if g in data.file_groups],
        "prizes": data.prizes.strip(),
    }
    for name, ends in DATE_FIELDS:
        day = data.dates.get(name)
        values[name] = None if day is None else moment(day, ends=ends)
    return values, rubric


def _scored(challenge: Challenge) -> bool:
    # Through the reverse names: the jury's rows sit above challenges in the layers.
    return Challenge.objects.filter(pk=challenge.pk, entries__assignments__scores__isnull=False).exists()


def _snapshot(challenge: Challenge) -> dict[str, object]:
    shown = {name: getattr(challenge, name) for name in ("title", "kind", "eligibility", "is_draft")}
    for name, _ends in DATE_FIELDS:
        value = getattr(challenge, name)
        shown[name] = value.isoformat() if value else None
    shown["rubric"] = [f"{c['label']}: {round(float(c['weight']) * 100, 2):g}" for c in challenge.rubric]
    return shown


def challenge_save(*, actor: User, data: ChallengeData, challenge: Challenge | None = None) -> Challenge:
    """Create a draft (``challenge`` None) or change one; returns it. Refusals name their field."""
    permissions.require(permissions.can_organize(scope_for(actor)))
    values, rubric = _check(data, challenge)
    with transaction.atomic():
        if challenge is None:
            challenge = Challenge.objects.create(
                slug=data.slug, rubric=rubric, is_draft=True, created_by=actor, **values
            )
            audit_record(actor=actor, action=AuditAction.CREATE, obj=challenge, after=_snapshot(challenge))
            return challenge
        before = _snapshot(challenge)
        for name, value in values.items():
            setattr(challenge, name, value)
        challenge.rubric = rubric
        challenge.save()
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=challenge, before=before, after=_snapshot(challenge)
        )
    return challenge


def challenge_publish(*, actor: User, challenge: Challenge) -> Challenge:
    """The draft becomes public (its page, the list, the sitemap)."""
    permissions.require(permissions.can_organize(scope_for(actor)))
    if not challenge.is_draft:
        raise ValidationError(_("This challenge is already public."))
    with transaction.atomic():
        challenge.is_draft = False
        challenge.save(update_fields=["is_draft"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=challenge,
            before={"is_draft": True},
            after={"is_draft": False},
        )
    return challenge
