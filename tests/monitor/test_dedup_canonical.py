"""canonical(): a reposting channel's additions are removed, the item's words are kept."""

import pytest

from tabyin.monitor.pipeline.canonical import canonical

ORIGIN = "رئیس‌جمهور امروز برای بازدید از مناطق سیل‌زده به استان خوزستان سفر می‌کند"
WORDS = "رییس جمهور امروز برای بازدید از مناطق سیل زده به استان خوزستان سفر می کند"


def test_origin_keeps_its_words_in_one_spelling() -> None:
    assert canonical(ORIGIN) == WORDS


@pytest.mark.parametrize(
    "repost",
    [
        pytest.param(ORIGIN + "\n\n🆔 @akhbar_fori", id="signature-id"),
        pytest.param(ORIGIN + "\nکانال ما 👇\nt.me/akhbar_fori", id="signature-our-channel"),
        pytest.param(ORIGIN + "\n👈 عضو شوید: @khabar_rooz", id="signature-join"),
        pytest.param(ORIGIN + "\n✅ به ما بپیوندید\nhttps://t.me/joinchat/AbCd", id="signature-joinchat"),
        pytest.param(ORIGIN + "\nکانال خبر روز در ایتا:\neitaa.com/khabar_rooz", id="signature-eitaa"),
        pytest.param("🔴🔴 " + ORIGIN + " ❗️❗️", id="emoji"),
        pytest.param(ORIGIN + "\n#خوزستان #سیل #اخبار_ایران", id="hashtags"),
        pytest.param("«فوری» " + ORIGIN, id="prefix-guillemets"),
        pytest.param("#فوری\n" + ORIGIN, id="prefix-hashtag"),
        pytest.param("خبر فوری: " + ORIGIN, id="prefix-breaking"),
        pytest.param("🔴 فوری | " + ORIGIN, id="prefix-emoji-pipe"),
        pytest.param("ایسنا: " + ORIGIN, id="outlet-colon"),
        pytest.param("فارس - " + ORIGIN, id="outlet-dash"),
        pytest.param(ORIGIN + " https://www.isna.ir/news/1402120805612/", id="link"),
        pytest.param(ORIGIN.replace("ی", "ي").replace("ک", "ك"), id="arabic-letters"),
        pytest.param(ORIGIN.replace("\u200c", " "), id="zwnj-to-space"),
        pytest.param(ORIGIN.replace(" از ", "\n\nاز ").replace(" به ", "\nبه "), id="line-breaks"),
    ],
)
def test_each_decoration_is_removed(repost: str) -> None:
    assert canonical(repost) == WORDS


def test_digits_of_either_keyboard_give_ascii() -> None:
    persian = "قیمت دلار در بازار آزاد تهران امروز به ۵۸ هزار تومان رسید"
    assert canonical(persian) == canonical(persian.replace("۵۸", "58"))
    assert "58" in canonical(persian).split()


def test_truncation_marker_and_what_follows_are_removed() -> None:
    text = "رئیس‌جمهور امروز برای بازدید از مناطق سیل‌زده …ادامه در لینک 👇\nhttps://t.me/x/1"
    # " …" marks a cut copy: the fingerprint then matches it by containment in the full item.
    assert canonical(text) == "رییس جمهور امروز برای بازدید از مناطق سیل زده …"


def test_inline_hashtag_keeps_its_word_but_a_trailing_run_goes() -> None:
    assert (
        canonical("شیوع #کرونا در استان گیلان شدت گرفت #اخبار #گیلان") == "شیوع کرونا در استان گیلان شدت گرفت"
    )


def test_a_content_line_is_not_taken_for_a_signature() -> None:
    # A line break may leave "به ما" alone on a line: no channel word, so it is content.
    assert canonical("اون\nبه ما\nدرستی") == "اون به ما درستی"


def test_a_post_of_only_a_link_and_tags_keeps_them_and_emoji_only_is_empty() -> None:
    assert canonical("@nedadeli #خامنه_ای_عزیز https://t.co/zYH4f1SANy") == "خامنه ای عزیز"
    assert canonical("😂😂😂") == ""
    assert canonical("") == ""
