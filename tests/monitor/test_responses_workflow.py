"""Answering a rumor end to end with the personas: an HQ analyst flags, assigns and drafts, a senior
manager approves and publishes; the answer becomes a tracked story of its own and is sent to the
organization's channels through a bot API served on this machine."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from tabyin.core import services as core_services
from tabyin.core.enums import Role
from tabyin.core.models import AuditEntry, User
from tabyin.monitor.enums import DeliveryStatus, ResponseStatus, StoryKind
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import Publication, Response, Source, Story
from tabyin.monitor.pipeline.types import RawPost
from tabyin.monitor.responses import selectors as selectors_responses
from tabyin.monitor.responses import services as services_responses
from tabyin.monitor.responses import services_publish
from tests import factories
from tests.monitor.answering import (
    ANSWER_BODY,
    ANSWER_TITLE,
    PUBLISHED,
    BotApi,
    approved,
    publish,
)

pytestmark = pytest.mark.usefixtures("answering")


@pytest.mark.usefixtures("monitor_alone")
def test_the_whole_workflow(
    *,
    rumor: Story,
    hq_analyst: User,
    manager: User,
    channels: list[Source],
    bot_api: BotApi,
    django_capture_on_commit_callbacks: Any,
) -> None:
    flagged = services_responses.story_flag_rumor(actor=hq_analyst, story=rumor)
    assert (flagged.is_rumor, flagged.rumor_flagged_by) == (True, hq_analyst)
    assigned = services_responses.story_assign(actor=hq_analyst, story=rumor, assignee=hq_analyst)
    assert assigned.assignee == hq_analyst

    draft = services_responses.response_save_draft(
        actor=hq_analyst, story=rumor, title=ANSWER_TITLE, body=ANSWER_BODY
    )
    assert (draft.status, draft.drafted_by, draft.title) == (ResponseStatus.DRAFT, hq_analyst, ANSWER_TITLE)
    submitted = services_responses.response_submit(actor=hq_analyst, response=draft)
    assert submitted.status == ResponseStatus.IN_REVIEW
    # The analyst is no senior manager: approving is not theirs to do.
    with pytest.raises(PermissionDenied):
        services_responses.response_approve(actor=hq_analyst, response=draft)
    ok = services_responses.response_approve(actor=manager, response=draft)
    assert (ok.status, ok.approved_by) == (ResponseStatus.APPROVED, manager)

    done = publish(draft, manager, django_capture_on_commit_callbacks)

    done.refresh_from_db()
    assert (done.status, done.published_at) == (ResponseStatus.PUBLISHED, PUBLISHED)
    answer = Story.objects.get(pk=done.answer_story_id)
    assert answer.kind == StoryKind.ANSWER
    assert answer.pk != rumor.pk
    post = answer.posts.get()
    assert (post.source.key, post.post_id, post.url) == (
        "web:clarifications",
        f"response-{done.pk}",
        f"https://tamin.example/clarifications/{done.pk}/",
    )
    assert post.text == f"{ANSWER_TITLE}\n\n{ANSWER_BODY}"
    assert post.source.is_owned is True
    # One message per owned, active messenger channel, in order; never to others' channels.
    assert [m["chat_id"] for m in bot_api.sent] == ["@tamin_eitaa", "@tamin_official"]
    assert bot_api.sent[0]["text"] == (
        f"{ANSWER_TITLE}\n\n{ANSWER_BODY}\n\nhttps://tamin.example/clarifications/{done.pk}/"
    )
    rows = Publication.objects.filter(response=done).order_by("source__kind", "source__handle")
    assert [(p.source.handle, p.status, p.external_id, p.last_error) for p in rows] == [
        ("tamin_eitaa", DeliveryStatus.SENT, "501", ""),
        ("tamin_official", DeliveryStatus.SENT, "502", ""),
    ]
    assert all(p.sent_at == PUBLISHED for p in rows)

    audit = AuditEntry.objects.filter(object_type__in=["monitor.story", "monitor.response"]).order_by("id")
    assert [(e.actor_username, e.object_type, e.after) for e in audit] == [
        ("hq.analyst", "monitor.story", {"is_rumor": True}),
        ("hq.analyst", "monitor.story", {"assignee": "hq.analyst"}),
        ("hq.manager", "monitor.response", {"status": "approved", "approved_at": ok.approved_at.isoformat()}),
        ("hq.manager", "monitor.response", {"status": "published", "published_at": PUBLISHED.isoformat()}),
    ]


def test_the_drafter_may_not_approve_even_as_a_senior_manager(
    rumor: Story, hq_analyst: User, manager: User
) -> None:
    both = factories.persona("hq.both", "hq", Role.ANALYST)
    core_services.membership_grant(actor=None, user=both, unit=factories.unit("hq"), role=Role.SENIOR_MANAGER)
    services_responses.story_flag_rumor(actor=both, story=rumor)
    draft = services_responses.response_save_draft(
        actor=both, story=rumor, title=ANSWER_TITLE, body=ANSWER_BODY
    )
    services_responses.response_submit(actor=both, response=draft)

    with pytest.raises(PermissionDenied, match="drafted"):
        services_responses.response_approve(actor=both, response=draft)
    draft.refresh_from_db()
    assert draft.status == ResponseStatus.IN_REVIEW
    assert (
        services_responses.response_approve(actor=manager, response=draft).status == ResponseStatus.APPROVED
    )


def test_a_provincial_officer_cannot_flag_and_a_manager_cannot_draft(
    rumor: Story, tehran_officer: User, manager: User
) -> None:
    with pytest.raises(PermissionDenied):
        services_responses.story_flag_rumor(actor=tehran_officer, story=rumor)
    with pytest.raises(PermissionDenied):
        services_responses.response_save_draft(actor=manager, story=rumor, title="x", body="y")
    rumor.refresh_from_db()
    assert (
        rumor.is_rumor,
        Response.objects.count(),
        AuditEntry.objects.filter(object_type="monitor.story").count(),
    ) == (
        False,
        0,
        0,
    )


def test_return_with_a_note_then_edit_and_resubmit(rumor: Story, hq_analyst: User, manager: User) -> None:
    draft = approved(rumor, hq_analyst, manager)
    returned = services_responses.response_return(actor=manager, response=draft, note="رقم دقیق را بیاورید")
    assert (returned.status, returned.review_note, returned.approved_by, returned.approved_at) == (
        ResponseStatus.DRAFT,
        "رقم دقیق را بیاورید",
        None,
        None,
    )
    edited = services_responses.response_save_draft(
        actor=hq_analyst, story=rumor, title=ANSWER_TITLE, body=ANSWER_BODY + " رقم: ۴٬۲۰۰ میلیارد تومان."
    )
    assert edited.pk == draft.pk
    assert (
        services_responses.response_submit(actor=hq_analyst, response=edited).status
        == ResponseStatus.IN_REVIEW
    )
    # In review, the text is frozen.
    with pytest.raises(ValidationError):
        services_responses.response_save_draft(actor=hq_analyst, story=rumor, title="دیگر", body="دیگر")


def test_rules_of_the_workflow(rumor: Story, hq_analyst: User, manager: User) -> None:
    # No draft of an unflagged story; no empty text; no publishing before approval; no return without a note.
    with pytest.raises(ValidationError) as unflagged:
        services_responses.response_save_draft(actor=hq_analyst, story=rumor, title="a", body="b")
    assert unflagged.value.messages == ["Flag the story as a rumor first."]
    services_responses.story_flag_rumor(actor=hq_analyst, story=rumor)
    with pytest.raises(ValidationError) as empty:
        services_responses.response_save_draft(actor=hq_analyst, story=rumor, title="  ", body="b")
    assert empty.value.message_dict == {"title": ["This field is required."]}
    draft = services_responses.response_save_draft(actor=hq_analyst, story=rumor, title="a", body="b")
    with pytest.raises(ValidationError):
        services_responses.response_publish(actor=manager, response=draft)
    services_responses.response_submit(actor=hq_analyst, response=draft)
    with pytest.raises(ValidationError):
        services_responses.response_return(actor=manager, response=draft, note=" ")


def test_a_published_rumor_stays_flagged_and_an_answer_is_not_a_rumor(
    rumor: Story,
    hq_analyst: User,
    manager: User,
    bot_api: BotApi,
    django_capture_on_commit_callbacks: Any,
) -> None:
    done = publish(approved(rumor, hq_analyst, manager), manager, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        services_responses.story_flag_rumor(actor=hq_analyst, story=rumor, flagged=False)
    with pytest.raises(ValidationError):
        services_responses.story_flag_rumor(
            actor=hq_analyst, story=Story.objects.get(pk=done.answer_story_id)
        )
    # No owned channel: nothing to send, nothing recorded.
    assert (Publication.objects.count(), bot_api.sent) == (0, [])


@pytest.mark.usefixtures("monitor_alone")
def test_a_failing_channel_does_not_undo_publishing_and_can_be_retried(
    *,
    rumor: Story,
    hq_analyst: User,
    manager: User,
    channels: list[Source],
    bot_api: BotApi,
    django_capture_on_commit_callbacks: Any,
) -> None:
    bot_api.refuse = {"@tamin_official"}
    done = publish(approved(rumor, hq_analyst, manager), manager, django_capture_on_commit_callbacks)

    done.refresh_from_db()
    assert done.status == ResponseStatus.PUBLISHED
    rows = Publication.objects.filter(response=done).order_by("source__kind", "source__handle")
    assert [(p.source.handle, p.status, p.last_error) for p in rows] == [
        ("tamin_eitaa", DeliveryStatus.SENT, ""),
        ("tamin_official", DeliveryStatus.FAILED, "bot API refused (HTTP 400): Bad Request: chat not found"),
    ]

    bot_api.refuse = set()
    with django_capture_on_commit_callbacks(execute=True):
        assert services_publish.publications_retry(actor=manager, response=done) == 1
    assert [m["chat_id"] for m in bot_api.sent] == ["@tamin_eitaa", "@tamin_official"]
    assert set(Publication.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    with pytest.raises(PermissionDenied):
        services_publish.publications_retry(actor=hq_analyst, response=done)


@pytest.mark.usefixtures("monitor_alone")
def test_without_a_bot_token_the_publication_fails_with_a_reason(
    rumor: Story,
    hq_analyst: User,
    manager: User,
    channels: list[Source],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with override_settings(TABYIN_MONITOR_BOT_TOKEN=""):
        done = publish(approved(rumor, hq_analyst, manager), manager, django_capture_on_commit_callbacks)
    assert (
        list(Publication.objects.filter(response=done).values_list("status", "last_error"))
        == [(DeliveryStatus.FAILED, "no bot token configured (TABYIN_MONITOR_BOT_TOKEN)")] * 2
    )


def test_a_long_answer_is_shortened_to_one_message_keeping_the_link(rumor: Story) -> None:
    response = Response(pk=9, story=rumor, title="عنوان", body="ب" * 5000)
    with override_settings(TABYIN_SITE_URL="https://tamin.example"):
        text = services_publish.message_text(response)
    assert len(text) == 4096
    assert text.endswith("…\n\nhttps://tamin.example/clarifications/9/")


def test_rumor_and_answer_spread_side_by_side(
    rumor: Story,
    hq_analyst: User,
    manager: User,
    bot_api: BotApi,
    django_capture_on_commit_callbacks: Any,
) -> None:
    done = publish(approved(rumor, hq_analyst, manager), manager, django_capture_on_commit_callbacks)
    answer_text = f"{ANSWER_TITLE}\n\n{ANSWER_BODY}"
    with time_machine.travel(PUBLISHED + timedelta(hours=4), tick=False):
        services_ingest.ingest(
            [
                RawPost(
                    "telegram:akhbar_rooz", "95", answer_text, PUBLISHED + timedelta(minutes=20), views=900
                ),
                RawPost("rss:irna", "a-1", answer_text, PUBLISHED + timedelta(hours=2), views=None),
            ]
        )
        comparison = selectors_responses.spread_comparison(rumor)

    assert comparison.time_to_answer is not None
    assert comparison.time_to_answer.from_first_post == timedelta(hours=5, minutes=30)
    assert (comparison.rumor.channels, comparison.rumor.posts, comparison.rumor.views) == (3, 3, 6500)
    assert comparison.answer is not None
    assert comparison.answer.story.pk == done.answer_story_id
    assert (comparison.answer.channels, comparison.answer.posts, comparison.answer.views) == (3, 3, 900)
    # Hours after each one's first post (the answer is 4 hours old: later checkpoints not reached).
    assert comparison.rows == [
        (1, 2, 2),
        (3, 3, 3),
        (6, 3, None),
        (12, None, None),
        (24, None, None),
        (48, None, None),
        (72, None, None),
    ]
