"""Ingestion's stance step: a denial leaves the rumor's story, is linked to it, and counts on the
answer side of the rumor-vs-answer spread (never in the rumor's own figures)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from tabyin.monitor.enums import Stance, StoryKind
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import Post, StanceLink, Story
from tabyin.monitor.pipeline.denials import denial_key
from tabyin.monitor.pipeline.types import RawPost
from tabyin.monitor.responses import selectors as selectors_responses
from tests.monitor.answering import RUMOR, T0, ingest_rumor

pytestmark = pytest.mark.usefixtures("answering")
CLAIM = "خبر تاخیر در پرداخت حقوق کارکنان سازمان تامین اجتماعی در ماه جاری"


def _ingest(*items: RawPost) -> dict[tuple[str, str], int]:
    return services_ingest.ingest(list(items)).story_ids


def _at(minutes: int) -> RawPost:
    return RawPost("telegram:x", "0", "", T0 + timedelta(minutes=minutes))


def test_the_issues_denial_does_not_land_in_the_rumors_own_story(db: None) -> None:
    ids = _ingest(
        RawPost("telegram:a", "1", CLAIM, T0, views=100),
        RawPost("telegram:b", "2", f"🔴 {CLAIM}", T0 + timedelta(minutes=3), views=50),
        RawPost("telegram:c", "3", f"{CLAIM} دروغ است", T0 + timedelta(minutes=9), views=70),
    )
    rumor = Story.objects.get(pk=ids[("telegram:a", "1")])
    assert ids[("telegram:b", "2")] == rumor.pk
    denial_story = Story.objects.get(pk=ids[("telegram:c", "3")])
    assert denial_story.pk != rumor.pk
    assert (denial_story.key, denial_story.kind, denial_story.post_count) == (
        denial_key(rumor.key),
        StoryKind.DENIAL,
        1,
    )
    assert (rumor.post_count, rumor.channel_count, rumor.total_views) == (2, 2, 150)
    link = StanceLink.objects.get()
    assert (link.post.post_id, link.rumor_id, link.stance, link.moved) == (
        "3",
        rumor.pk,
        Stance.DISAGREE,
        True,
    )


def test_later_denials_of_a_stored_rumor_gather_in_its_one_denial_story(db: None) -> None:
    ids = _ingest(RawPost("telegram:a", "1", CLAIM, T0))
    rumor = Story.objects.get(pk=ids[("telegram:a", "1")])
    first = _ingest(RawPost("telegram:c", "3", f"{CLAIM} دروغ است", T0 + timedelta(hours=1)))
    services_ingest.reset_index()  # another process: the denial story is never in the index
    # «دروغ است» does not break the index's match (other verdict words still do, see issue 13 point 1).
    second = _ingest(
        RawPost("telegram:d", "4", f"⚠️ فوری: {CLAIM} دروغ است", T0 + timedelta(hours=2)),
        RawPost("telegram:e", "5", f"🔴 {CLAIM}", T0 + timedelta(hours=3)),
    )
    assert first[("telegram:c", "3")] == second[("telegram:d", "4")] != rumor.pk
    assert second[("telegram:e", "5")] == rumor.pk
    rumor.refresh_from_db()
    assert (rumor.post_count, rumor.channel_count) == (2, 2)
    assert Story.objects.get(pk=second[("telegram:d", "4")]).post_count == 2
    assert sorted(StanceLink.objects.values_list("post__post_id", "rumor_id")) == [
        ("3", rumor.pk),
        ("4", rumor.pk),
    ]


def test_a_denial_that_started_its_own_story_is_linked_to_the_flagged_rumor_near_it(db: None) -> None:
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        rumor = ingest_rumor()
    Story.objects.filter(pk=rumor.pk).update(is_rumor=True)
    text = "روابط عمومی تامین اجتماعی: خبر توقف پرداخت مستمری بازنشستگان به مدت سه ماه کذب محض است"
    ids = _ingest(RawPost("telegram:irna", "9", text, T0 + timedelta(hours=4)))
    own = ids[("telegram:irna", "9")]
    assert own != rumor.pk
    link = StanceLink.objects.get()
    assert (link.post.story_id, link.rumor_id, link.moved) == (own, rumor.pk, False)


def test_denials_count_on_the_answer_side_of_the_spread_never_on_the_rumors(db: None) -> None:
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        rumor = ingest_rumor()
    denial = f"{RUMOR} دروغ است"
    _ingest(
        RawPost("telegram:irna", "9", denial, T0 + timedelta(hours=1), views=40),
        RawPost("rss:isna", "s1", denial, T0 + timedelta(hours=2), views=60),
    )
    with time_machine.travel(T0 + timedelta(hours=26), tick=False):
        comparison = selectors_responses.spread_comparison(rumor)
    assert (comparison.rumor.channels, comparison.rumor.posts, comparison.rumor.views) == (3, 3, 6500)
    answer = comparison.answer
    assert answer is not None
    assert (answer.story, answer.channels, answer.posts, answer.views, answer.denials) == (None, 2, 2, 100, 2)
    assert answer.first_at == T0 + timedelta(hours=1)
    assert [row[2] for row in comparison.rows] == [2, 2, 2, 2, 2, None, None]
    assert comparison.time_to_answer is None  # no answer of ours published: the clock is ours alone
    assert Post.objects.filter(story=rumor).count() == 3
