"""The repost-grouping examples of issue 13: commentary lines, signatures anywhere, read-more cuts,
attribution heads, verdict words, containment both ways, and the seam the stance step uses."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from tabyin.monitor.pipeline import batch
from tabyin.monitor.pipeline.canonical import canonical
from tabyin.monitor.pipeline.fingerprint import TAGS, K, signatures, story_key
from tabyin.monitor.pipeline.index import NearDupIndex, compare
from tabyin.monitor.pipeline.types import RawPost

WINDOW = timedelta(days=7)
T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
ITEM = (
    "افزایش حقوق بازنشستگان تامین اجتماعی از اول فروردین اجرا می‌شود و مابه‌التفاوت آن"
    " همراه با حقوق اردیبهشت به حساب مستمری‌بگیران واریز خواهد شد"
)
WORDS = (
    "افزایش حقوق بازنشستگان تامین اجتماعی از اول فروردین اجرا می شود و مابه التفاوت ان"
    " همراه با حقوق اردیبهشت به حساب مستمری بگیران واریز خواهد شد"
)


def stories(*texts: str) -> list[int]:
    """The story key each text gets, assigned in order to one fresh index."""
    index = NearDupIndex(WINDOW)
    sigs = signatures([canonical(text) for text in texts])
    return [index.assign(row, T0 + timedelta(minutes=i))[0] for i, row in enumerate(sigs)]


@pytest.mark.parametrize(
    "repost",
    [
        pytest.param("خبری که رسانه‌های رسمی منتشر نکردند 👇\n" + ITEM, id="lead-in-above"),
        pytest.param("خبری که رسانه‌های رسمی منتشر نکردند 👇 " + ITEM, id="lead-in-same-line"),
        pytest.param("⭕️ اختصاصی\n" + ITEM, id="exclusive-line"),
        pytest.param("فوری\n" + ITEM + "\nاین را برای همه بفرستید", id="urgent-and-forward-this"),
        pytest.param(ITEM + "\n👆👆 بازنشر کنید", id="share-call-below"),
        pytest.param("🆔 @akhbar_fori\n" + ITEM, id="signature-first-line"),
        pytest.param(
            "کانال ما 👇 t.me/akhbar_fori\n" + ITEM + "\n🆔 @khabar", id="signatures-top-and-bottom"
        ),
        pytest.param("ایسنا: " + ITEM, id="outlet-isna"),
        pytest.param("خبرگزاری مهر: " + ITEM, id="outlet-mehr-agency"),
        pytest.param("فارس: " + ITEM, id="outlet-fars"),
        pytest.param("به گزارش ایرنا، " + ITEM, id="according-to-irna"),
    ],
)
def test_the_channel_frame_is_removed_wherever_it_stands(repost: str) -> None:
    assert canonical(repost) == WORDS
    first, second = stories(ITEM, repost)
    assert first == second


def test_two_short_items_under_the_same_commentary_line_stay_apart() -> None:
    lead = "خبری که رسانه‌های رسمی منتشر نکردند 👇\n"
    one, two = lead + "تعطیلی مدارس تهران فردا", lead + "قطعی برق در شیراز امشب"
    assert (canonical(one), canonical(two)) == ("تعطیلی مدارس تهران فردا", "قطعی برق در شیراز امشب")
    assert len(set(stories(one, two))) == 2


@pytest.mark.parametrize(
    ("marker", "kept"),
    [
        pytest.param("\nادامه خبر در لینک زیر 👇\nhttps://t.me/akhbar/12", 8, id="continue-in-link-below"),
        pytest.param(" متن کامل در لینک زیر", 6, id="full-text-in-link"),
        pytest.param("…\nادامه مطلب", 10, id="ellipsis-read-more"),
    ],
)
def test_a_copy_cut_to_a_fraction_with_a_read_more_line_joins(marker: str, kept: int) -> None:
    cut = " ".join(ITEM.split()[:kept]) + marker
    assert canonical(cut) == " ".join(WORDS.split()[: kept + ITEM.split()[:kept].count("می‌شود")]) + " …"
    first, second = stories(ITEM, cut)
    assert first == second


def test_a_phrase_of_the_read_more_kind_inside_a_sentence_is_content() -> None:
    assert canonical("متن کامل قانون بودجه امروز منتشر شد") == "متن کامل قانون بودجه امروز منتشر شد"


def test_who_said_it_is_part_of_the_story() -> None:
    government = "سخنگوی دولت: " + ITEM
    parliament = "نماینده مجلس: " + ITEM
    assert canonical(government) == "سخنگوی دولت: " + WORDS
    assert canonical(parliament) == "نماینده مجلس: " + WORDS
    keys = stories(government, parliament, "🔴 فوری\nسخنگوی دولت: " + ITEM + "\n🆔 @akhbar")
    assert keys[0] != keys[1]
    assert keys[2] == keys[0]


def test_an_outlet_before_a_speaker_goes_and_the_speaker_stays() -> None:
    assert canonical("ایسنا: سخنگوی دولت: " + ITEM) == "سخنگوی دولت: " + WORDS


def test_a_verdict_does_not_break_the_match_of_a_cut_copy() -> None:
    confirmed = "وزیر کار افزایش بیست درصدی مستمری بازنشستگان تامین اجتماعی از فروردین را تائید کرد"
    cut = "وزیر کار افزایش بیست درصدی مستمری بازنشستگان… ادامه خبر در لینک زیر"
    sigs = signatures([canonical(confirmed), canonical(cut)])
    jaccard, contained, _, _ = compare(sigs[:1, : TAGS + K], sigs[1:, : TAGS + K])
    assert float(contained[0]) == 1.0  # every element of the cut copy is in the full post
    assert jaccard[0] > 0
    first, second = stories(confirmed, cut)
    assert first == second


def test_a_short_copy_of_a_long_post_and_a_long_copy_of_a_short_one_join() -> None:
    short = "مستمری بازنشستگان تامین اجتماعی از فردا بیست درصد افزایش می‌یابد"
    longer = (
        "🔴 " + short + ". این افزایش برای همه مستمری‌بگیران اعمال می‌شود و سازمان می‌گوید منابع آن"
        " از محل بودجه سال جاری تامین شده است و نیازی به اصلاحیه نیست"
    )
    assert len(set(stories(short, longer))) == 1  # a long post that contains the short item
    assert len(set(stories(longer, short))) == 1  # a short copy inside the long post


def test_a_story_keeps_more_than_its_first_post() -> None:
    # The first post carries a comment nobody else copies; the bare item then joins by containment
    # and becomes a representative, so a copy with another comment finds the story through it.
    first = "واقعا عجیب است که هیچ مسئولی در این سال‌ها به مردم و بازنشستگان پاسخگو نبوده است\n" + ITEM
    other = ITEM + "\nحالا باید دید مجلس و دولت در جلسه هفته بعد درباره بودجه این کار چه تصمیمی خواهند گرفت"
    keys = stories(first, ITEM, other)
    assert keys[0] == keys[1] == keys[2]


def test_the_stance_step_sees_how_a_post_matched_and_can_move_a_denial_out() -> None:
    claim = "توزیع رایگان سبد کالا برای همه مستمری‌بگیران تامین اجتماعی از هفته آینده آغاز می‌شود"
    denial = claim + " دروغ است"
    items = [
        RawPost("telegram:a", "1", claim, T0),
        RawPost("telegram:b", "2", denial, T0 + timedelta(minutes=1)),
    ]

    class Nothing:
        def match(self, text: str) -> list[int]:
            return []

        def predict_many(self, texts: list[str]) -> list[tuple[str, float]]:
            return [("neutral", 0.5) for _ in texts]

    index = NearDupIndex(WINDOW)
    decision = batch.decide(items, {}, index=index, matcher=Nothing(), classifier=Nothing())
    rumor, answer = decision.posts
    # The verdict words are content: the denial repeats the claim word for word, so the index puts
    # it into the claim's story (Jaccard 58/64); the stance step decides it is an answer.
    assert (rumor.matched, answer.matched) == ("", "resemblance")
    assert answer.story_key == rumor.story_key
    assert answer.similarity == 0.90625
    moved = index.split(answer.story_key, answer.signature, answer.item.published_at)
    assert moved == story_key(answer.signature) != rumor.story_key
    # A later copy of the denial now finds the denial's own story, a copy of the claim the claim's.
    again = signatures([canonical("🔴 " + denial), canonical(claim + "\n🆔 @x")])
    assert [index.assign(row, T0 + timedelta(hours=1))[0] for row in again] == [moved, rumor.story_key]


def test_a_changed_figure_in_a_short_text_is_another_item_but_not_in_a_long_one() -> None:
    short = [
        "قیمت دلار در بازار آزاد امروز به ۵۸ هزار تومان رسید",
        "قیمت دلار در بازار آزاد امروز به ۶۲ هزار تومان رسید",
    ]
    assert len(set(stories(*short))) == 2
    long_ = [ITEM + " شماره ۱", ITEM + " شماره ۲"]
    assert len(set(stories(*long_))) == 1


def test_an_unrelated_item_is_far_below_both_thresholds() -> None:
    sigs = signatures([canonical(ITEM), canonical("بیمارستان جدید شهرستان در حضور استاندار افتتاح شد")])
    jaccard, contained, _, _ = compare(sigs[:1, : TAGS + K], sigs[1:, : TAGS + K])
    assert (float(jaccard[0]), float(contained[0])) == (1 / 87, 1 / 24)
    assert np.array_equal(sigs[0], signatures([canonical(ITEM)])[0])
