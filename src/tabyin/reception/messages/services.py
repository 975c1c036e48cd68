"""Writes of key messages: staff write an announcement with its key messages, edit a message's
text or facts, and answer a misreading cluster through the monitor (each audited).

A key message with no fact (no number, date, eligibility word or negation) is refused with a
Persian message that says what to add: fidelity is checked on facts, and a message without one
could never be found distorted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tabyin.core.enums import AuditAction
from tabyin.core.models import OrgUnit, User
from tabyin.core.registry import registry
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.reception.messages import permissions
from tabyin.reception.messages.enums import MAX_MESSAGES, MESSAGE_MAX_CHARS, TERMS_MAX
from tabyin.reception.messages.facts import Fact, essential, extract
from tabyin.reception.messages.models import Announcement, ClusterAnswer, KeyMessage
from tabyin.reception.polls.models import Poll


@dataclass(frozen=True)
class AnnouncementSpec:
    title: str
    kind: str
    published_at: datetime
    messages: list[str]
    ref_id: int | None = None
    url: str = ""
    province: OrgUnit | None = None
    story_key: int | None = None
    terms: str = ""
    window_days: int = 14
    poll: Poll | None = None


def facts_as_json(facts: list[Fact]) -> list[dict[str, str]]:
    return [{"kind": f.kind, "value": f.value, "text": f.text} for f in essential(facts)]


def facts_of(text: str, *, field: str) -> list[dict[str, str]]:
    """The facts of a key message; a message with none is refused, with what to add."""
    text = text.strip()
    if not text:
        raise ValidationError({field: _("Write the key message.")})
    if len(text) > MESSAGE_MAX_CHARS:
        raise ValidationError(
            {
                field: _("A key message is one short sentence: at most %(n)d characters.")
                % {"n": MESSAGE_MAX_CHARS}
            }
        )
    found = facts_as_json(extract(text))
    if not found:
        raise ValidationError(
            {
                field: _(
                    "“%(text)s” states no fact that can be checked: add the number, the date or who is "
                    "eligible (e.g. “only”, “all”, “covered”)."
                )
                % {"text": text[:60]}
            }
        )
    return found


def _require_manage(actor: User) -> None:
    permissions.require(permissions.can_manage(scope_for(actor)), "only HQ analysts write key messages")


@transaction.atomic
def announcement_create(*, actor: User, spec: AnnouncementSpec, is_sample: bool = False) -> Announcement:
    _require_manage(actor)
    texts = [t.strip() for t in spec.messages if t.strip()]
    if not 1 <= len(texts) <= MAX_MESSAGES:
        raise ValidationError({"messages": _("Give one to five key messages.")})
    facts = [facts_of(text, field="messages") for text in texts]
    terms = [t.strip() for t in spec.terms.splitlines() if t.strip()]
    if spec.story_key is None and not terms:
        raise ValidationError(
            {"terms": _("Name the monitor story or at least one term, to find the coverage.")}
        )
    if len(terms) > TERMS_MAX:
        raise ValidationError({"terms": _("At most %(n)d terms.") % {"n": TERMS_MAX}})
    announcement = Announcement.objects.create(
        title=spec.title.strip(),
        kind=spec.kind,
        ref_id=spec.ref_id,
        url=spec.url.strip(),
        province=spec.province,
        published_at=spec.published_at,
        story_key=spec.story_key,
        terms="\n".join(terms),
        window_days=spec.window_days,
        poll=spec.poll,
        is_sample=is_sample,
        created_by=actor,
    )
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=announcement, after={"title": announcement.title}
    )
    for order, (text, found) in enumerate(zip(texts, facts, strict=True), start=1):
        made = KeyMessage.objects.create(announcement=announcement, order=order, text=text, facts=found)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=made, after={"text": text})
    return announcement


def _parse_facts(lines: str) -> list[dict[str, str]]:
    """An editor's facts, one per line, each read by the same extractor (a line with none is
    refused: a fact the check cannot read would silently never be checked)."""
    chosen: list[Fact] = []
    for line in (raw.strip() for raw in lines.splitlines()):
        if not line:
            continue
        found = extract(line)
        if not found:
            raise ValidationError(
                {"facts": _("“%(line)s” is not a fact the check can read.") % {"line": line[:60]}}
            )
        chosen.extend(found)
    return facts_as_json(chosen)


@transaction.atomic
def message_update(*, actor: User, message: KeyMessage, text: str, facts: str = "") -> KeyMessage:
    """New text; the facts are extracted again unless the editor lists them (one per line)."""
    _require_manage(actor)
    before = {"text": message.text, "facts": [f["text"] for f in message.facts]}
    extracted = facts_of(text, field="text")
    message.text = text.strip()
    message.facts_edited = bool(facts.strip())
    message.facts = _parse_facts(facts) if message.facts_edited else extracted
    message.save(update_fields=["text", "facts", "facts_edited"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=message,
        before=before,
        after={"text": message.text, "facts": [f["text"] for f in message.facts]},
    )
    return message


@transaction.atomic
def cluster_answer(
    *, actor: User, message: KeyMessage, signature: str, story_key: int, title: str, body: str
) -> ClusterAnswer:
    """One step: the monitor flags the story carrying the wrong claim and opens a draft answer
    (its own rules decide who may); the cluster then shows the answer as what was done."""
    kept = ClusterAnswer.objects.filter(message=message, signature=signature).first()
    if kept is not None:
        return kept
    opener = registry.response_opener
    if opener is None:
        raise ValidationError(_("Answers are written in the media monitor, which is not installed here."))
    try:
        url = opener(actor, story_key, title, body)
    except PermissionDenied as refusal:
        raise PermissionDenied(_("Only the monitor's analysts can open an answer.")) from refusal
    answer = ClusterAnswer.objects.create(
        message=message, signature=signature, response_url=url, created_by=actor
    )
    # The claim's signature and the address are codes: the entry names the key message instead.
    audit_record(actor=actor, action=AuditAction.CREATE, obj=answer, after={"message": message.text})
    return answer
