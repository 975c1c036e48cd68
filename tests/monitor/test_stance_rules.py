"""pipeline.stance and pipeline.denials: a denial is told from a repost (pure, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tabyin.monitor.pipeline.batch import BatchDecision, NewStory, PostDecision, title_of
from tabyin.monitor.pipeline.denials import candidates, denial_key, link_near, separate
from tabyin.monitor.pipeline.stance import Stance, classify, denial_cues, is_denial, relatedness
from tabyin.monitor.pipeline.types import RawPost

T0 = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
CLAIM = "تاخیر در پرداخت حقوق کارکنان سازمان تامین اجتماعی در ماه جاری"


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        (f"خبر {CLAIM} تکذیب شد", "تکذیب"),
        (f"{CLAIM} دروغ است", "دروغ"),
        (f"{CLAIM} شایعه است", "شایعه است"),
        (f"خبر {CLAIM} صحت ندارد", "صحت ندارد"),
        (f"{CLAIM}؛ کذب محض", "کذب"),
        (f"{CLAIM} واقعیت ندارد", "واقعیت ندارد"),
        (f"ادعای {CLAIM} نادرست است", "نادرست"),
        (f"روابط عمومی سازمان: ادعای {CLAIM} بی‌اساس است", "بی اساس"),
        (f"راستی‌آزمایی: {CLAIM} — نادرست", "نادرست"),
    ],
)
def test_each_denial_phrase_of_the_issue_disagrees_with_the_claim(text: str, cue: str) -> None:
    result = classify(CLAIM, text)
    assert result.label is Stance.DISAGREE
    assert cue in result.cues
    assert is_denial(text)


def test_a_repost_with_channel_framing_agrees() -> None:
    result = classify(CLAIM, f"🔴 فوری: {CLAIM}\n🆔 @khabar")
    assert (result.label, result.related) == (Stance.AGREE, 1.0)


def test_a_question_about_the_claim_discusses_it() -> None:
    assert classify(CLAIM, f"آیا {CLAIM} واقعیت دارد؟").label is Stance.DISCUSS


def test_a_text_about_something_else_is_unrelated() -> None:
    result = classify(CLAIM, "جشنواره فیلم فجر با حضور هنرمندان در تهران آغاز شد")
    assert result.label is Stance.UNRELATED
    assert relatedness(CLAIM, "جشنواره فیلم فجر با حضور هنرمندان در تهران آغاز شد") < 0.34


def test_negating_the_claims_verb_is_a_denial_without_any_cue_word() -> None:
    # «جدا می‌شود» → «جدا نمی‌شود», written with a ZWNJ or a space.
    assert classify("تبریزی از استقلال جدا می شود", "تبریزی از استقلال جدا نمی‌شود").label is Stance.DISAGREE
    assert classify(
        "تصویب فیلترینگ تلگرام در شورای عالی", "شورای عالی فیلترینگ تلگرام را تصویب نکرده است"
    ).label is (Stance.DISAGREE)


def test_a_claim_that_itself_reports_a_denial_is_agreed_with_by_the_same_report() -> None:
    claim = "بازیگر سرشناس خبر مرگ خود را تکذیب کرد"
    assert classify(claim, "بازیگر سرشناس خبر مرگش را تکذیب کرد").label is Stance.AGREE


def test_denial_cues_are_found_whatever_the_spelling() -> None:
    assert denial_cues("این خبر كذب محض است") == ["کذب"]  # Arabic kaf
    assert denial_cues("صحت‌ ندارد") == ["صحت ندارد"]
    assert denial_cues("پرداخت حقوق کارکنان") == []


def _post(source: str, post_id: str, text: str, minutes: int, story_key: int, **extra: str) -> PostDecision:
    item = RawPost(source, post_id, text, T0 + timedelta(minutes=minutes), **extra)
    return PostDecision((source, post_id), item, None, text, 1, None, story_key=story_key)


def test_separate_moves_a_denial_out_of_the_story_it_joined_and_links_it() -> None:
    rumor, stored = 11, 22
    posts = [
        _post("telegram:a", "1", CLAIM, 0, rumor),
        _post("telegram:b", "2", f"{CLAIM} دروغ است", 5, rumor),
        _post("telegram:c", "3", f"{CLAIM} شایعه است", 6, rumor, forwarded_from="telegram:x/1"),
        _post("telegram:d", "4", f"خبر {CLAIM} تکذیب شد", 7, stored),
        _post("telegram:e", "5", f"🔴 {CLAIM}", 8, stored),
    ]
    decision = BatchDecision(
        posts=posts,
        story_of={p.key: p.story_key for p in posts},
        new_stories={rumor: NewStory(rumor, b"sig", title_of(CLAIM), T0)},
    )
    joined, alone = candidates(decision)
    # The forward is a repost of its origin, whatever its words; the rumor's first post started it.
    assert [p.key for p in joined] == [("telegram:b", "2"), ("telegram:d", "4")]
    assert alone == []
    links = separate(decision, joined, {stored: CLAIM})
    assert [(link.post, link.rumor_key, link.moved) for link in links] == [
        (("telegram:b", "2"), rumor, True),
        (("telegram:d", "4"), stored, True),
    ]
    assert decision.story_of[("telegram:b", "2")] == denial_key(rumor)
    assert decision.story_of[("telegram:d", "4")] == denial_key(stored)
    assert decision.story_of[("telegram:e", "5")] == stored
    assert decision.new_stories[denial_key(rumor)].signature == b""  # never in the index
    assert denial_key(rumor) != denial_key(stored)
    assert 0 <= denial_key(rumor) < 2**63


def test_link_near_takes_the_most_related_rumor_it_denies() -> None:
    post = _post("telegram:b", "2", f"خبر {CLAIM} تکذیب شد", 5, 99)
    links = link_near([post], [(1, "جشنواره فیلم فجر آغاز شد"), (2, CLAIM)])
    assert [(link.rumor_key, link.moved) for link in links] == [(2, False)]
    assert link_near([post], [(1, "جشنواره فیلم فجر آغاز شد")]) == []
