"""Signatures and the near-duplicate index: determinism, joins, hard negatives, expiry, touch, add."""

import importlib.util
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tabyin.monitor.pipeline.canonical import canonical
from tabyin.monitor.pipeline.fingerprint import (
    ROW,
    SHORT,
    TAGS,
    WIDTH,
    K,
    from_bytes,
    signatures,
    story_key,
    to_bytes,
)
from tabyin.monitor.pipeline.index import SLICES, NearDupIndex

ROOT = Path(__file__).resolve().parents[2]
WINDOW = timedelta(days=7)
T0 = datetime(2024, 3, 20, 8, 0, tzinfo=UTC)
ORIGIN = "رئیس‌جمهور امروز برای بازدید از مناطق سیل‌زده به استان خوزستان سفر می‌کند و با مردم دیدار خواهد کرد"


def _random_signatures() -> Any:
    spec = importlib.util.spec_from_file_location(
        "monitor_dedup_eval_helpers", ROOT / "benchmarks" / "monitor_dedup_eval.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return module.random_signatures


def random_signatures(rng: np.random.Generator, count: int) -> np.ndarray:
    return _random_signatures()(rng, count)  # type: ignore[no-any-return]


def sig(text: str) -> np.ndarray:
    return signatures([canonical(text)])[0]


def test_signatures_shape_dtype_and_bytes_round_trip() -> None:
    batch = signatures([canonical(ORIGIN), "زلزله در کرمان", ""])
    assert batch.shape == (3, ROW) == (3, WIDTH + 2 * 5 + 1) == (3, 3 + 64 + 32 + 11)
    assert batch.dtype == np.uint32
    assert np.array_equal(from_bytes(to_bytes(batch[0])), batch[0])
    assert len(to_bytes(batch[0])) == 4 * ROW == 440
    # A sketch is ascending and holds the text's K smallest element hashes.
    sketch = batch[0, TAGS : TAGS + K].astype(np.int64)
    assert (np.diff(sketch) > 0).all()
    # A short text (under five words) is sketched but flagged: it resembles only itself.
    assert (int(batch[1, 0]) & ~SHORT, bool(batch[1, 0] & SHORT)) == (10, True)
    assert batch[2, 0] == 1  # "" (under three words): one element, the text itself
    with pytest.raises(ValueError, match="bytes"):
        from_bytes(b"\x00" * 10)


def test_a_signature_of_the_first_design_loads_and_matches_nothing_new() -> None:
    legacy = from_bytes(b"\x07" * 256)
    assert legacy.shape == (WIDTH,)
    index = NearDupIndex(WINDOW)
    index.add(5, legacy, T0)
    assert index.assign(sig(ORIGIN), T0) == (story_key(sig(ORIGIN)), True)
    assert len(index) == 2


def test_batched_and_single_signatures_agree() -> None:
    texts = [canonical(ORIGIN), "زلزله در کرمان", "قیمت دلار در بازار آزاد تهران امروز به 58 هزار تومان رسید"]
    batch = signatures(texts)
    for row, text in enumerate(texts):
        assert np.array_equal(batch[row], signatures([text])[0])


def test_signature_and_story_key_are_the_same_in_another_process() -> None:
    code = (
        "from tabyin.monitor.pipeline.canonical import canonical;"
        "from tabyin.monitor.pipeline.fingerprint import signatures, story_key;"
        f"s = signatures([canonical({ORIGIN!r})])[0];"
        "print(s.tobytes().hex(), story_key(s))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={
                "PYTHONHASHSEED": seed,
                **({"PYTHONPATH": path} if (path := os.environ.get("PYTHONPATH")) else {}),
            },
        ).stdout
        for seed in ("1", "2")
    }
    here = sig(ORIGIN)
    assert runs == {f"{here.tobytes().hex()} {story_key(here)}\n"}
    assert 0 <= story_key(here) < 2**63


