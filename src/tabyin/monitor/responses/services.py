"""Answering a rumor: flag the story, assign it, draft, submit, approve or return, publish.

The workflow of a ``Response`` is DRAFT → IN_REVIEW → APPROVED → PUBLISHED; a manager may return
a response in review (or approved, not yet published) to DRAFT with a note. Analysts triage (flag,
assign, draft, submit); senior managers approve, return and publish, and nobody approves what
they drafted themselves. Publishing makes the answer public on the clarifications page, feeds it
through the ingestion pipeline as a post of the owned source "web:clarifications" (so its reposts
are tracked like any story's), and enqueues the sending to the owned messenger channels and the
e-mails to the tipline senders who asked about this story.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core import services as core_services
from tabyin.core.enums import AuditAction, Role
from tabyin.core.models import Membership, User
from tabyin.core.scoping import scope_for
from tabyin.monitor import permissions, task_refs
from tabyin.monitor.enums import ResponseStatus, StoryKind
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import Response, Source, Story
from tabyin.monitor.pipeline.types import RawPost
from tabyin.monitor.responses import services_publish

log = logging.getLogger(__name__)

ANSWER_SOURCE = "web:clarifications"
ANSWER_SOURCE_NAME = "Clarifications"
TITLE_MAX = 300
BODY_MAX = 10_000
NOTE_MAX = 2_000


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _audit(actor: User, obj: Any, before: dict[str, Any], after: dict[str, Any]) -> None:
    core_services.audit_record(actor=actor, action=AuditAction.UPDATE, obj=obj, before=before, after=after)


def _triage(actor: User) -> None:
    permissions.require(permissions.can_triage(scope_for(actor)), "only analysts triage stories")


def _approver(actor: User) -> None:
    permissions.require(permissions.can_approve(scope_for(actor)), "only senior managers approve answers")


def _text(value: str, *, limit: int, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError({field: _("Please keep this under %(n)d characters.") % {"n": limit}})
    return text


def _locked_response(response: Response) -> Response:
    return Response.objects.select_for_update().select_related("story").get(pk=response.pk)


def _expect(response: Response, *statuses: ResponseStatus) -> None:
    if response.status not in statuses:
        raise ValidationError(
            _("This cannot be done while the answer is “%(status)s”.")
            % {"status": response.get_status_display()}
        )


# --- triage --------------------------------------------------------------------------------------


@transaction.atomic
def story_flag_rumor(*, actor: User, story: Story, flagged: bool = True) -> Story:
    """Mark a story as a rumor (a false claim to answer), or take the mark off."""
    _triage(actor)
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.kind == StoryKind.ANSWER:
        raise ValidationError(_("This story is one of our own answers."))
    if not flagged and Response.objects.filter(story=story, status=ResponseStatus.PUBLISHED).exists():
        raise ValidationError(_("The answer to this rumor is published: it stays flagged."))
    if flagged == story.is_rumor:
        return story
    before = {"is_rumor": story.is_rumor}
    story.is_rumor = flagged
    story.rumor_flagged_at = timezone.now() if flagged else None
    story.rumor_flagged_by = actor if flagged else None
    story.save(update_fields=["is_rumor", "rumor_flagged_at", "rumor_flagged_by"])
    _audit(actor, story, before, {"is_rumor": story.is_rumor})
    return story


def assignable() -> list[User]:
    """Whom a rumor may be assigned to: the analysts of national units (they may draft)."""
    ids = Membership.objects.filter(
        role=Role.ANALYST, unit__province__isnull=True, unit__is_active=True
    ).values("user_id")
    return list(User.objects.filter(id__in=ids, is_active=True).order_by("username"))


@transaction.atomic
def story_assign(*, actor: User, story: Story, assignee: User | None) -> Story:
    _triage(actor)
    if assignee is not None and assignee.pk not in {u.pk for u in assignable()}:
        raise ValidationError({"assignee": _("Assign the story to an analyst.")})
    story = Story.objects.select_for_update().get(pk=story.pk)
    before = {"assignee": story.assignee.username if story.assignee else None}
    story.assignee = assignee
    story.save(update_fields=["assignee"])
    _audit(actor, story, before, {"assignee": assignee.username if assignee else None})
    return story


# --- drafting and review -------------------------------------------------------------------------


@transaction.atomic
def response_save_draft(*, actor: User, story: Story, title: str, body: str) -> Response:
    """Create or edit the draft answer of a flagged story (only while it is a draft)."""
    _triage(actor)
    story = Story.objects.select_for_update().get(pk=story.pk)
    if not story.is_rumor:
        raise ValidationError(_("Flag the story as a rumor first."))
    title = _text(title, limit=TITLE_MAX, field="title")
    body = _text(body, limit=BODY_MAX, field="body")
    response = Response.objects.select_for_update().filter(story=story).first()
    if response is None:
        response = Response(story=story)
    else:
        _expect(response, ResponseStatus.DRAFT)
    response.title, response.body, response.drafted_by = title, body, actor
    response.save()
    return response


@transaction.atomic
def response_draft_for_claim(*, actor: User, story_key: int, title: str, body: str) -> Response:
    """One step from another app (reception's misreading clusters): flag the story that carries a
    wrong claim as a rumor and start its draft answer. An answer already under way is returned as
    it is, never overwritten."""
    _triage(actor)
    story = Story.objects.filter(key=story_key).first()
    if story is None:
        raise ValidationError(_("The story of this claim is no longer in the monitor."))
    existing = Response.objects.filter(story=story).first()
    if existing is not None:
        return existing
    story = story_flag_rumor(actor=actor, story=story)
    return response_save_draft(actor=actor, story=story, title=title, body=body)


@transaction.atomic
def response_submit(*, actor: User, response: Response) -> Response:
    """Send a draft to the senior managers for approval."""
    _triage(actor)
    response = _locked_response(response)
    _expect(response, ResponseStatus.DRAFT)
    if not response.title or not response.body:
        raise ValidationError(_("Write a title and an answer before asking for approval."))
    response.status = ResponseStatus.IN_REVIEW
    response.save(update_fields=["status", "updated_at"])
    return response


@transaction.atomic
def response_approve(*, actor: User, response: Response) -> Response:
    _approver(actor)
    response = _locked_response(response)
    if response.drafted_by_id == actor.pk:
        raise PermissionDenied("the person who drafted an answer may not approve it")
    _expect(response, ResponseStatus.IN_REVIEW)
    before = {"status": response.status}
    response.status = ResponseStatus.APPROVED
    response.approved_by = actor
    response.approved_at = timezone.now()
    response.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    _audit(actor, response, before, {"status": response.status, "approved_at": _iso(response.approved_at)})
    return response


@transaction.atomic
def response_return(*, actor: User, response: Response, note: str) -> Response:
    """Send the answer back to its drafter with a note (before it is published)."""
    _approver(actor)
    note = _text(note, limit=NOTE_MAX, field="note")
    response = _locked_response(response)
    _expect(response, ResponseStatus.IN_REVIEW, ResponseStatus.APPROVED)
    before = {"status": response.status}
    response.status = ResponseStatus.DRAFT
    response.review_note = note
    response.approved_by = None
    response.approved_at = None
    response.save(update_fields=["status", "review_note", "approved_by", "approved_at", "updated_at"])
    _audit(actor, response, before, {"status": response.status})
    return response


# --- publishing ----------------------------------------------------------------------------------


@transaction.atomic
def response_publish(*, actor: User, response: Response) -> Response:
    """Publish an approved answer: public page, own spread tracked, channels and tipsters queued."""
    _approver(actor)
    response = _locked_response(response)
    _expect(response, ResponseStatus.APPROVED)
    response.status = ResponseStatus.PUBLISHED
    response.published_at = timezone.now()
    response.save(update_fields=["status", "published_at", "updated_at"])
    response.answer_story_id = _track(response)
    response.save(update_fields=["answer_story"])
    # The outbox sends it when a campaigns app is installed; alone, the monitor sends it itself.
    handed = services_publish.hand_to_outbox(response=response) is not None
    if not handed:
        services_publish.publications_create(response=response)
    _audit(
        actor,
        response,
        {"status": ResponseStatus.APPROVED},
        {"status": response.status, "published_at": _iso(response.published_at)},
    )
    if not handed:
        task_refs.publish_to_channels.enqueue(response_id=response.pk)
    task_refs.notify_tipsters.enqueue(response_id=response.pk)
    return response


def _track(response: Response) -> int | None:
    """Ingest the answer as a post of our own web source; returns the story that tracks it."""
    assert response.published_at is not None
    post_id = f"response-{response.pk}"
    summary = services_ingest.ingest(
        [
            RawPost(
                source=ANSWER_SOURCE,
                post_id=post_id,
                text=f"{response.title}\n\n{response.body}",
                published_at=response.published_at,
                url=services_publish.public_url(response),
                source_name=ANSWER_SOURCE_NAME,
            )
        ]
    )
    kind, handle = ANSWER_SOURCE.split(":", 1)
    # Owned (so it is never mistaken for a hostile channel) but not polled: we push to it.
    Source.objects.filter(kind=kind, handle=handle).update(is_owned=True)
    story_id = summary.story_ids.get((ANSWER_SOURCE, post_id))
    if story_id is None:
        log.warning("monitor: the answer %s was not ingested (%s)", response.pk, summary.errors)
        return None
    if story_id == response.story_id:
        # The answer repeats the rumor so closely that the near-duplicate index put it in the
        # rumor's own story; counting it as "our answer" would hide the rumor. Left untracked.
        log.warning("monitor: the answer %s joined the rumor's own story; not tracked apart", response.pk)
        return None
    Story.objects.filter(pk=story_id).update(kind=StoryKind.ANSWER)
    return story_id
