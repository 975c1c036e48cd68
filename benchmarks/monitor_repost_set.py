"""A labelled repost set for the monitor's near-duplicate step, built from real Persian texts.

Used by benchmarks/bench_monitor_dedup.py and tests/monitor/test_dedup_quality.py (tests and
benchmarks only: the stance texts are CC BY-NC, see ../shared/data/persian/*/SOURCE.md).

Base items are the distinct texts (compared after ``canonical``) of the ExaPPC pairs (Apache-2.0)
and the Persian stance claims and headlines. Each base gets 0-4 synthetic reposts, each with 2-5
edits drawn from what Persian Telegram/Eitaa channels and news sites do to a copied item: a channel
signature line, emoji, hashtags, a «فوری»-style or outlet prefix, a link, Persian/ASCII digits, Arabic
ي/ك, ZWNJ vs space vs nothing, line breaks, a few word substitutions/insertions/deletions (about one
per eight words, none in texts under eight words, where a changed word makes a different statement),
and truncation to 60-90 % with "…ادامه در لینک" (texts of 15 words or more). Everything is seeded.

Truth: two items are the same story iff they come from the same base. The labelled pairs of the
sources are hard negatives (ExaPPC non-paraphrase pairs: topically similar tweets; stance
claim/headline pairs labelled Discuss, Disagree or Unrelated). Pairs labelled paraphrase (ExaPPC) or
Agree (stance) are the same story told by two outlets: ambiguous for a *repost* detector, so every
item pair across two such bases is left out of the scoring (counted in ``excluded``); so are pairs of
bases from one source group (a stance claim and its headlines, linked tweets) that no pair labels,
whose relation is unknown. Bases from different groups are different items. The stance claims lose
the rumour site's "/ شایعه NNNN" tag (catalogue metadata, not post text). Word edits never insert
denial/confirmation words (تکذیب, شایعه, صحت ...): that makes the debunk, a different item.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path

from tabyin.monitor.pipeline.canonical import canonical

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "persian"
SEED = 1403
START = datetime(2024, 3, 20, 6, 0, tzinfo=UTC)

_HANDLES = ("akhbar_fori", "khabar_rooz", "tehran_news24", "iran_bulletin", "fars_kanal", "siasat_ir")
_SIGNATURES = (
    "🆔 @{h}",
    "کانال ما 👇\nt.me/{h}",
    "@{h}",
    "👈 عضو شوید: @{h}",
    "✅ به ما بپیوندید\nhttps://t.me/joinchat/{h}",
    "کانال {h} در ایتا:\neitaa.com/{h}",
    "🌐 {h}.ir",
    "📡 @{h} | اخبار لحظه‌ای",
)
_PREFIXES = ("«فوری»", "#فوری", "خبر فوری:", "فوری |", "🔴 فوری:", "عاجل:", "⭕️ فوری", "#خبر_فوری")
_OUTLETS = ("ایسنا:", "ایرنا |", "تسنیم:", "فارس -", "مهر:", "خبرآنلاین:")
_EMOJI = ("🔴", "⭕️", "✅", "📌", "🔸", "👈", "❗️", "🎥", "🔻", "💢", "▪️")
_HASHTAGS = ("#فوری", "#اخبار_ایران", "#خبر", "#کرونا", "#اقتصاد", "#سیاسی", "#ایران")
_LINKS = ("https://t.co/x7Kq2LmPzA", "http://www.isna.ir/news/1402120805612/", "https://bit.ly/3kXyZ9q")
_TRUNCATION = ("…ادامه در لینک 👇", "... ادامه در لینک", "…ادامه خبر در لینک زیر", "👇 متن کامل خبر")
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


@dataclass(frozen=True)
class RepostSet:
    """Items in arrival order with their true base, a timestamp, and the pair labels of the sources."""

    texts: list[str]
    bases: list[int]
    times: list[datetime]
    n_bases: int
    ambiguous: set[tuple[int, int]]  # base pairs left out of the scoring (a < b)
    hard_negatives: set[tuple[int, int]]  # base pairs the sources label as different (a < b)
    edit_counts: Counter[str] = field(default_factory=Counter)

    def describe(self) -> str:
        reposts = len(self.texts) - self.n_bases
        edits = ", ".join(f"{name} {count}" for name, count in sorted(self.edit_counts.items()))
        return (
            f"{self.n_bases} distinct base items, {reposts} synthetic reposts, {len(self.texts)} items; "
            f"{len(self.hard_negatives)} hard-negative base pairs, {len(self.ambiguous)} base pairs of "
            f"unknown relation left out (paraphrase/Agree, or one source group unlabelled); "
            f"edits applied: {edits}"
        )


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    excluded_pairs: int
    hard_negative_merges: int  # hard-negative base pairs with at least one item pair put together


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


# The rumour-tracking site's "/ شایعه 0637" tag on stance claims is catalogue metadata, not post text.
_RUMOUR_NUMBER = re.compile(r"\s*/?\s*شایعه\s*[0-9۰-۹]+\s*$")
# Words that turn a claim into its denial or confirmation: a channel changing "a few words" of a
# copy does not insert these (that is the debunk, a different item), so edits never draw them.
_VERDICT_WORDS = re.compile(r"تکذیب|شایعه|شایعات|کذب|جعلی|نادرست|صحت|واقعیت|حقیقت|تایید|دروغ")


def _load(data: Path) -> list[tuple[str, str, str, str]]:
    """(text, text, label, source group) for every labelled pair of both sources."""
    rows: list[tuple[str, str, str, str]] = []
    with (data / "exappc_paraphrase" / "pairs.jsonl").open(encoding="utf-8") as handle:
        for row in map(json.loads, handle):
            rows.append((row["sentence1"], row["sentence2"], row["label"], "exappc:" + row["group_id"]))
    with (data / "persian_stance" / "headline_claim.jsonl").open(encoding="utf-8") as handle:
        for row in map(json.loads, handle):
            claim = _RUMOUR_NUMBER.sub("", row["claim"])
            rows.append((claim, row["headline"], row["stance"], "stance:" + row["group_id"]))
    return rows


def _words(rng: random.Random, vocabulary: Sequence[str], text: str) -> str:
    words = text.split(" ")
    edits = max(1, len(text.split()) // 8)
    for _ in range(edits):
        spot = rng.randrange(len(words))
        kind = rng.choice(("substitute", "insert", "delete"))
        if kind == "substitute":
            words[spot] = rng.choice(vocabulary)
        elif kind == "insert":
            words.insert(spot, rng.choice(vocabulary))
        elif len(words) > 1:
            del words[spot]
    return " ".join(words)


def _truncate(rng: random.Random, text: str) -> str:
    words = text.split()
    keep = max(1, round(len(words) * rng.uniform(0.6, 0.9)))
    return " ".join(words[:keep]) + rng.choice(("", " ")) + rng.choice(_TRUNCATION)


def _zwnj(rng: random.Random, text: str) -> str:
    if "\u200c" in text:
        return text.replace("\u200c", rng.choice((" ", "")))
    # Join the plural/verb prefixes the way another keyboard layout writes them.
    return text.replace("می ", "می\u200c").replace(" ها ", "\u200cها ")


def _line_breaks(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    for _ in range(rng.randint(1, 3)):
        words[rng.randrange(len(words))] += "\n" * rng.randint(1, 2)
    return " ".join(words)


def _emoji(rng: random.Random, text: str) -> str:
    head = rng.choice(_EMOJI) * rng.randint(1, 2)
    tail = rng.choice(("", " " + rng.choice(_EMOJI) * rng.randint(1, 3)))
    return f"{head}{rng.choice(('', ' '))}{text}{tail}"


def _edits(vocabulary: Sequence[str]) -> dict[str, Callable[[random.Random, str], str]]:
    return {
        "signature": lambda r, t: (
            t + "\n" * r.randint(1, 2) + r.choice(_SIGNATURES).format(h=r.choice(_HANDLES))
        ),
        "emoji": _emoji,
        "hashtags": lambda r, t: t + "\n" + " ".join(r.sample(_HASHTAGS, r.randint(1, 3))),
        "prefix": lambda r, t: r.choice(_PREFIXES) + r.choice((" ", "\n")) + t,
        "outlet": lambda r, t: r.choice(_OUTLETS) + " " + t,
        "link": lambda r, t: t + r.choice((" ", "\n")) + r.choice(_LINKS),
        "digits": lambda r, t: t.translate(_PERSIAN_DIGITS if r.random() < 0.5 else _ASCII_DIGITS),
        "arabic_letters": lambda r, t: t.replace("ی", "ي").replace("ک", "ك"),
        "zwnj": _zwnj,
        "line_breaks": _line_breaks,
        "words": lambda r, t: _words(r, vocabulary, t),
        "truncate": _truncate,
    }


def _repost(
    rng: random.Random, edits: dict[str, Callable[[random.Random, str], str]], text: str
) -> list[str]:
    words = len(text.split())
    allowed = [
        name for name in edits if not ((name == "words" and words < 8) or (name == "truncate" and words < 15))
    ]
    chosen = rng.sample(allowed, rng.randint(2, min(5, len(allowed))))
    # Content edits first, decoration last: a channel edits the copy, then adds its own frame.
    order = ["words", "truncate", "digits", "arabic_letters", "zwnj", "line_breaks", "outlet", "prefix"]
    chosen.sort(key=lambda name: order.index(name) if name in order else len(order))
    return chosen


def build(*, seed: int = SEED, data: Path = DATA, max_reposts: int = 4) -> RepostSet:
    """The labelled set; the same seed gives the same items in the same order with the same times."""
    rows = _load(data)
    base_of: dict[str, int] = {}
    base_texts: list[str] = []
    groups: list[set[str]] = []

    def base(text: str, group: str) -> int:
        # Texts that differ only in what canonical() removes or in spacing are one item.
        key = canonical(text).replace(" ", "")
        if key not in base_of:
            base_of[key] = len(base_texts)
            base_texts.append(text)
            groups.append(set())
        groups[base_of[key]].add(group)
        return base_of[key]

    ambiguous: set[tuple[int, int]] = set()
    negatives: set[tuple[int, int]] = set()
    for first, second, label, group in rows:
        a, b = sorted((base(first, group), base(second, group)))
        if a == b:
            continue
        (ambiguous if label in {"paraphrase", "Agree"} else negatives).add((a, b))
    negatives -= ambiguous
    # Two texts of one source group (a claim and its headlines, a cluster of linked tweets) that no
    # pair labels are of unknown relation (often one story from two outlets): not scored either.
    members: dict[str, list[int]] = {}
    for index, names in enumerate(groups):
        for name in names:
            members.setdefault(name, []).append(index)
    for indices in members.values():
        ambiguous.update(pair for pair in combinations(sorted(indices), 2) if pair not in negatives)

    rng = random.Random(seed)
    vocabulary = sorted(
        {
            word
            for text in base_texts
            for word in text.split()
            if len(word) > 2 and word.isalpha() and not _VERDICT_WORDS.search(word)
        }
    )
    edits = _edits(vocabulary)
    counts: Counter[str] = Counter()
    items: list[tuple[str, int]] = []
    for index, text in enumerate(base_texts):
        items.append((text, index))
        for _ in range(rng.choice(range(max_reposts + 1))):
            repost = text
            for name in _repost(rng, edits, text):
                repost = edits[name](rng, repost)
                counts[name] += 1
            items.append((repost, index))
    rng.shuffle(items)
    # Arrivals over two and a half days, in the shuffled order: a repost may come before its origin.
    span = timedelta(days=2.5) / len(items)
    return RepostSet(
        texts=[text for text, _ in items],
        bases=[index for _, index in items],
        times=[START + span * position for position in range(len(items))],
        n_bases=len(base_texts),
        ambiguous=ambiguous,
        hard_negatives=negatives,
        edit_counts=counts,
    )


def score(labelled: RepostSet, stories: Sequence[int]) -> Scores:
    """Pairwise precision/recall of predicted stories against true bases, ambiguous pairs left out."""
    cells = Counter(zip(stories, labelled.bases, strict=True))
    per_base = Counter(labelled.bases)
    per_story = Counter(stories)
    correct = sum(_pairs(count) for count in cells.values())
    predicted = sum(_pairs(count) for count in per_story.values())
    true = sum(_pairs(count) for count in per_base.values())
    members: dict[int, Counter[int]] = {}
    for (story, base_index), count in cells.items():
        members.setdefault(base_index, Counter())[story] = count
    excluded = together = 0
    for a, b in labelled.ambiguous:
        excluded += per_base[a] * per_base[b]
        together += sum(count * members[b][story] for story, count in members[a].items())
    merges = sum(1 for a, b in labelled.hard_negatives if any(story in members[b] for story in members[a]))
    predicted -= together
    return Scores(
        precision=correct / predicted if predicted else 1.0,
        recall=correct / true if true else 1.0,
        true_pairs=true,
        predicted_pairs=predicted,
        correct_pairs=correct,
        excluded_pairs=excluded,
        hard_negative_merges=merges,
    )
