"""The fidelity evaluation set: real Persian paraphrases, some with one injected factual change.

Tests and benchmarks only (``../shared/data/persian/exappc_paraphrase/``; nothing here, nor anything
fitted on it, goes into src/). Used by ``benchmarks/reception_fidelity.py`` and
``tests/reception/test_messages_eval.py``.

**Items.** Every ExaPPC *paraphrase* pair whose first sentence has at least one fact (a number, a
date, «فقط/همه/مشمول» or a negated verb, read by ``facts.extract``) and whose second sentence has
one we can change. The first sentence plays the key message, the second the post. Each pair gives
two items: the paraphrase as it is (**faithful**), and the paraphrase with one injected change
(**distorted**): a number changed (another value, same written form), a date changed (the day or
the month), or «فقط»↔«همه» swapped, or a verb's negation added or removed. The kind of change is
drawn with the item's own seeded generator, among the kinds its text allows.

Caveat, said aloud: a real paraphrase may itself drop or reword a fact (outlets round figures);
such an item stays "faithful" by its label, and a checker that flags it counts as a false alarm.

**Split, decided before any result was looked at:** a pair's ``group_id`` goes to the held-out part
when ``sha256("reception17 fidelity holdout " + group_id) % 100 < 30``. Rules and thresholds are
tuned on the tuning part only.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tabyin.core.persian_text import digits_to_ascii
from tabyin.reception.messages.facts import MONTHS, SCOPE_WORDS, extract

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "persian" / "exappc_paraphrase"
SEED = 17
HOLDOUT_PERCENT = 30


@dataclass(frozen=True)
class Item:
    pair_id: int
    key: str
    post: str
    distorted: bool
    change: str  # "" for faithful, else number|date|scope|negation
    heldout: bool


def data_path() -> Path:
    for candidate in (DATA, Path("/work/shared/data/persian/exappc_paraphrase")):
        if (candidate / "pairs.jsonl").exists():
            return candidate / "pairs.jsonl"
    raise FileNotFoundError("exappc_paraphrase/pairs.jsonl")


def heldout(group_id: str) -> bool:
    digest = hashlib.sha256(f"reception17 fidelity holdout {group_id}".encode()).hexdigest()
    return int(digest, 16) % 100 < HOLDOUT_PERCENT


_DIGITS = re.compile(r"[0-9۰-۹٠-٩]+")
_NEG_VERB = re.compile(r"(?<![\w\u200c])ن(می\u200c?|یست|دار|خواه|شد|کرد|باید)")
_POS_VERB = re.compile(r"(?<![\w\u200c])(می\u200c?(?=[\w])|است(?![\w\u200c])|دارد|خواهد)")


def _change_number(text: str, rng: random.Random) -> str | None:
    spans = [m for m in _DIGITS.finditer(text) if not _in_date(text, m.start())]
    if not spans:
        return None
    match = rng.choice(spans)
    digits = match.group(0)
    value = int(digits_to_ascii(digits))
    new = (
        value + rng.choice([1, 2, 3, 5, 10])
        if value < 50
        else value + max(1, value // rng.choice([4, 5, 10]))
    )
    persian = any("۰" <= c <= "۹" for c in digits)
    shown = str(new)
    if persian:
        shown = shown.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    return text[: match.start()] + shown + text[match.end() :]


def _in_date(text: str, at: int) -> bool:
    return any(f.kind == "date" and f.start <= at < f.end for f in extract(text))


def _change_date(text: str, rng: random.Random) -> str | None:
    months = [m for m in MONTHS if re.search(rf"(?<![\w]){m}(?![\w\u200c])", text)]
    if months:
        month = rng.choice(months)
        other = rng.choice([m for m in MONTHS if m not in {month, "دی"}])
        return re.sub(rf"(?<![\w]){month}(?![\w\u200c])", other, text, count=1)
    slash = re.search(r"(1[34]\d\d|[۱][۳۴][۰-۹]{2})([/])([0-9۰-۹]{1,2})", text)
    if slash:
        month = int(digits_to_ascii(slash.group(3)))
        new = str(month % 12 + 1).zfill(len(slash.group(3)))
        return text[: slash.start(3)] + new + text[slash.end(3) :]
    return None


def _change_scope(text: str, rng: random.Random) -> str | None:
    swaps = dict.fromkeys(SCOPE_WORDS["only"], "همه") | dict.fromkeys(("همه", "تمام", "تمامی", "کلیه"), "فقط")
    found = [m for m in re.finditer(r"[\w\u200c]+", text) if m.group(0) in swaps]
    if not found:
        return None
    match = rng.choice(found)
    return text[: match.start()] + swaps[match.group(0)] + text[match.end() :]


def _change_negation(text: str, rng: random.Random) -> str | None:
    negs = list(_NEG_VERB.finditer(text))
    if negs:
        match = rng.choice(negs)
        return text[: match.start()] + text[match.start() + 1 :]
    pos = list(_POS_VERB.finditer(text))
    if not pos:
        return None
    match = rng.choice(pos)
    word = match.group(0)
    new = "نیست" if word == "است" else "ن" + word
    return text[: match.start()] + new + text[match.end() :]


CHANGERS = {
    "number": _change_number,
    "date": _change_date,
    "scope": _change_scope,
    "negation": _change_negation,
}


def _pairs() -> Iterator[dict[str, object]]:
    with data_path().open(encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def build(limit: int | None = None) -> list[Item]:
    items: list[Item] = []
    for row in _pairs():
        if row["is_paraphrase"] != 1:
            continue
        held = heldout(str(row["group_id"]))
        first, second = str(row["sentence1"]), str(row["sentence2"])
        # Both directions: each sentence plays the key message once, the other the post.
        for direction, (key, post) in enumerate(((first, second), (second, first))):
            pair_id = int(str(row["id"])) * 2 + direction
            made = _items(pair_id, key, post, held)
            items.extend(made)
        if limit is not None and len(items) >= limit:
            break
    return items[:limit] if limit is not None else items


def _items(pair_id: int, key: str, post: str, held: bool) -> list[Item]:
    kinds = {f.kind for f in extract(key)}
    if not kinds & {"number", "date", "scope"}:
        return []
    rng = random.Random(SEED * 100_003 + pair_id)
    options = [
        (kind, changed) for kind, fn in CHANGERS.items() if (changed := fn(post, rng)) and changed != post
    ]
    if not options:
        return []
    kind, changed = rng.choice(options)
    return [Item(pair_id, key, post, False, "", held), Item(pair_id, key, changed, True, kind, held)]
