"""The repost evaluation set: several sources of real Persian text, several edit models, a held-out part.

Used by benchmarks/bench_monitor_dedup.py and tests/monitor/test_dedup_quality.py (tests and
benchmarks only: the stance texts are CC BY-NC and the ParsiNLU reviews CC BY-NC-SA, see
../shared/data/persian/*/SOURCE.md; nothing here, nor anything fitted on it, goes into src/).

**Bases** (distinct items; texts equal after ``canonical`` with spaces removed are one item):
ExaPPC pair texts (news and tweets, Apache-2.0), Persian-stance claims (their rumour-site tag
"/ شایعه NNNN" removed) and headlines, ParsiNLU food and film reviews. 15 % of the news bases
(ExaPPC, stance) end in a verdict («… را تایید کرد», «… تکذیب شد», «… دروغ است»): a truncated copy
that cuts it off must still join.

**Reposts**: 0-4 a base, each from one of four edit models chosen at random:

* ``decorations`` — the first generator (``monitor_repost_set``: signature line, emoji, hashtags,
  «فوری»/outlet prefix, link, digits, ي/ك, ZWNJ, line breaks, word edits, truncation to 60-90 %).
* ``channel`` — what the issue found channels do: a commentary line above and/or below the item
  (lead-ins pointing at it, "exclusive", calls to forward), a signature at the top, bottom or both,
  truncation to 25-70 % with a "read more" line, an outlet head, sentences split over lines.
* ``free`` — written separately, with phrasings no rule of ``canonical`` lists: a free comment
  line before or after («نظر شما چیست؟», «حالا چه کسی پاسخگوست؟»), a cut without any marker,
  a signature without a handle, emoji bullets per sentence.
* ``chain`` — a copy of a copy: ``channel`` or ``free`` edits applied to an earlier repost of the
  same base made by another model.

**Hard negatives** (different bases, scored as such): the sources' own negative pairs (ExaPPC
non-paraphrase, stance Discuss/Unrelated); a base with one figure changed; the same words under
two different attribution heads («سخنگوی دولت: …» / «نماینده مجلس: …»); and pairs of reposts of
two unrelated short bases that start with the *same* commentary line.

**Left out of the scoring**, counted and reported: ExaPPC paraphrase and stance Agree pairs (one
story told by two outlets: a topic, not a repost); unlabelled pairs inside one source group;
the head-less base against its attributed variants; and a claim against a denial of it (stance
Disagree headlines and «X دروغ است» variants): whether a denial belongs to the rumor's story is
the stance step's decision, after the index (how many such pairs the index put together is
reported as the stance step's workload).

**Split**: a base's group (its source and source group id) goes to the held-out part when
``sha1("tabyin dedup holdout " + group) % 100 < HOLDOUT_PERCENT``, else to the tuning part.
Thresholds are tuned on the tuning part only; both parts are scored and published. Everything is
seeded: the same seed gives the same items in the same order with the same times.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import monitor_repost_set as first_generator
from tabyin.monitor.pipeline.canonical import canonical

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "persian"
SEED = 1404
HOLDOUT_PERCENT = 40
START = datetime(2024, 3, 20, 6, 0, tzinfo=UTC)
PARTS = ("tuning", "held-out")

_HANDLES = ("akhbar_fori", "khabar_rooz", "tehran_news24", "iran_bulletin", "fars_kanal", "siasat_ir")
_LEAD_INS = (
    "خبری که رسانه‌های رسمی منتشر نکردند 👇",
    "این خبر را حتما بخوانید 👇👇",
    "⭕️ اختصاصی",
    "🔴 فوری",
    "فوری فوری",
    "ببینید چه خبر است ⬇️",
    "📌 مهم",
    "خبر ویژه 👇",
    "🔻 دقت کنید 👇",
)
_CALLS = (
    "این را برای همه بفرستید",
    "بازنشر کنید 🙏",
    "👆👆 دست به دست کنید",
    "لطفا منتشر کنید",
    "برای دوستانتان فوروارد کنید",
    "👆 این را همه باید بدانند",
)
_SIGNATURES = (
    "🆔 @{h}",
    "@{h}",
    "کانال ما: t.me/{h}",
    "📡 https://t.me/{h}",
    "🌐 {h}.ir",
    "✅ عضو شوید 👇\nhttps://t.me/joinchat/{h}",
)
_MORE = (
    "ادامه خبر در لینک زیر 👇",
    "متن کامل در لینک زیر",
    "…ادامه مطلب",
    "📎 متن کامل خبر را اینجا بخوانید",
    "مشروح خبر در سایت",
    "... ادامه در لینک",
)
_OUTLET_HEADS = ("ایسنا:", "خبرگزاری مهر:", "فارس:", "به گزارش ایرنا،", "تسنیم |", "خبرآنلاین:")
# Phrasings that no rule of canonical() lists: free comments, plain signatures.
_FREE_COMMENTS = (
    "نظر شما چیست؟",
    "حالا چه کسی پاسخگوست؟",
    "واقعا باورکردنی نیست!",
    "این هم از وضعیت ما",
    "منبع: شبکه‌های اجتماعی",
    "خدا به داد مردم برسد",
    "پیگیری می‌کنیم",
)
_FREE_SIGNATURES = ("کانال خبری {h}", "{h} | اخبار لحظه‌ای", "📣 {h}")
_VERDICTS = (" را تایید کرد", " را تائید کرد", " تکذیب شد", " صحت ندارد", " دروغ است", " شایعه است")
_DENIAL = re.compile(r"تکذیب|صحت ندارد|دروغ|شایعه|کذب|جعلی|نادرست")
_SPEAKERS = ("سخنگوی دولت", "نماینده مجلس", "وزیر کار", "رئیس سازمان برنامه", "یک کارشناس اقتصادی")
_SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+")


@dataclass(frozen=True)
class EvalSet:
    """Items in arrival order: text, true base, time, part and edit model ("" for a base itself)."""

    texts: list[str]
    bases: list[int]
    times: list[datetime]
    parts: list[str]
    models: list[str]
    n_bases: int
    left_out: dict[str, set[tuple[int, int]]]  # reason -> base pairs left out of the scoring
    hard_negatives: dict[str, set[tuple[int, int]]]  # kind -> base pairs that must stay apart
    base_part: list[str] = field(default_factory=list)

    def describe(self) -> str:
        parts = Counter(self.parts)
        models = Counter(model for model in self.models if model)
        return (
            f"{self.n_bases} bases, {len(self.texts)} items (tuning {parts['tuning']}, held-out "
            f"{parts['held-out']}); reposts by model: {dict(sorted(models.items()))}; hard-negative base "
            f"pairs: { ({k: len(v) for k, v in self.hard_negatives.items()}) }; left out: "
            f"{ ({k: len(v) for k, v in self.left_out.items()}) }"
        )


@dataclass(frozen=True)
class PartScores:
    part: str
    precision: float
    recall: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    hard_negative_merges: dict[str, int]  # kind -> base pairs with some items put together
    left_out_together: dict[str, int]  # reason -> item pairs put together (not scored)
    joined_by_model: dict[str, float]  # edit model -> share of its reposts in their base's story


def _holdout(group: str) -> bool:
    digest = hashlib.sha1(f"tabyin dedup holdout {group}".encode(), usedforsecurity=False).hexdigest()
    return int(digest, 16) % 100 < HOLDOUT_PERCENT


def _sources(data: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str, str, str]]]:
    """Texts with their group, and labelled pairs (text, text, label, group) of the sources."""
    texts: list[tuple[str, str]] = []
    pairs: list[tuple[str, str, str, str]] = []
    with (data / "exappc_paraphrase" / "pairs.jsonl").open(encoding="utf-8") as handle:
        for row in map(json.loads, handle):
            pairs.append((row["sentence1"], row["sentence2"], row["label"], "exappc:" + row["group_id"]))
    with (data / "persian_stance" / "headline_claim.jsonl").open(encoding="utf-8") as handle:
        for row in map(json.loads, handle):
            claim = first_generator._RUMOUR_NUMBER.sub("", row["claim"])
            pairs.append((claim, row["headline"], row["stance"], "stance:" + row["group_id"]))
    with (data / "parsinlu_sentiment" / "reviews.jsonl").open(encoding="utf-8") as handle:
        for row in map(json.loads, handle):
            texts.append((row["review"], "parsinlu:" + row["group_id"]))
    for first, second, _, group in pairs:
        texts.extend(((first, group), (second, group)))
    return texts, pairs


def _lines_of(rng: random.Random, text: str) -> str:
    """Sentences on lines of their own, as channels lay an item out."""
    return "\n".join(_SENTENCE_END.split(text)) if rng.random() < 0.5 else text


def _cut(rng: random.Random, text: str, low: float, high: float) -> str:
    words = text.split()
    return " ".join(words[: max(4, round(len(words) * rng.uniform(low, high)))])


def _channel(rng: random.Random, text: str, lead_in: str | None = None) -> str:
    body = text
    if len(text.split()) >= 12 and rng.random() < 0.4:
        body = _cut(rng, text, 0.25, 0.7) + rng.choice((" ", "\n", "…\n")) + rng.choice(_MORE)
        if rng.random() < 0.5:
            body += "\nhttps://t.me/" + rng.choice(_HANDLES) + f"/{rng.randrange(100, 9999)}"
    body = _lines_of(rng, body)
    if rng.random() < 0.3:
        body = rng.choice(_OUTLET_HEADS) + " " + body
    lines = [body]
    if lead_in is not None or rng.random() < 0.5:
        lines.insert(0, lead_in or rng.choice(_LEAD_INS))
    if rng.random() < 0.4:
        lines.append(rng.choice(_CALLS))
    handle = rng.choice(_HANDLES)
    where = rng.random()
    if where < 0.3:
        lines.insert(0, rng.choice(_SIGNATURES).format(h=handle))
    elif where < 0.7:
        lines.append(rng.choice(_SIGNATURES).format(h=handle))
    elif where < 0.8:
        lines.insert(0, rng.choice(_SIGNATURES).format(h=handle))
        lines.append(rng.choice(_SIGNATURES).format(h=handle))
    return "\n".join(lines)


def _free(rng: random.Random, text: str, comment: str | None = None) -> str:
    body = text
    if len(text.split()) >= 12 and rng.random() < 0.4:
        body = _cut(rng, text, 0.5, 0.9)
    if rng.random() < 0.4:
        body = "\n".join("🔹 " + sentence for sentence in _SENTENCE_END.split(body))
    lines = [body]
    if comment is not None or rng.random() < 0.6:
        lines.insert(0 if rng.random() < 0.5 else 1, comment or rng.choice(_FREE_COMMENTS))
    if rng.random() < 0.5:
        lines.append(rng.choice(_FREE_SIGNATURES).format(h=rng.choice(_HANDLES)))
    return "\n".join(lines)


def build(*, seed: int = SEED, data: Path = DATA, max_reposts: int = 4) -> EvalSet:  # noqa: PLR0912, PLR0915
    """The evaluation set (see the module docstring); the same seed gives the same set."""
    rng = random.Random(seed)
    texts, pairs = _sources(data)
    base_of: dict[str, int] = {}
    base_texts: list[str] = []
    base_groups: list[str] = []

    def base(text: str, group: str) -> int:
        key = canonical(text).replace(" ", "")
        if key not in base_of:
            base_of[key] = len(base_texts)
            base_texts.append(text)
            base_groups.append(group)
        return base_of[key]

    for text, group in texts:
        base(text, group)
    left_out: dict[str, set[tuple[int, int]]] = {
        "same story, two outlets": set(),
        "one source group, unlabelled": set(),
        "head-less vs attributed": set(),
        "claim vs its denial (stance step)": set(),
    }
    negatives: dict[str, set[tuple[int, int]]] = {
        "source negative pairs": set(),
        "other figure": set(),
        "other speaker": set(),
        "same commentary line": set(),
    }
    labelled: set[tuple[int, int]] = set()
    for first, second, label, _ in pairs:
        a, b = sorted(
            (base_of[canonical(first).replace(" ", "")], base_of[canonical(second).replace(" ", "")])
        )
        if a == b:
            continue
        labelled.add((a, b))
        if label in {"paraphrase", "Agree"}:
            left_out["same story, two outlets"].add((a, b))
        elif label == "Disagree" or bool(_DENIAL.search(first)) != bool(_DENIAL.search(second)):
            left_out["claim vs its denial (stance step)"].add((a, b))
        else:
            negatives["source negative pairs"].add((a, b))
    by_group: dict[str, list[int]] = {}
    for index, group in enumerate(base_groups):
        by_group.setdefault(group, []).append(index)
    for members in by_group.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if (a, b) not in labelled:
                    left_out["one source group, unlabelled"].add((a, b))
                    if bool(_DENIAL.search(base_texts[a])) != bool(_DENIAL.search(base_texts[b])):
                        left_out["claim vs its denial (stance step)"].add((a, b))

    # Variants: verdict endings, changed figures, attribution heads (each a base of its own).
    originals = len(base_texts)
    variant_of: dict[int, int] = {}
    for index in range(originals):
        text, group = base_texts[index], base_groups[index]
        if group.startswith("parsinlu:") or len(text.split()) < 6:
            continue
        roll = rng.random()
        if roll < 0.15:
            verdict = rng.choice(_VERDICTS)
            new = base(text.rstrip(" .!؟?") + verdict, group)
            if new != index:
                pair = (min(index, new), max(index, new))
                reason = (
                    "claim vs its denial (stance step)"
                    if _DENIAL.search(verdict)
                    else "head-less vs attributed"
                )
                left_out[reason].add(pair)
                variant_of[new] = index
        elif roll < 0.22 and re.search(r"[0-9۰-۹]+", text):
            changed = re.sub(r"[0-9۰-۹]+", lambda m: str(int(m.group().translate(_ASCII)) + 7), text, count=1)
            new = base(changed, group)
            if new != index:
                negatives["other figure"].add((min(index, new), max(index, new)))
                variant_of[new] = index
        elif roll < 0.30:
            one, two = rng.sample(_SPEAKERS, 2)
            a, b = base(f"{one}: {text}", group), base(f"{two}: {text}", group)
            if len({a, b, index}) == 3:
                negatives["other speaker"].add((min(a, b), max(a, b)))
                for new in (a, b):
                    left_out["head-less vs attributed"].add((min(index, new), max(index, new)))
                    variant_of[new] = index
    for reason in left_out.values():
        reason -= {pair for kind in negatives.values() for pair in kind}
    # Unlabelled pairs between a variant and its source group's other members (and their
    # variants) stay unknown.
    family: dict[str, list[int]] = {group: list(members) for group, members in by_group.items()}
    for new, original in variant_of.items():
        family[base_groups[original]].append(new)
    known = labelled | {pair for kind in negatives.values() for pair in kind}
    known |= {
        pair
        for reason, pairs in left_out.items()
        if reason != "one source group, unlabelled"
        for pair in pairs
    }
    for new in variant_of:
        for other in family[base_groups[new]]:
            pair = (min(new, other), max(new, other))
            if other != new and pair not in known:
                left_out["one source group, unlabelled"].add(pair)

    items: list[tuple[str, int, str]] = [(text, index, "") for index, text in enumerate(base_texts)]
    vocabulary = sorted(
        {
            word
            for text in base_texts
            for word in text.split()
            if len(word) > 2 and not first_generator._VERDICT_WORDS.search(word)
        }
    )
    decorations = first_generator._edits(vocabulary)
    models: dict[str, Callable[[random.Random, str], str]] = {
        "decorations": lambda r, t: _apply(r, decorations, t),
        "channel": _channel,
        "free": _free,
    }
    for index, text in enumerate(base_texts):
        made: list[str] = []
        for _ in range(rng.randint(0, max_reposts)):
            name = rng.choice(("decorations", "channel", "free", "chain") if made else tuple(models))
            if name == "chain":
                copy = rng.choice(made)
                made.append(rng.choice((_channel, _free))(rng, copy))
            else:
                made.append(models[name](rng, text))
            items.append((made[-1], index, name))
    # Two unrelated short bases under the same commentary line (from the rules' list, or free).
    short = [i for i, t in enumerate(base_texts) if 5 <= len(t.split()) <= 12]
    for _ in range(400):
        a, b = rng.sample(short, 2)
        if base_groups[a] == base_groups[b]:
            continue
        if rng.random() < 0.5:
            line = rng.choice(_LEAD_INS)
            items += [
                (_channel(rng, base_texts[a], line), a, "channel"),
                (_channel(rng, base_texts[b], line), b, "channel"),
            ]
        else:
            line = rng.choice(_FREE_COMMENTS)
            items += [
                (_free(rng, base_texts[a], line), a, "free"),
                (_free(rng, base_texts[b], line), b, "free"),
            ]
        negatives["same commentary line"].add((min(a, b), max(a, b)))
    rng.shuffle(items)
    span = timedelta(days=2.5) / len(items)
    base_part = [PARTS[_holdout(group)] for group in base_groups]
    return EvalSet(
        texts=[text for text, _, _ in items],
        bases=[index for _, index, _ in items],
        times=[START + span * position for position in range(len(items))],
        parts=[base_part[index] for _, index, _ in items],
        models=[model for _, _, model in items],
        n_bases=len(base_texts),
        left_out=left_out,
        hard_negatives=negatives,
        base_part=base_part,
    )


_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def _apply(rng: random.Random, edits: dict[str, Callable[[random.Random, str], str]], text: str) -> str:
    for name in first_generator._repost(rng, edits, text):
        text = edits[name](rng, text)
    return text


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def score(labelled: EvalSet, stories: Sequence[int], part: str) -> PartScores:
    """Pairwise precision and recall over the items of one part, left-out pairs not counted."""
    keep = [i for i, p in enumerate(labelled.parts) if p == part]
    bases = [labelled.bases[i] for i in keep]
    predicted_stories = [stories[i] for i in keep]
    cells = Counter(zip(predicted_stories, bases, strict=True))
    per_base = Counter(bases)
    correct = sum(_pairs(count) for count in cells.values())
    predicted = sum(_pairs(count) for count in Counter(predicted_stories).values())
    true = sum(_pairs(count) for count in per_base.values())
    members: dict[int, Counter[int]] = {}
    for (story, base_index), count in cells.items():
        members.setdefault(base_index, Counter())[story] = count

    def together(a: int, b: int) -> int:
        if a not in members or b not in members:
            return 0
        return sum(count * members[b][story] for story, count in members[a].items())

    left_together: dict[str, int] = {}
    counted: set[tuple[int, int]] = set()
    for reason, pairs in labelled.left_out.items():
        fresh = pairs - counted
        counted |= fresh
        left_together[reason] = sum(together(a, b) for a, b in fresh)
    predicted -= sum(left_together.values())
    merges = {
        kind: sum(1 for a, b in pairs if together(a, b)) for kind, pairs in labelled.hard_negatives.items()
    }
    origin_story: dict[int, set[int]] = {}
    for i in keep:
        if not labelled.models[i]:
            origin_story.setdefault(labelled.bases[i], set()).add(stories[i])
    joined: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for i in keep:
        model = labelled.models[i]
        if model and labelled.bases[i] in origin_story:
            total[model] += 1
            joined[model] += stories[i] in origin_story[labelled.bases[i]]
    return PartScores(
        part=part,
        precision=correct / predicted if predicted else 1.0,
        recall=correct / true if true else 1.0,
        true_pairs=true,
        predicted_pairs=predicted,
        correct_pairs=correct,
        hard_negative_merges=merges,
        left_out_together=left_together,
        joined_by_model={model: joined[model] / total[model] for model in sorted(total)},
    )


@dataclass
class Run:
    """Canonical texts, signatures and story keys of a set's items, and the wall/CPU seconds of
    each stage (canonical, signatures, assign_many)."""

    texts: list[str]
    sigs: Any
    stories: list[int]
    seconds: dict[str, tuple[float, float]]


def run(labelled: EvalSet, *, batch: int = 1000, window: timedelta = timedelta(days=7)) -> Run:
    """The near-duplicate step over the set in arrival order, as ingestion runs it: per batch,
    canonical texts through the index's learnt frame lines, signatures, ``assign_many``, then the
    frame lines learn where the batch's posts went."""
    import time

    import numpy as np

    from tabyin.monitor.pipeline.fingerprint import signatures
    from tabyin.monitor.pipeline.index import NearDupIndex

    index = NearDupIndex(window)
    texts: list[str] = []
    parts: list[Any] = []
    stories: list[int] = []
    clocks = np.zeros((3, 2))  # canonical, signatures, assign_many: wall, CPU seconds

    def lap(stage: int, since: tuple[float, float]) -> tuple[float, float]:
        now = (time.perf_counter(), time.process_time())
        clocks[stage] += (now[0] - since[0], now[1] - since[1])
        return now

    for start in range(0, len(labelled.texts), batch):
        clock = (time.perf_counter(), time.process_time())
        canonical_texts = [index.frames.canonical(text) for text in labelled.texts[start : start + batch]]
        clock = lap(0, clock)
        sigs = signatures(canonical_texts)
        clock = lap(1, clock)
        keys = [key for key, _ in index.assign_many(sigs, labelled.times[start : start + batch])]
        clock = lap(2, clock)
        index.frames.learn(keys)
        lap(0, clock)
        texts += canonical_texts
        parts.append(sigs)
        stories += keys
    seconds = {
        stage: (float(wall), float(cpu))
        for stage, (wall, cpu) in zip(("canonical", "signatures", "assign_many"), clocks, strict=True)
    }
    return Run(texts, np.concatenate(parts), stories, seconds)


def random_signatures(rng: Any, count: int) -> Any:
    """``count`` well-formed signatures of distinct long texts (for memory and growth figures):
    sizes 100-400, ascending random sketches, random nonzero keys, no tags, and the prefix hashes
    of a long text (its first 2..5 words; no whole-text hash)."""
    import numpy as np

    from tabyin.monitor.pipeline.fingerprint import PREFIXES, ROW, TAGS, WIDTH, K

    out = np.zeros((count, ROW), dtype=np.uint32)
    out[:, 0] = rng.integers(100, 400, size=count)
    out[:, TAGS : TAGS + K] = np.sort(rng.integers(0, 2**32 - 1, size=(count, K), dtype=np.uint32), axis=1)
    out[:, TAGS + K : WIDTH] = rng.integers(
        1, 2**32, size=(count, WIDTH - TAGS - K), dtype=np.uint32
    ) | np.uint32(1)
    prefixes = 2 * (PREFIXES - 1)
    out[:, WIDTH : WIDTH + prefixes] = rng.integers(
        1, 2**32, size=(count, prefixes), dtype=np.uint32
    ) | np.uint32(1)
    return out
