"""`tabyin classify`: JSON Lines in, one ``{"id", "label", "score"}`` line out per good input line.

Pure (streams in, streams out, the model passed in), so the command needs Django only to find the
sentiment model the site uses and not at all for stance. A bad line (not UTF-8, not JSON, not an
object, a missing or mistyped field) gets ``line N: <why>`` on the error stream and the rest go on;
output lines keep the input order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import IO, Any

__all__ = ["FIELDS", "Predict", "parse_line", "run"]

# Fields each kind needs besides "id".
FIELDS: dict[str, tuple[str, ...]] = {"sentiment": ("text",), "stance": ("claim", "text")}
CHUNK = 512

# (one tuple of the kind's fields per item) → one (label, score) per item.
Predict = Callable[[Sequence[tuple[str, ...]]], list[tuple[str, float]]]


def parse_line(raw: bytes, fields: Sequence[str]) -> tuple[Any, tuple[str, ...]]:
    """(id, field values) of one input line; ValueError saying what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error.msg}, column {error.colno})") from None
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    if "id" not in obj:
        raise ValueError("id: missing")
    ident = obj["id"]
    if isinstance(ident, bool) or not isinstance(ident, (str, int)):
        raise ValueError("id: not a string or an integer")
    values = []
    for name in fields:
        value = obj.get(name)
        if not isinstance(value, str):
            raise ValueError(f"{name}: {'missing' if value is None else 'not a string'}")
        values.append(value)
    return ident, tuple(values)


def run(lines: Iterable[bytes], fields: Sequence[str], predict: Predict, out: IO[str], err: IO[str]) -> int:
    """Classify every good line (blank lines are skipped); returns how many lines were bad."""
    bad = 0
    numbered = iter(enumerate(lines, start=1))
    while chunk := list(islice(numbered, CHUNK)):
        ids: list[Any] = []
        items: list[tuple[str, ...]] = []
        for number, raw in chunk:
            if not raw.strip():
                continue
            try:
                ident, values = parse_line(raw.rstrip(b"\r\n"), fields)
            except ValueError as error:
                bad += 1
                print(f"line {number}: {error}", file=err)
                continue
            ids.append(ident)
            items.append(values)
        for ident, (label, score) in zip(ids, predict(items) if items else [], strict=True):
            out.write(json.dumps({"id": ident, "label": label, "score": score}, ensure_ascii=False) + "\n")
        out.flush()
    return bad
