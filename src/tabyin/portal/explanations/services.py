"""Explanations: reviewed, versioned texts beside the figures (strengths, weaknesses, caveats).

Workflow of one version: ``draft`` → ``in_review`` → ``published`` (later ``superseded`` by the
next approved version), or ``in_review`` → ``returned`` → edited → ``in_review`` again. The
versions of one explanation share ``thread``. Revising a published explanation starts version
n+1 as a draft; the published one stays public until the new one is approved, then becomes its
history. A reviewer never approves their own text (four eyes) and every transition leaves an
audit entry. The scoped reads of the staff pages are in ``_staff_queries``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from tabyin.core import selectors as core_selectors
from tabyin.core.enums import AuditAction
from tabyin.core.jalali import parse_period_code
from tabyin.core.models import OrgUnit, User
from tabyin.core.permissions import require
from tabyin.core.persian_text import normalize, search_key
from tabyin.core.scoping import Scope, scope_for
from tabyin.core.services import audit_record
from tabyin.portal import permissions
from tabyin.portal.enums import NATIONAL, ExplanationKind, ExplanationState
from tabyin.portal.models import Explanation, Indicator
from tabyin.portal.release.services import data_version_bump
from tabyin.portal.search import index as search_index

MAX_EVIDENCE: Final = 20
OPEN_STATES: Final = (ExplanationState.DRAFT, ExplanationState.RETURNED)
TEXT_FIELDS: Final = ("title_fa", "body_fa", "action_fa", "title_en", "body_en", "action_en")
# What a new version may change; what it is attached to (indicator, area, period) is fixed once
# the thread has been published, so its public history stays about one figure.
CONTENT_FIELDS: Final = ("kind", *TEXT_FIELDS, "evidence")
ATTACHMENT_FIELDS: Final = ("indicator", "area", "period")
_ONE_LINE: Final = frozenset({"title_fa", "title_en"})
_URL: Final = URLValidator(schemes=["http", "https"])


class ExplanationError(Exception):
    """A refused change, with the message in Persian (``fa``) and English (``en``)."""

    def __init__(self, code: str, fa: str, en: str, field: str | None = None) -> None:
        super().__init__(en)
        self.code = code
        self.fa = fa
        self.en = en
        self.field = field


# --- Cleaning --------------------------------------------------------------------------------------


def paragraphs(text: str) -> str:
    """Normalize each paragraph on its own and keep the blank line between paragraphs.

    ``normalize`` makes one line of its input; a body needs its paragraphs, so lines are
    normalized one by one, lines of one paragraph joined with a space, paragraphs with "\\n\\n".
    A line that holds only spaces or invisible characters counts as blank.
    """
    out: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        clean = normalize(line)
        if clean:
            current.append(clean)
        elif current:
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return "\n\n".join(out)


def _clean_text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise ExplanationError("text", "متن نامعتبر است.", "The text is not valid.", name)
    return normalize(value) if name in _ONE_LINE else paragraphs(value)


def clean_evidence(items: object) -> list[dict[str, str]]:
    """Evidence links: a list of ``{"title", "url"}`` with a non-empty title and an http(s) URL."""
    if not isinstance(items, list | tuple):
        raise ExplanationError(
            "evidence", "فهرست مستندات نامعتبر است.", "The evidence list is not valid.", "evidence"
        )
    if len(items) > MAX_EVIDENCE:
        raise ExplanationError(
            "evidence",
            f"حداکثر {MAX_EVIDENCE} پیوند مستند مجاز است.",
            f"At most {MAX_EVIDENCE} evidence links are allowed.",
            "evidence",
        )
    cleaned = []
    for number, item in enumerate(items, start=1):
        valid = (
            isinstance(item, Mapping)
            and set(item) == {"title", "url"}
            and all(isinstance(v, str) for v in item.values())
        )
        title = normalize(item["title"]) if valid else ""
        url = item["url"].strip() if valid else ""
        try:
            _URL(url)
        except ValidationError:
            valid = False
        if not valid or not title:
            raise ExplanationError(
                "evidence",
                f"مستند {number}: عنوان و نشانی http یا https لازم است.",
                f"Evidence {number}: a title and an http or https address are needed.",
                "evidence",
            )
        cleaned.append({"title": title, "url": url})
    return cleaned


def _clean_area(area: object) -> tuple[str, OrgUnit | None]:
    """``""`` (every area) and ``"IR"`` (the nation) have no province; else an ISO province code."""
    code = area.strip().upper() if isinstance(area, str) else None
    if code in ("", NATIONAL):
        return code, None
    province = core_selectors.province_by_iso(code) if code else None
    if province is None:
        raise ExplanationError("area", "ناحیه نامعتبر است.", "Unknown area.", "area")
    return code or "", province


def _clean_period(period: object) -> str:
    if not isinstance(period, str) or not period.strip():
        return ""
    try:
        year, month = parse_period_code(period)
    except ValueError:
        raise ExplanationError(
            "period", "دوره باید به شکل ۱۴۰۳-۱۱ باشد.", "The period must look like 1403-11.", "period"
        ) from None
    return f"{year:04d}-{month:02d}"


def _clean(changes: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        if name in TEXT_FIELDS:
            cleaned[name] = _clean_text(name, value)
        elif name == "kind":
            if value not in ExplanationKind.values:
                raise ExplanationError("kind", "نوع تبیین نامعتبر است.", "Unknown kind.", "kind")
            cleaned[name] = ExplanationKind(value)
        elif name == "evidence":
            cleaned[name] = clean_evidence(value)
        elif name == "area":
            cleaned[name] = _clean_area(value)[0]
        elif name == "period":
            cleaned[name] = _clean_period(value)
        elif name == "indicator":
            if not isinstance(value, Indicator):
                raise ExplanationError("indicator", "شاخص نامعتبر است.", "Unknown indicator.", "indicator")
            cleaned[name] = value
        else:
            raise ValueError(f"unknown explanation field: {name}")
    for name in ("title_fa", "body_fa"):
        if name in cleaned and not cleaned[name]:
            raise ExplanationError("required", "این بخش لازم است.", "This field is required.", name)
    return cleaned


# --- Permissions and audit ---------------------------------------------------------------------


def province_of(explanation: Explanation) -> OrgUnit | None:
    return _clean_area(explanation.area)[1]


def may_draft_for(scope: Scope, province: OrgUnit | None) -> bool:
    """National drafters write for any area, provincial ones for their own province only."""
    return permissions.can_draft_explanation_for(scope, province.pk if province else None)


def _require_drafter(scope: Scope, province: OrgUnit | None) -> None:
    require(permissions.can_draft_explanations(scope), "you may not write explanations")
    require(may_draft_for(scope, province), "you may write explanations only for your own province")


def _require_reviewer(scope: Scope) -> None:
    require(permissions.can_review_explanations(scope), "you may not review explanations")


def _summary(e: Explanation) -> dict[str, Any]:
    return {
        "thread": e.thread,
        "version": e.version,
        "indicator": e.indicator.code,
        "area": e.area,
        "period": e.period,
        "kind": str(e.kind),
        "state": str(e.state),
        **{name: getattr(e, name) for name in TEXT_FIELDS},
        "evidence": list(e.evidence),
        "author": e.author.username,
        "reviewer": e.reviewer.username if e.reviewer else "",
        "review_note": e.review_note,
    }


def _audit(actor: User, explanation: Explanation, before: dict[str, Any] | None) -> None:
    """A creation (``before`` None) or an update; for an update only changed fields are kept."""
    action = AuditAction.CREATE if before is None else AuditAction.UPDATE
    unit = province_of(explanation)
    audit_record(
        actor=actor, action=action, obj=explanation, unit=unit, before=before, after=_summary(explanation)
    )


def attachment_editable(explanation: Explanation) -> bool:
    """Indicator, area and period change only while the thread has never been published."""
    return explanation.version == 1 and explanation.state in OPEN_STATES


def _lock(explanation: Explanation) -> Explanation:
    """Re-read the row under a lock and bring the caller's object up to date with it."""
    locked = Explanation.objects.select_for_update(of=("self",))  # PostgreSQL: not the joined rows
    row = locked.select_related("indicator", "author", "reviewer").get(pk=explanation.pk)
    for f in Explanation._meta.concrete_fields:
        setattr(explanation, f.attname, getattr(row, f.attname))
    for relation in ("indicator", "author", "reviewer"):
        setattr(explanation, relation, getattr(row, relation))
    return explanation


