"""Sentiment toward the organization (negative / neutral / positive, score in [-1, 1]) and rumor signals.

Two classifiers with one interface:

* ``Classifier.default()``: the seed lexicon of :mod:`.lexicon` (words we wrote), with negation
  («پرداخت نشد», «بدون تاخیر»). No training data is shipped with Tabyin.
* ``train(samples)``: multinomial naive Bayes over normalised words and word pairs, plus two
  pseudo-words counting the lexicon's positive and negative hits, so the lexicon is a prior the
  training data can weigh. The payload keeps raw counts (not probabilities), so a model retrained
  from staff corrections adds the corrections to the operator's base counts without the base texts.

Texts are read the way the matcher reads them: normalised, hamza/madda and Arabic letters folded,
ZWNJ joined («نمی‌شود» = «نمیشود»), and a detached «می»/«نمی» joined to its verb («نمی شود»).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise, repeat
from typing import Any

import numpy as np

from tabyin.monitor.pipeline import sentiment_rules, sentiment_words
from tabyin.monitor.pipeline.query import match_key

__all__ = ["LABELS", "Classifier", "Counts", "count", "rumor_cues", "rumor_signal", "tokens", "train"]

NEGATIVE, NEUTRAL, POSITIVE = "negative", "neutral", "positive"
LABELS = (NEGATIVE, NEUTRAL, POSITIVE)
PAYLOAD_VERSION = 1
# A score closer to 0 than this is "neutral": the evidence is too weak either way.
NEUTRAL_BAND = 0.2
# Log-odds are squashed with tanh(x / SCALE): 4 nats (odds ~55:1) gives a score of ~0.76.
SCALE = 4.0
# Never a word (words are letters and digits), and storable in PostgreSQL JSON (unlike a NUL).
LEX_POSITIVE, LEX_NEGATIVE, LEX_LABEL, LEX_BOTH = "#lex+", "#lex-", "#rule:", "#both"
RULE_VOTES = 10
MAX_FEATURES = 60_000
# Class balancing of the counts (1 = every class weighs as much as the largest) and Laplace smoothing.
BALANCE = 1.0
SMOOTHING = 1.0

tokens = sentiment_words.tokens


def lexicon_hits(words: Sequence[str]) -> list[float]:
    """Kept for callers of the old name: the rules' evidence in these words."""
    return sentiment_rules.evidence(" ".join(words))


def features(text: str) -> list[str]:
    words = tokens(text)
    found = list(words)
    found += [f"{a} {b}" for a, b in pairwise(words)]
    evidence = sentiment_rules.evidence(text)
    found += [LEX_POSITIVE if weight > 0 else LEX_NEGATIVE for weight in evidence]
    # The rules' verdict, and whether the text both praises and complains (what "mixed" reviews
    # and neutral reports look like), as pseudo-words the counts can weigh.
    found += [LEX_LABEL + sentiment_rules.score(evidence)[0]] * RULE_VOTES
    if any(w > 0 for w in evidence) and any(w < 0 for w in evidence):
        found += [LEX_BOTH] * RULE_VOTES
    return found


def _label(score: float) -> str:
    if score <= -NEUTRAL_BAND:
        return NEGATIVE
    if score >= NEUTRAL_BAND:
        return POSITIVE
    return NEUTRAL


