"""Writes of comprehension polls: staff create, open and close polls (audited); the public answers.

An answer is refused, with nothing stored, when the poll is not open (``PollNotOpenError``), when this
browser's token already answered (``AlreadyAnsweredError``, which carries the kept answer's time), or
when a value is invalid (``ValidationError`` keyed by the question's field name).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, router, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tabyin.core import db_writer
from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.registry import registry
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.reception.polls import cache, inserts, permissions
from tabyin.reception.polls.enums import (
    CLARITY_MAX,
    CLARITY_MIN,
    MAX_CHOICES,
    MAX_QUESTIONS,
    OPEN_ANSWER_LIMIT,
    PollState,
    QuestionKind,
)
from tabyin.reception.polls.models import Answer, Poll, Question, Response

POLL_FIELDS = ("title", "target_path", "target_title", "state")


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    text: str
    choices: list[str] = field(default_factory=list)
    correct: int | None = None


class PollNotOpenError(Exception):
    def __init__(self, poll: Poll) -> None:
        super().__init__(poll.state)
        self.poll = poll


class AlreadyAnsweredError(Exception):
    def __init__(self, kept: Response) -> None:
        super().__init__(kept.pk)
        self.kept = kept


def question_field(question: Question) -> str:
    """The name of a question's field in forms and in ``ValidationError``s."""
    return f"q{question.order}"


def _check_questions(specs: list[QuestionSpec]) -> None:
    if not 1 <= len(specs) <= MAX_QUESTIONS:
        raise ValidationError(_("A poll has one to three questions."), code="questions")
    for number, spec in enumerate(specs, start=1):
        key = f"q{number}_text"
        if spec.kind not in QuestionKind.values or not spec.text.strip():
            raise ValidationError({key: _("Write the question and choose its kind.")})
        if spec.kind == QuestionKind.CHOICE:
            if not 2 <= len(spec.choices) <= MAX_CHOICES:
                raise ValidationError({f"q{number}_choices": _("Give two to six options, one per line.")})
            if spec.correct is None or not 0 <= spec.correct < len(spec.choices):
                raise ValidationError({f"q{number}_correct": _("Say which option is the correct one.")})


@transaction.atomic
def poll_create(
    *,
    actor: User,
    title: str,
    target_path: str,
    target_title: str,
    questions: list[QuestionSpec],
    is_sample: bool = False,
) -> Poll:
    permissions.require(permissions.can_manage(scope_for(actor)))
    target_path, target_title = target_path.strip(), target_title.strip()
    if not target_path and not target_title:
        raise ValidationError({"target_path": _("Give the page address or the announcement's title.")})
    if target_path and not target_path.startswith("/"):
        raise ValidationError({"target_path": _("A page address of this site starts with «/».")})
    _check_questions(questions)
    poll = Poll.objects.create(
        title=title.strip(),
        target_path=target_path,
        target_title=target_title,
        created_by=actor,
        is_sample=is_sample,
    )
    Question.objects.bulk_create(
        Question(
            poll=poll,
            order=number,
            kind=spec.kind,
            text=spec.text.strip(),
            choices=[c.strip() for c in spec.choices] if spec.kind == QuestionKind.CHOICE else [],
            correct=spec.correct if spec.kind == QuestionKind.CHOICE else None,
        )
        for number, spec in enumerate(questions, start=1)
    )
    after = {name: getattr(poll, name) for name in POLL_FIELDS} | {"questions": len(questions)}
    audit_record(actor=actor, action=AuditAction.CREATE, obj=poll, after=after)
    return poll


@transaction.atomic
def poll_set_state(*, actor: User, poll: Poll, state: str) -> Poll:
    """Open a draft or closed poll, or close an open one."""
    permissions.require(permissions.can_manage(scope_for(actor)))
    allowed = {PollState.OPEN: (PollState.DRAFT, PollState.CLOSED), PollState.CLOSED: (PollState.OPEN,)}
    if state not in allowed or poll.state not in allowed[PollState(state)]:
        raise ValidationError(_("This poll cannot move to that state."), code="state")
    before = poll.state
    poll.state = state
    now = timezone.now()
    if state == PollState.OPEN:
        poll.opened_at, poll.closed_at = poll.opened_at or now, None
    else:
        poll.closed_at = now
    poll.save(update_fields=("state", "opened_at", "closed_at"))
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=poll, before={"state": before}, after={"state": state}
    )
    return poll