def search_text(e: Explanation) -> str:
    parts = [e.title_fa, e.body_fa, e.action_fa, e.title_en, e.body_en, e.action_en]
    return " ".join(search_key(p) for p in parts if p)


# --- Workflow ----------------------------------------------------------------------------------


@transaction.atomic
def explanation_draft(
    *,
    actor: User,
    indicator: Indicator,
    kind: ExplanationKind | str,
    area: str = "",
    period: str = "",
    title_fa: str,
    body_fa: str,
    action_fa: str = "",
    evidence: Sequence[Mapping[str, str]] = (),
    title_en: str = "",
    body_en: str = "",
    action_en: str = "",
) -> Explanation:
    """Start a new explanation (a new thread, version 1, a draft)."""
    _, province = _clean_area(area)
    _require_drafter(scope_for(actor), province)
    fields = _clean({
        "indicator": indicator, "kind": kind, "area": area, "period": period, "title_fa": title_fa,
        "body_fa": body_fa, "action_fa": action_fa, "title_en": title_en, "body_en": body_en,
        "action_en": action_en, "evidence": list(evidence),
    })  # fmt: skip
    for attempt in range(5):  # two drafts at once may pick the same number: the loser retries
        try:
            with transaction.atomic():
                thread = (Explanation.objects.aggregate(last=Max("thread"))["last"] or 0) + 1
                explanation = Explanation.objects.create(
                    thread=thread, version=1, state=ExplanationState.DRAFT, author=actor, **fields
                )
            break
        except IntegrityError:
            if attempt == 4:
                raise
    _audit(actor, explanation, None)
    return explanation