@dataclass(frozen=True)
class Counts:
    """Training counts: documents per label and, per feature, its count under each of ``LABELS``."""

    docs: dict[str, int] = field(default_factory=dict)
    features: dict[str, list[int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"docs": self.docs, "features": self.features}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Counts:
        return cls(docs=dict(data["docs"]), features=dict(data["features"]))


def count(samples: Iterable[tuple[str, str]], *, weight: int = 1, min_count: int = 2) -> Counts:
    """Counts of ``(text, label)`` pairs. Features seen fewer than ``min_count`` times are dropped
    (noise and payload size); ``weight`` counts every sample that many times."""
    counts: Counter[tuple[str, int]] = Counter()
    seen: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    for text, label in samples:
        if label not in LABELS:
            raise ValueError(f"unknown label {label!r}")
        column = LABELS.index(label)
        docs[label] += weight
        for feature in features(text):
            counts[feature, column] += weight
            seen[feature] += 1
    kept = sorted((f for f, n in seen.items() if n >= min_count), key=lambda f: (-seen[f], f))[:MAX_FEATURES]
    return Counts(
        docs=dict(docs), features={f: [counts[f, column] for column in range(len(LABELS))] for f in kept}
    )


class Classifier:
    """Predicts ``(label, score)``; label is one of ``LABELS``, score in [-1, 1] (negative < 0).

    ``base`` are the counts of the operator's training files, ``corrections`` those of the staff's
    corrections; the model is their sum, and retraining replaces ``corrections`` only.
    """

    def __init__(self, base: Counts | None = None, corrections: Counts | None = None) -> None:
        self.base = base or Counts()
        self.corrections = corrections or Counts()
        docs = Counter(self.base.docs) + Counter(self.corrections.docs)
        self.labels = [label for label in LABELS if docs.get(label)]
        self._columns: list[dict[str, float]] = []
        self._log_prior: list[float] = []
        if len(self.labels) >= 2:
            self._fit(docs)

    @classmethod
    def default(cls) -> Classifier:
        return cls()

    @property
    def is_trained(self) -> bool:
        return len(self.labels) >= 2

    def _fit(self, docs: Counter[str]) -> None:
        # Laplace smoothing over the vocabulary. One {feature: log P(feature | label)} per label:
        # summing with map() over plain dicts is several times faster than numpy for ~50 features.
        columns = [LABELS.index(label) for label in self.labels]
        vocab = list(dict.fromkeys([*self.base.features, *self.corrections.features]))
        zero = [0] * len(LABELS)
        matrix = np.array(
            [
                [
                    self.base.features.get(f, zero)[c] + self.corrections.features.get(f, zero)[c]
                    for c in columns
                ]
                for f in vocab
            ],
            dtype=np.float64,
        ).reshape(len(vocab), len(columns))
        # Each class weighs as much as the largest one: a rare class's words are otherwise
        # estimated from so few tokens that the smoothing, not the words, decides.
        sizes = np.array([max(docs[label], 1) for label in self.labels], dtype=np.float64)
        matrix *= BALANCE * sizes.max() / sizes + (1 - BALANCE)
        matrix += SMOOTHING
        log_likelihood = np.log(matrix / matrix.sum(axis=0))
        self._columns = [
            dict(zip(vocab, log_likelihood[:, i].tolist(), strict=True)) for i in range(len(columns))
        ]
        # Equal priors: the training files' class balance (ParsiNLU has 2 % neutral reviews) is not
        # the balance of posts about the organization, and empirical priors all but forbid the
        # rare class.
        self._log_prior = [-math.log(len(self.labels))] * len(self.labels)

    def _log_posterior(self, text: str) -> list[float] | None:
        found = features(text)
        first = self._columns[0]
        if not any(f in first for f in found):
            return None
        return [
            prior + sum(map(column.get, found, repeat(0.0)))
            for prior, column in zip(self._log_prior, self._columns, strict=True)
        ]

    def predict(self, text: str) -> tuple[str, float]:
        if not self.is_trained:
            return sentiment_rules.predict(text)
        log_posterior = self._log_posterior(text)
        if log_posterior is None:
            return NEUTRAL, 0.0
        best = self.labels[log_posterior.index(max(log_posterior))]
        by_label = dict(zip(self.labels, log_posterior, strict=True))
        score = round(math.tanh((by_label.get(POSITIVE, 0.0) - by_label.get(NEGATIVE, 0.0)) / SCALE), 4)
        # The label is the most probable one; the score says which way and how strongly, so a
        # neutral answer keeps a (weak) sign.
        return best, score if best != NEUTRAL else round(score * NEUTRAL_BAND, 4)

    def margin(self, text: str) -> float:
        """How sure the model is, in [0, 1): 0 is a coin toss. Trained: the gap between the two
        most probable labels' log-posteriors, g / (g + 4); default: the score's distance from the
        nearest label boundary. Used to pick the posts to ask staff about (smallest first)."""
        if not self.is_trained:
            _label, score = sentiment_rules.predict(text)
            band = sentiment_rules.NEUTRAL_BAND
            return round(min(abs(score - band), abs(score + band)), 4)
        log_posterior = self._log_posterior(text)
        if log_posterior is None:
            return 0.0
        first, second = sorted(log_posterior, reverse=True)[:2]
        return round((first - second) / (first - second + SCALE), 4)

    def predict_many(self, texts: Iterable[str]) -> list[tuple[str, float]]:
        return [self.predict(text) for text in texts]

    def with_corrections(self, samples: Iterable[tuple[str, str]], *, weight: int = 5) -> Classifier:
        """The same base with these corrections (in-domain and few: each counts ``weight`` times)."""
        return Classifier(self.base, count(samples, weight=weight, min_count=1))

    def to_payload(self) -> dict[str, Any]:
        return {
            "version": PAYLOAD_VERSION,
            "kind": "naive_bayes",
            "base": self.base.as_dict(),
            "corrections": self.corrections.as_dict(),
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Classifier:
        if payload.get("version") != PAYLOAD_VERSION or payload.get("kind") != "naive_bayes":
            raise ValueError("unknown classifier payload")
        return cls(Counts.from_dict(payload["base"]), Counts.from_dict(payload["corrections"]))


def train(samples: Iterable[tuple[str, str]]) -> Classifier:
    """Naive Bayes from ``(text, label)`` pairs (labels from ``LABELS``), with the lexicon as features."""
    return Classifier(count(samples))


# --- rumor signals -------------------------------------------------------------------------------

# Cues that present an item as unverified or urge spreading it, matched on match_key(text) (ZWNJ is
# a space there and hamza/madda are folded, so the patterns are written in that form).
_CUES: dict[str, list[str]] = {
    "question": [
        r"\bایا\b[^؟?.!\n]{0,160}\b(صحت|حقیقت|واقعیت) دارد",
        r"\bایا\b[^؟?.!\n]{0,160}\b(درست|صحیح|راست) (است|هست)",
        r"\b(صحت|حقیقت|واقعیت) دارد\s*[؟?]",
        r"\bراسته\b[^؟?]{0,160}[؟?]",
    ],
    "hearsay": [
        r"\bشایعه (شده|است که)",
        r"\bشایعات\b",
        r"\bادعا (شده|می شود|کرده اند)",
        r"\bگفته می (شود|شه)\b",
        r"\bشنیده (شده|می شود)\b",
        r"\bخبر(ی)? موثق\b",
        r"\bمنابع (اگاه|غیررسمی)\b",
        r"\bدر فضای مجازی (منتشر|دست به دست)",
    ],
    "urge": [
        r"\bباور نکنید\b",
        r"\bهرچه سریع ?تر\b",
        r"\b(پخش|منتشر|ارسال|دست به دست|بازنشر) (کنید|شود|بشه)\b",
        r"\bبه اشتراک بگذارید\b",
        r"\bبرای (همه|دوستان) (بفرستید|ارسال کنید)\b",
    ],
    # A short text ending in an exclamation: the register of sensational claims (weak on its own).
    "exclamation": [r"\A.{0,280}[!‼❗]\W*\Z"],
}
_CUE_PATTERNS = {cue: re.compile("|".join(f"(?:{p})" for p in patterns)) for cue, patterns in _CUES.items()}
# A denial or a fact check is an answer to a rumor, not a rumor.
_DENIAL = re.compile(r"تکذیب|کذب|صحت ندارد|حقیقت ندارد|واقعیت ندارد|شایعه است|جعلی است|شایعه ای بیش نیست")


# Per cue, words one of which every pattern of the cue contains: most texts have none, and a few
# substring checks cost less than the regular expressions that would find nothing.
_CUE_NEEDLES: dict[str, tuple[str, ...]] = {
    "question": ("ایا", "دارد", "راسته"),
    "hearsay": ("شایع", "ادعا", "گفته می", "شنیده", "موثق", "منابع", "فضای مجازی"),
    "urge": ("باور نکنید", "هرچه سریع", "پخش", "منتشر", "ارسال", "دست به دست", "بازنشر", "اشتراک", "بفرستید"),
    "exclamation": ("!", "‼", "❗"),
}
_CUE_CHECKS = [
    (cue, re.compile("|".join(map(re.escape, _CUE_NEEDLES[cue]))), pattern)
    for cue, pattern in _CUE_PATTERNS.items()
]


def rumor_cues(text: str) -> list[str]:
    """Which rumor cues the text has: "question" («آیا … صحت دارد؟»), "hearsay" («گفته می‌شود»,
    «شایعه شده»), "urge" («فوری پخش کنید», «باور نکنید»), "exclamation" (short and ending in «!»).
    None for a denial."""
    key = match_key(text)
    found = [cue for cue, needles, pattern in _CUE_CHECKS if needles.search(key) and pattern.search(key)]
    if found and _DENIAL.search(key):
        return []
    return found


def rumor_signal(text: str) -> bool:
    """True when the text has a rumor cue: an item an analyst should look at before it spreads."""
    return bool(rumor_cues(text))