def _answer(question: Question, raw: object) -> Answer | None:
    """The answer to one question, ``None`` for an empty open answer; refuses a bad value."""
    key = question_field(question)
    value = "" if raw is None else str(raw).strip()
    if question.kind == QuestionKind.OPEN:
        if len(value) > OPEN_ANSWER_LIMIT:
            raise ValidationError({key: _open_too_long(len(value))})
        return Answer(question=question, text=value) if value else None
    if not value:
        raise ValidationError({key: _("Choose an answer to this question.")})
    number = int(value) if value.isdigit() else -1
    if question.kind == QuestionKind.CHOICE and 0 <= number < len(question.choices):
        return Answer(question=question, choice=number)
    if question.kind == QuestionKind.CLARITY and CLARITY_MIN <= number <= CLARITY_MAX:
        return Answer(question=question, clarity=number)
    raise ValidationError({key: _("That answer is not one of this question's options; choose one of them.")})


def _open_too_long(length: int) -> str:
    return _(
        "Your answer has %(length)s characters; the limit is %(limit)s. Please shorten it: your text "
        "is kept below and nothing was counted yet."
    ) % {"length": length, "limit": OPEN_ANSWER_LIMIT}


def response_submit(
    *,
    poll: Poll,
    token: str,
    answers: dict[str, object],
    province_iso: str = "",
    at: datetime | None = None,
) -> Response:
    """Store one browser's answers to an open poll. ``answers`` maps question field names
    (``q1``…) to the submitted values; ``at`` is for sample data, else now. Pass the poll with its
    state as read for this answer: the questions and provinces come from ``cache``, so the only
    queries are the two inserts in one transaction."""
    if poll.state != PollState.OPEN:
        raise PollNotOpenError(poll)
    province_id = None
    if province_iso:
        province = cache.provinces().get(province_iso.upper())
        if province is None:
            raise ValidationError({"province": _("Choose a province from the list, or none.")})
        province_id = province.pk
    questions = cache.questions(poll)
    rows = [a for q in questions if (a := _answer(q, answers.get(question_field(q)))) is not None]
    if not rows:
        raise ValidationError(_("Answer at least one question."), code="empty")
    when = at or timezone.now()
    response = Response(
        poll=poll, token=token, province_id=province_id, created_at=when, day=timezone.localdate(when)
    )
    alias = router.db_for_write(Response)
    try:
        # On SQLite, writers queue on a lock that wakes the next at once, not in SQLite's busy
        # handler, which sleeps between tries (``core.db_writer``).
        with db_writer.hold(alias), transaction.atomic(using=alias):
            if inserts.supported(Response):
                inserts.insert([response])
                for row in rows:
                    row.response = response
                inserts.insert(rows)
            else:
                response.save(force_insert=True)
                for row in rows:
                    row.response = response
                Answer.objects.bulk_create(rows)
    except IntegrityError:
        # The unique (poll, token) constraint is the check, so two answers sent at once cannot
        # both pass it; the one stored first is kept (and no extra query is paid per answer).
        kept = Response.objects.filter(poll=poll, token=token).first()
        if kept is None:
            # Not the once-per-browser rule: a remembered province or question that is gone.
            cache.forget()
            raise
        raise AlreadyAnsweredError(kept) from None
    return response


def poll_send(*, actor: User, poll: Poll) -> str:
    """Write the poll's link as a message for the owned channels, through core's registry (the
    campaigns outbox keeps it as a draft until a senior manager approves it); returns the draft's
    staff address. Only an open poll is sent: a link to a draft or a closed poll would refuse every
    answer."""
    permissions.require(permissions.can_manage(scope_for(actor)))
    if poll.state != PollState.OPEN:
        raise ValidationError(_("Open the poll before sending its link."), code="state")
    with translation.override("fa"):
        link = settings.TABYIN_SITE_URL + reverse("reception:poll", args=[poll.pk])
        body = _("Did our explanation come across? Answer in one tap, without an account.")
    url = registry.publish_draft(actor, poll.title, body, link)
    if url is None:
        raise ValidationError(_("No part of this site sends messages to the owned channels."), code="none")
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=poll, after={"sent_as_draft": url, "link": link})
    return url