@transaction.atomic
def explanation_revise(*, actor: User, explanation: Explanation, **changes: Any) -> Explanation:
    """Edit a draft or returned version in place, or start version n+1 of a published one.

    Whoever edits a version becomes its author, so the four-eyes rule holds for the last hand.
    """
    _lock(explanation)
    scope = scope_for(actor)
    _require_drafter(scope, province_of(explanation))
    unknown = set(changes) - set(CONTENT_FIELDS) - set(ATTACHMENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown explanation fields: {sorted(unknown)}")
    fixed = {n for n in ATTACHMENT_FIELDS if n in changes}
    if fixed and not attachment_editable(explanation):
        current = {"indicator": explanation.indicator, "area": explanation.area, "period": explanation.period}
        if any(_clean({n: changes[n]})[n] != current[n] for n in fixed):
            raise ExplanationError(
                "attachment",
                "شاخص، ناحیه و دورهٔ تبیینی که منتشر شده است تغییر نمی‌کند؛ تبیین تازه‌ای بنویسید.",
                "The indicator, area and period of a published explanation do not change; "
                "write a new explanation instead.",
            )
        changes = {k: v for k, v in changes.items() if k not in fixed}
    cleaned = _clean(changes)
    if "area" in cleaned:
        _require_drafter(scope, _clean_area(cleaned["area"])[1])
    if explanation.state in OPEN_STATES:
        return _edit_in_place(actor, explanation, cleaned)
    if explanation.state == ExplanationState.PUBLISHED:
        return _new_version(actor, explanation, cleaned)
    raise ExplanationError(
        "state",
        "این نسخه در انتظار بررسی یا جایگزین‌شده است و ویرایش نمی‌شود.",
        "This version is waiting for review or has been replaced; it cannot be edited.",
    )


def _edit_in_place(actor: User, explanation: Explanation, cleaned: dict[str, Any]) -> Explanation:
    before = _summary(explanation)
    changed = {k: v for k, v in cleaned.items() if getattr(explanation, k) != v}
    if not changed:
        return explanation
    for name, value in changed.items():
        setattr(explanation, name, value)
    explanation.author = actor
    explanation.save()
    _audit(actor, explanation, before)
    return explanation


def _new_version(actor: User, published: Explanation, cleaned: dict[str, Any]) -> Explanation:
    newer = Explanation.objects.filter(thread=published.thread, version__gt=published.version)
    if newer.exists():
        raise ExplanationError(
            "open-version",
            "نسخهٔ تازه‌تری از این تبیین در دست نگارش یا بررسی است.",
            "A newer version of this explanation is already being written or reviewed.",
        )
    content = {name: getattr(published, name) for name in CONTENT_FIELDS} | cleaned
    explanation = Explanation.objects.create(
        thread=published.thread,
        version=published.version + 1,
        indicator=published.indicator,
        area=published.area,
        period=published.period,
        state=ExplanationState.DRAFT,
        author=actor,
        **content,
    )
    _audit(actor, explanation, None)
    return explanation


def _transition(actor: User, explanation: Explanation, **fields: Any) -> Explanation:
    before = _summary(explanation)
    for name, value in fields.items():
        setattr(explanation, name, value)
    explanation.save()
    _audit(actor, explanation, before)
    return explanation


def _require_state(explanation: Explanation, *states: ExplanationState) -> None:
    if explanation.state not in states:
        raise ExplanationError(
            "state",
            "این کار در وضعیت کنونی این نسخه ممکن نیست.",
            "This is not possible in the version's current state.",
        )


@transaction.atomic
def explanation_submit(*, actor: User, explanation: Explanation) -> Explanation:
    """Send a draft (or a returned version) to review."""
    _lock(explanation)
    _require_drafter(scope_for(actor), province_of(explanation))
    _require_state(explanation, *OPEN_STATES)
    return _transition(actor, explanation, state=ExplanationState.IN_REVIEW, submitted_at=timezone.now())


@transaction.atomic
def explanation_approve(*, actor: User, explanation: Explanation, note: str = "") -> Explanation:
    """Publish a version; the version published before it becomes its history (superseded)."""
    _lock(explanation)
    _require_reviewer(scope_for(actor))
    require(explanation.author_id != actor.pk, "four eyes: the author may not approve their own text")
    _require_state(explanation, ExplanationState.IN_REVIEW)
    previous = (
        Explanation.objects.select_for_update(of=("self",))
        .select_related("indicator", "author", "reviewer")
        .filter(thread=explanation.thread, state=ExplanationState.PUBLISHED)
        .first()
    )
    if previous is not None:
        _transition(actor, previous, state=ExplanationState.SUPERSEDED)
    explanation.search_text = search_text(explanation)
    _transition(
        actor,
        explanation,
        state=ExplanationState.PUBLISHED,
        reviewer=actor,
        review_note=paragraphs(note),
        published_at=timezone.now(),
    )
    search_index.index_explanation(explanation)  # replaces the thread's previous version
    transaction.on_commit(data_version_bump)  # after commit: no stale page under the new key
    return explanation


@transaction.atomic
def explanation_return(*, actor: User, explanation: Explanation, note: str) -> Explanation:
    """Send a version back to its author with a note saying what to change."""
    _lock(explanation)
    _require_reviewer(scope_for(actor))
    _require_state(explanation, ExplanationState.IN_REVIEW)
    note = paragraphs(note)
    if not note:
        raise ExplanationError("note", "بنویسید چه چیزی باید تغییر کند.", "Say what should change.", "note")
    return _transition(actor, explanation, state=ExplanationState.RETURNED, reviewer=actor, review_note=note)