@pytest.mark.parametrize(
    "repost",
    [
        pytest.param(ORIGIN + "\n\n🆔 @akhbar_fori", id="signature"),
        pytest.param("🔴 " + ORIGIN + " ✅✅", id="emoji"),
        pytest.param(ORIGIN + "\n#خوزستان #سیل", id="hashtags"),
        pytest.param("«فوری» " + ORIGIN, id="prefix"),
        pytest.param(ORIGIN + " https://t.co/x7Kq2LmPzA", id="link"),
        pytest.param("ایسنا: " + ORIGIN, id="outlet"),
        pytest.param(ORIGIN.replace("ی", "ي").replace("ک", "ك"), id="arabic-letters"),
        pytest.param(ORIGIN.replace("\u200c", ""), id="zwnj-removed"),
        pytest.param(ORIGIN.replace(" از ", "\nاز "), id="line-breaks"),
        pytest.param(ORIGIN.replace("امروز", "صبح امروز"), id="word-inserted"),
        pytest.param(ORIGIN.replace("دیدار", "گفتگو"), id="word-changed"),
        pytest.param(ORIGIN.replace(" و با مردم", " با مردم"), id="word-deleted"),
        pytest.param(ORIGIN[:62] + "…ادامه در لینک", id="truncated"),
        pytest.param("#فوری\n" + ORIGIN.replace("ی", "ي") + "\nکانال ما 👇\nt.me/abc", id="several-edits"),
    ],
)
def test_each_edit_joins_its_origin(repost: str) -> None:
    index = NearDupIndex(WINDOW)
    key, created = index.assign(sig(ORIGIN), T0)
    assert created is True
    assert index.assign(sig(repost), T0 + timedelta(minutes=5)) == (key, False)
    assert len(index) == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(
            "قیمت دلار در بازار آزاد تهران امروز به ۵۸ هزار تومان رسید",
            "قیمت یورو در بازار آزاد تهران امروز به ۶۲ هزار تومان رسید",
            id="same-template-other-currency-and-figure",
        ),
        pytest.param(
            "قیمت دلار در بازار آزاد تهران امروز به ۵۸ هزار تومان رسید",
            "قیمت دلار در بازار آزاد تهران امروز به ۶۲ هزار تومان رسید",
            id="other-figure",
        ),
        pytest.param(
            "وزیر بهداشت اعلام کرد واکسن آنفلوانزا از هفته آینده در داروخانه‌های سراسر کشور توزیع می‌شود",
            "وزیر آموزش و پرورش اعلام کرد امتحانات نهایی از هفته آینده در مدارس سراسر کشور برگزار می‌شود",
            id="same-frame-other-news",
        ),
        pytest.param(
            "زلزله‌ای به بزرگی ۵٫۲ ریشتر بامداد امروز شهر کرمان را لرزاند و خسارتی گزارش نشده است",
            "زلزله‌ای به بزرگی ۴٫۱ ریشتر ظهر امروز شهر بم را لرزاند و دو نفر مصدوم شدند",
            id="other-earthquake",
        ),
        pytest.param("زلزله در کرمان", "زلزله در تهران", id="short-texts-differ-by-a-word"),
    ],
)
def test_hard_negatives_stay_apart(first: str, second: str) -> None:
    index = NearDupIndex(WINDOW)
    first_key, _ = index.assign(sig(first), T0)
    second_key, created = index.assign(sig(second), T0 + timedelta(minutes=1))
    assert created is True
    assert second_key != first_key
    assert len(index) == 2


def test_short_texts_match_only_exactly_after_canonicalisation() -> None:
    index = NearDupIndex(WINDOW)
    key, _ = index.assign(sig("زلزله در کرمان"), T0)
    assert index.assign(sig("«فوری» زلزله در كرمان 🆔 @akhbar"), T0) == (key, False)
    assert index.assign(sig("زلزله شدید در کرمان"), T0)[1] is True


def test_expiry_drops_whole_generations_after_the_window() -> None:
    index = NearDupIndex(WINDOW)
    key, _ = index.assign(sig(ORIGIN), T0)
    assert index.expire(T0 + WINDOW) == 0
    assert len(index) == 1
    assert index.expire(T0 + WINDOW + WINDOW / SLICES + timedelta(seconds=1)) == 1
    assert len(index) == 0
    new_key, created = index.assign(sig(ORIGIN), T0 + WINDOW * 2)
    assert (new_key, created) == (key, True)  # the key is derived from the signature


def test_touch_and_joins_keep_a_story_live() -> None:
    index = NearDupIndex(WINDOW)
    key, _ = index.assign(sig(ORIGIN), T0)
    index.touch(key, T0 + timedelta(days=6))
    index.touch(12345, T0)  # unknown keys are ignored
    assert index.expire(T0 + timedelta(days=10)) == 0
    assert index.assign(sig("ایسنا: " + ORIGIN), T0 + timedelta(days=10)) == (key, False)
    last = T0 + timedelta(days=10)
    assert index.expire(last + WINDOW) == 0  # live at least a window after its last post
    assert index.expire(last + WINDOW + WINDOW / SLICES + timedelta(seconds=1)) == 1  # at most a slice more


def test_add_indexes_a_stored_story_or_a_forward_under_its_key() -> None:
    index = NearDupIndex(WINDOW)
    index.add(777, sig(ORIGIN), T0)
    index.add(777, sig("something else entirely, ignored for a known key"), T0 + timedelta(days=5))
    assert len(index) == 1
    assert index.assign(sig("#فوری " + ORIGIN), T0 + timedelta(hours=1)) == (777, False)
    assert index.expire(T0 + timedelta(days=11)) == 0  # add() of a known key touched it


def test_growth_keeps_every_story_findable() -> None:
    batch = random_signatures(np.random.default_rng(7), 3000)
    index = NearDupIndex(WINDOW, capacity=16)
    keys = [index.assign(row, T0) for row in batch]
    assert all(created for _, created in keys)
    assert len(index) == 3000
    assert [index.assign(row, T0) for row in batch] == [(key, False) for key, _ in keys]
    assert index.nbytes() > 3000 * K * 4


def test_assign_many_gives_what_assign_gives_one_by_one() -> None:
    texts = [
        ORIGIN,
        "ایسنا: " + ORIGIN,
        "زلزله در کرمان",
        "«فوری» زلزله در کرمان",
        ORIGIN.replace("دیدار", "گفتگو"),
    ]
    batch = signatures([canonical(text) for text in texts])
    times = [T0 + timedelta(minutes=minute) for minute in range(len(texts))]
    one_by_one = NearDupIndex(WINDOW)
    expected = [one_by_one.assign(row, at) for row, at in zip(batch, times, strict=True)]
    assert NearDupIndex(WINDOW).assign_many(batch, times) == expected
    assert [created for _, created in expected] == [True, False, True, False, False]
