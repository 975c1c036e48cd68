"""The pure batch step: dedup, edits as versions, story assignment, forwards, labels; item parsing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tabyin.monitor.pipeline.batch import Steps, StoredPost, decide, keys_to_look_up, title_of
from tabyin.monitor.pipeline.items import check, parse_item, to_dict
from tabyin.monitor.pipeline.types import RawPost

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


class ExactIndex:
    """Stands in for the near-duplicate index: same canonical text, same story."""

    def __init__(self) -> None:
        self.keys: dict[str, int] = {}
        self.added: list[tuple[int, str]] = []
        self.next_key = 100

    def assign(self, signature: Any, at: datetime) -> tuple[int, bool]:
        if signature in self.keys:
            return self.keys[signature], False
        self.keys[signature] = self.next_key
        self.next_key += 1
        return self.keys[signature], True

    def add(self, story_key: int, signature: Any, at: datetime) -> None:
        self.keys.setdefault(signature, story_key)
        self.added.append((story_key, signature))

    def touch(self, story_key: int, at: datetime) -> None:
        pass


class Matcher:
    def match(self, text: str) -> list[int]:
        return [7] if "بیمه" in text else []


class Classifier:
    def predict_many(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        return [("negative", -0.8) if "بد" in t else ("neutral", 0.0) for t in texts]


STEPS = Steps(
    canonical=lambda text: text.replace("فوری:", "").strip(),
    signatures=list,
    to_bytes=lambda sig: sig.encode(),
    rumor_signal=lambda text: "آیا" in text,
)


def post(source: str, post_id: str, text: str, minutes: int = 0, **extra: Any) -> RawPost:
    return RawPost(source, post_id, text, T0 + timedelta(minutes=minutes), **extra)


def run(
    items: list[RawPost], stored: dict[tuple[str, str], StoredPost] | None = None, index: Any = None
) -> Any:
    return decide(
        items,
        stored or {},
        index=index or ExactIndex(),
        matcher=Matcher(),
        classifier=Classifier(),
        steps=STEPS,
    )


def test_new_posts_reposts_and_exact_duplicates() -> None:
    decision = run(
        [
            post("telegram:a", "1", "خدمات بیمه بد شد"),
            post("telegram:b", "9", "فوری: خدمات بیمه بد شد", 5),
            post("telegram:a", "1", "خدمات بیمه بد شد", 6),
            post("rss:irna", "x", "خبر دیگری", 7),
        ]
    )

    assert (decision.new, decision.duplicates, decision.edited) == (3, 1, 0)
    assert decision.story_of == {("telegram:a", "1"): 100, ("telegram:b", "9"): 100, ("rss:irna", "x"): 101}
    assert sorted(decision.new_stories) == [100, 101]
    assert decision.new_stories[100].signature == "خدمات بیمه بد شد".encode()
    assert decision.new_stories[100].title == "خدمات بیمه بد شد"
    first = decision.posts[0]
    assert (first.sentiment, first.score, first.rumor, first.matches) == ("negative", -0.8, False, [7])
    assert decision.posts[2].matches == []
    assert decision.touched_story_keys == {100, 101}


def test_edit_of_a_stored_post_keeps_the_old_text_as_a_version_and_the_story() -> None:
    stored = {("telegram:a", "1"): StoredPost(11, "متن اول", 1, 50, story_key=555)}
    decision = run([post("telegram:a", "1", "آیا متن دوم درست است", views=40)], stored)

    (edit,) = decision.posts
    assert (decision.new, decision.duplicates, decision.edited) == (0, 0, 1)
    assert (edit.stored_id, edit.version, edit.text, edit.old_versions) == (
        11,
        2,
        "آیا متن دوم درست است",
        [(1, "متن اول")],
    )
    assert (edit.story_key, edit.views, edit.views_changed, edit.rumor) == (555, 50, False, True)
    assert decision.new_stories == {}


def test_edits_within_a_batch_and_a_replayed_old_version_is_a_duplicate() -> None:
    stored = {("telegram:a", "1"): StoredPost(11, "نسخه ۲", 2, 10, 555, old_texts=frozenset({"نسخه ۱"}))}
    decision = run(
        [
            post("telegram:a", "1", "نسخه ۱", views=12),
            post("telegram:a", "1", "نسخه ۳"),
            post("telegram:a", "1", "نسخه ۳"),
            post("telegram:c", "5", "تازه"),
            post("telegram:c", "5", "تازه، ویرایش شده"),
        ],
        stored,
    )

    old, fresh = decision.posts
    assert (decision.new, decision.duplicates, decision.edited) == (1, 2, 2)
    assert (old.version, old.text, old.old_versions, old.views, old.views_changed) == (
        3,
        "نسخه ۳",
        [(2, "نسخه ۲")],
        12,
        True,
    )
    assert (fresh.is_new, fresh.version, fresh.text, fresh.old_versions) == (
        True,
        2,
        "تازه، ویرایش شده",
        [(1, "تازه")],
    )


def test_views_never_go_down() -> None:
    stored = {("telegram:a", "1"): StoredPost(11, "متن", 1, 500, 555)}
    decision = run([post("telegram:a", "1", "متن", views=20)], stored)

    assert (decision.duplicates, decision.posts[0].views, decision.posts[0].views_changed) == (1, 500, False)
    assert decision.touched_story_keys == set()


def test_formal_forwards_join_their_origin_story_directly() -> None:
    index = ExactIndex()
    stored = {("telegram:origin", "77"): StoredPost(3, "اصل خبر", 1, None, story_key=900)}
    items = [
        post("telegram:b", "1", "متنی که با اصل فرق دارد", forwarded_from="telegram:origin/77"),
        post("telegram:c", "2", "خبر تازه"),
        post("telegram:d", "3", "بازارسال با متن دیگر", 1, forwarded_from="telegram:c/2"),
        post("telegram:e", "4", "مبدأ ناشناخته", forwarded_from="telegram:nobody/1"),
    ]

    decision = run(items, stored, index)

    assert keys_to_look_up(items) == {(i.source, i.post_id) for i in items} | {
        ("telegram:origin", "77"),
        ("telegram:c", "2"),
        ("telegram:nobody", "1"),
    }
    assert [decision.story_of[(i.source, i.post_id)] for i in items] == [900, 100, 100, 101]
    assert sorted(decision.new_stories) == [100, 101]
    # The forward's own text now leads to the story too.
    assert index.added == [(900, "متنی که با اصل فرق دارد"), (100, "بازارسال با متن دیگر")]


def test_title_is_one_line_and_fits_the_column() -> None:
    assert title_of("  سطر اول\nسطر   دوم ") == "سطر اول سطر دوم"
    assert len(title_of("ب" * 400)) == 300
    assert title_of("ب" * 400).endswith("…")


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ([], "not a JSON object"),
        ({"post_id": "1", "text": "x", "published_at": "2025-01-01T00:00:00Z"}, "source: missing"),
        (
            {"source": "telegram", "post_id": "1", "text": "x", "published_at": "2025-01-01T00:00:00Z"},
            "source must look like kind:handle, got 'telegram'",
        ),
        (
            {"source": "fax:x", "post_id": "1", "text": "x", "published_at": "2025-01-01T00:00:00Z"},
            "unknown source kind 'fax' (one of rss, telegram, eitaa, web, paste, tipline)",
        ),
        (
            {"source": "telegram:a", "post_id": "1", "text": "x", "published_at": "yesterday"},
            "published_at: not an ISO 8601 date-time: 'yesterday'",
        ),
        (
            {"source": "telegram:a", "post_id": "1", "text": "x", "published_at": "2025-01-01T00:00:00"},
            "published_at has no time zone (add Z or an offset such as +03:30)",
        ),
        (
            {"source": "telegram:a", "post_id": "1", "text": " ", "published_at": "2025-01-01T00:00:00Z"},
            "text is empty",
        ),
        (
            {
                "source": "telegram:a",
                "post_id": "1",
                "text": "x",
                "published_at": "2025-01-01T00:00:00Z",
                "views": "9",
            },
            "views: not an integer",
        ),
        (
            {
                "source": "telegram:a",
                "post_id": "1",
                "text": "x",
                "published_at": "2025-01-01T00:00:00Z",
                "forwarded_from": "telegram:b",
            },
            "forwarded_from must look like kind:handle/post_id",
        ),
    ],
)
def test_parse_item_names_the_problem(obj: object, message: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_item(obj)
    assert str(error.value) == message


def test_parse_item_round_trips_and_accepts_numeric_post_ids() -> None:
    item = parse_item(
        {
            "source": "telegram:a",
            "post_id": 12,
            "url": "https://t.me/a/12",
            "text": "متن",
            "published_at": "2025-01-01T10:00:00+03:30",
            "views": 3,
            "forwarded_from": "telegram:b/4",
        }
    )

    assert item == RawPost(
        "telegram:a",
        "12",
        "متن",
        datetime(2025, 1, 1, 6, 30, tzinfo=UTC),
        url="https://t.me/a/12",
        views=3,
        forwarded_from="telegram:b/4",
    )
    assert parse_item(to_dict(item)) == item
    assert check(item) is None
