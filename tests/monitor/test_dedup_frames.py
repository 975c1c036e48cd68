"""Frame lines learnt from the traffic (canonical.FrameLines): a commentary line that no rule lists
is dropped once it has stood above posts of several different stories; an item's own lines are not."""

from datetime import UTC, datetime, timedelta

from tabyin.monitor.pipeline import batch
from tabyin.monitor.pipeline.canonical import FRAME_STORIES, FrameLines, canonical
from tabyin.monitor.pipeline.fingerprint import signatures
from tabyin.monitor.pipeline.index import NearDupIndex
from tabyin.monitor.pipeline.types import RawPost

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
COMMENT = "این هم از وضعیت ما"
ITEMS = (
    "تعطیلی مدارس تهران فردا به دلیل آلودگی هوا اعلام شد",
    "قطعی برق در شیراز امشب از ساعت بیست تا بیست و دو",
    "افزایش قیمت نان در مشهد از هفته آینده اجرا می‌شود",
    "بارش برف راه‌های شمالی کشور را مسدود کرد",
)


def test_a_comment_line_over_three_stories_becomes_a_frame_line() -> None:
    frames = FrameLines()
    seen = [frames.canonical(f"{COMMENT}\n{item}") for item in ITEMS[:FRAME_STORIES]]
    assert seen[0] == canonical(f"{COMMENT}\n{ITEMS[0]}") == "این هم از وضعیت ما " + canonical(ITEMS[0])
    frames.learn([1, 2, 3])
    assert frames.canonical(f"{COMMENT}\n{ITEMS[3]}") == canonical(ITEMS[3])
    assert frames.canonical(f"{ITEMS[3]}\n{COMMENT}") == canonical(ITEMS[3])
    # Only while another line is left: the line alone is a post of its own.
    assert frames.canonical(COMMENT) == "این هم از وضعیت ما"
    frames.learn([4, 4, 4])


def test_an_items_own_line_repeated_in_its_reposts_is_not_learnt() -> None:
    frames = FrameLines()
    title = "خبر فوری از وزارت آموزش و پرورش"
    texts = [f"{title}\n{ITEMS[0]}\n{tail}" for tail in ("🆔 @a", "نظر شما؟", "پیگیری می‌کنیم")]
    for text in texts:
        frames.canonical(text)
    frames.learn([9, 9, 9])  # the three copies are one story
    assert frames.canonical(f"{title}\n{ITEMS[1]}") == canonical(f"{title}\n{ITEMS[1]}")
    frames.learn([10])
    # Seen in two stories only: still content.
    assert frames.known == set()


def test_ingestion_learns_frame_lines_and_a_commented_cut_copy_joins_its_original() -> None:
    class Nothing:
        def match(self, text: str) -> list[int]:
            return []

        def predict_many(self, texts: list[str]) -> list[tuple[str, float]]:
            return [("neutral", 0.5) for _ in texts]

    index = NearDupIndex(timedelta(days=7))
    first = [
        RawPost(f"telegram:c{i}", str(i), f"{COMMENT}\n{item}", T0 + timedelta(minutes=i))
        for i, item in enumerate(ITEMS[:FRAME_STORIES])
    ]
    decided = batch.decide(first, {}, index=index, matcher=Nothing(), classifier=Nothing())
    assert len({post.story_key for post in decided.posts}) == FRAME_STORIES
    original = (
        "وزیر آموزش و پرورش اعلام کرد امتحانات نهایی پایه دوازدهم از بیستم خرداد در همه استان‌ها"
        " برگزار می‌شود و کارت ورود به جلسه از هفته آینده در سامانه قرار می‌گیرد"
    )
    # A copy cut to under half without a marker, under the comment: without the comment it is
    # contained in the original (1.0), with it neither resembles (0.44) nor is contained (0.78).
    copy = COMMENT + "\n" + " ".join(original.split()[:14])
    later = [
        RawPost("telegram:s", "10", original, T0 + timedelta(hours=1)),
        RawPost("telegram:t", "11", copy, T0 + timedelta(hours=2)),
    ]
    one, two = batch.decide(later, {}, index=index, matcher=Nothing(), classifier=Nothing()).posts
    assert (two.story_key, two.matched, two.similarity) == (one.story_key, "containment", 1.0)
    # Without what the index learnt, the comment keeps the copy apart.
    fresh = NearDupIndex(timedelta(days=7))
    one, two = batch.decide(later, {}, index=fresh, matcher=Nothing(), classifier=Nothing()).posts
    assert two.story_key != one.story_key


def test_a_learnt_comment_on_the_items_own_line_goes_and_a_broken_off_speaker_head_is_not_learnt() -> None:
    frames = FrameLines()
    for item in ITEMS[:FRAME_STORIES]:
        frames.canonical(f"{COMMENT}\n{item}")
        frames.canonical(f"سخنگوی دولت:\n{item}")
    frames.learn([1, 1, 2, 2, 3, 3])
    # On the item's own line of a post of several lines (one line alone is the item).
    assert frames.canonical(f"{COMMENT} {ITEMS[3]}\n📣 akhbar_fori") == canonical(ITEMS[3])
    assert frames.canonical(f"{ITEMS[3]} {COMMENT}\nنظر شما؟") == canonical(ITEMS[3])
    assert frames.canonical(f"{COMMENT} {ITEMS[3]}") == canonical(f"{COMMENT} {ITEMS[3]}")
    # "سخنگوی دولت:" stood alone over three stories but ends with a colon: it says who said it.
    assert frames.canonical(f"سخنگوی دولت:\n{ITEMS[3]}") == "سخنگوی دولت: " + canonical(ITEMS[3])
    # Stories that do not pair up with the posts (a batch that failed half-way) teach nothing.
    frames.learn([4, 5, 6])
    assert frames.pending == []


def test_an_unattributed_copy_stays_with_its_own_kind_not_with_a_speakers_story() -> None:
    words = "مخالفت رهبر انقلاب با ادعای تملک کارون توسط مردم خوزستان"
    index = NearDupIndex(timedelta(days=7))
    texts = [f"یک کارشناس اقتصادی: {words}", words, f"نماینده مجلس: {words}", "🔴 " + words]
    sigs = signatures([canonical(text) for text in texts])
    keys = [index.assign(row, T0 + timedelta(minutes=i))[0] for i, row in enumerate(sigs)]
    # The unattributed words join the first speaker's story (they may be a copy of it) and become
    # one of its representatives; the second speaker is another story; a later unattributed copy
    # then finds the first story's unattributed representative (Jaccard 1), not the second speaker.
    assert keys[1] == keys[0] != keys[2]
    assert keys[3] == keys[0]
