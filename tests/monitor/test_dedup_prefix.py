"""Copies cut to a few words join the one live story that starts with those words (ADR 0043)."""

from datetime import UTC, datetime, timedelta

import numpy as np

from tabyin.monitor.pipeline.canonical import canonical
from tabyin.monitor.pipeline.fingerprint import ROW, WIDTH, from_bytes, signatures, story_key, to_bytes
from tabyin.monitor.pipeline.index import NearDupIndex

WINDOW = timedelta(days=7)
T0 = datetime(2024, 3, 20, 8, 0, tzinfo=UTC)
REVIEW = "من از طعم این ماکارونی راضی نیستم و پیشنهاد نمیکنم"
OTHER_REVIEW = "من از طعم این پفک خیلی راضی بودم و باز هم میخرم"
SPEAKER = "سخنگوی دولت: رد قرارداد با شرکت خارجی برای ساخت جاده ها در شمال"


def sig(text: str) -> np.ndarray:
    return signatures([canonical(text)])[0]


def assign(index: NearDupIndex, text: str, minutes: int = 0) -> tuple[int, bool, str]:
    got = index.assign(sig(text), T0 + timedelta(minutes=minutes))
    return got[0], got[1], got.how


def test_prefix_columns_are_stored_and_do_not_change_the_story_key() -> None:
    row = sig("هواپیمای رشت به …")
    assert row.shape == (ROW,)
    assert len(to_bytes(row)) == 4 * ROW == 4 * (WIDTH + 11)
    assert np.array_equal(from_bytes(to_bytes(row)), row)
    assert story_key(row) == story_key(from_bytes(to_bytes(row))) == story_key(row[:WIDTH])
    # A row stored before the prefixes were (WIDTH values) loads, without them, under the same key.
    old = np.ascontiguousarray(row[:WIDTH], dtype="<u4").tobytes()
    assert np.array_equal(from_bytes(old), row[:WIDTH])
    assert story_key(from_bytes(old)) == story_key(row)
    # Two to five words: the prefixes of 2 words, then the whole text (cut: the last column).
    assert [int(value != 0) for value in row[WIDTH:]] == [1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1]
    # The same words without the cut marker hash the same; the colon of a head is not a word.
    assert np.array_equal(sig("هواپیمای رشت به")[WIDTH:-1], row[WIDTH:-1])
    assert np.array_equal(
        sig("مهدی کروبی عزراییل سرنوشت")[WIDTH:-1], sig("مهدی کروبی: عزراییل سرنوشت")[WIDTH:-1]
    )


def test_a_copy_cut_to_a_few_words_joins_the_story_it_starts() -> None:
    index = NearDupIndex(WINDOW)
    key, created, _ = assign(index, REVIEW)
    assert created
    # Too few grams for resemblance or containment: on the code before, a story of its own.
    assert assign(index, "من از طعم\nادامه مطلب در لینک زیر 👇", 1) == (key, False, "prefix")
    assert assign(index, "من از طعم", 2) == (key, False, "prefix")
    assert assign(index, "من …", 3)[1:] == (True, "")  # one word: never
    assert len(index) == 2


def test_a_story_reloaded_after_a_restart_keeps_its_prefix_entries() -> None:
    """``ingest.services`` rebuilds the index from ``Story.signature`` (``index.add``): on the code
    before, the stored row had no prefix hashes and a cut copy started a story of its own."""
    first = NearDupIndex(WINDOW)
    key, created, _ = assign(first, REVIEW)
    assert created
    stored = to_bytes(sig(REVIEW))
    restarted = NearDupIndex(WINDOW)
    restarted.add(key, from_bytes(stored), T0)
    assert assign(restarted, "من از طعم …", 1) == (key, False, "prefix")
    cut = NearDupIndex(WINDOW)
    cut_key, _, _ = assign(cut, "من از طعم …")
    again = NearDupIndex(WINDOW)
    again.add(cut_key, from_bytes(to_bytes(sig("من از طعم …"))), T0)
    assert assign(again, REVIEW, 1) == (cut_key, False, "prefix")


def test_a_longer_version_joins_the_cut_copy_that_came_first() -> None:
    index = NearDupIndex(WINDOW)
    cut, created, _ = assign(index, "من از طعم …")
    assert created
    assert assign(index, REVIEW, 1) == (cut, False, "prefix")


def test_a_short_post_that_was_not_cut_gathers_no_longer_posts() -> None:
    # «پیگیری می‌کنیم» alone may be a comment glued to nothing: posts starting with it are not its.
    index = NearDupIndex(WINDOW)
    alone, _, _ = assign(index, "پیگیری می‌کنیم")
    key, created, how = assign(index, "پیگیری می‌کنیم افزایش حقوق بازنشستگان از ماه آینده اجرا می‌شود", 1)
    assert (created, how) == (True, "")
    assert key != alone


def test_words_that_start_two_stories_join_neither() -> None:
    index = NearDupIndex(WINDOW)
    first, _, _ = assign(index, REVIEW)
    second, _, _ = assign(index, OTHER_REVIEW, 1)
    assert first != second
    # «من از طعم» starts both reviews: which one the cut copy repeats is unknown.
    assert assign(index, "من از طعم …", 2)[1:] == (True, "")
    assert assign(index, "من از طعم این …", 3)[1:] == (True, "")
    # A longer version of that cut copy: its first words are a cut story's and two reviews'.
    assert assign(index, "من از طعم این شیر راضی بودم", 4)[1:] == (True, "")


def test_a_speaker_head_needs_two_more_words() -> None:
    index = NearDupIndex(WINDOW)
    key, _, _ = assign(index, SPEAKER)
    # One speaker says many things: «سخنگوی دولت: رد …» may start any of them.
    assert assign(index, "سخنگوی دولت: رد …", 1)[1:] == (True, "")
    assert assign(index, "سخنگوی دولت …", 2)[1:] == (True, "")
    assert assign(index, "سخنگوی دولت: رد قرارداد", 3) == (key, False, "containment")
    # Another speaker's words are another item.
    assert assign(index, "نماینده مجلس: رد قرارداد …", 4)[1:] == (True, "")


def test_within_one_batch_and_after_expiry() -> None:
    index = NearDupIndex(WINDOW)
    texts = ["من از طعم …", REVIEW, "من از طعم"]
    got = index.assign_many(signatures([canonical(text) for text in texts]), [T0] * 3)
    assert [(assignment[1], assignment.how) for assignment in got] == [
        (True, ""),
        (False, "prefix"),  # the longer version, by the cut copy's entry of this batch
        (False, "resemblance"),
    ]
    assert len({assignment[0] for assignment in got}) == 1
    index.expire(T0 + WINDOW * 2)
    assert len(index) == 0
    assert assign(index, "من از طعم", 60 * 24 * 15)[1:] == (True, "")
