"""``tabyin manage monitor_train``: train the sentiment classifier on files the operator provides.

Tabyin ships no training data (only its seed lexicon). The operator points this command at data
they may use; the trained counts are stored in the database (a ``ClassifierModel`` row, made
active), never in the package.

* ``--parsinlu PATH``: JSON lines with ``review`` and ``polarity3`` (negative/neutral/positive/
  mixed), the layout of the ParsiNLU sentiment files. ``--mixed neutral`` (the default) trains
  "mixed" reviews as neutral: with only 2 % neutral reviews in that set, the model otherwise never
  learns the class; ``--mixed skip`` leaves them out.
* ``--jsonl PATH``: JSON lines with ``text`` and ``label`` (negative/neutral/positive).
* ``--corrections``: add the staff's sentiment corrections; given alone, it keeps the active
  model's base counts and retrains it from the corrections.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tabyin.monitor.ingest import services_classifier
from tabyin.monitor.pipeline.classify import LABELS


def _rows(
    path: str, text_field: str, label_field: str, aliases: dict[str, str] | None = None
) -> Iterator[tuple[str, str]]:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{path}: no such file")
    with file.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text, label = str(row[text_field]), str(row[label_field])
            except (ValueError, KeyError, TypeError) as error:
                raise CommandError(
                    f"{path}:{number}: not a JSON object with {text_field!r} and {label_field!r} ({error})"
                ) from None
            label = (aliases or {}).get(label, label)
            if label in LABELS and text.strip():
                yield text, label


class Command(BaseCommand):
    help = "Train the sentiment classifier on the given files and/or the staff's corrections."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--parsinlu", help="JSON lines with 'review' and 'polarity3'")
        parser.add_argument(
            "--mixed", choices=("neutral", "skip"), default="neutral", help="ParsiNLU 'mixed' reviews"
        )
        parser.add_argument("--jsonl", help="JSON lines with 'text' and 'label'")
        parser.add_argument("--corrections", action="store_true", help="use the staff's corrections")
        parser.add_argument("--note", default="", help="a note stored with the model")

    def handle(self, *args: Any, **options: Any) -> None:
        samples: list[tuple[str, str]] = []
        sources = []
        if options["parsinlu"]:
            aliases = {"mixed": "neutral"} if options["mixed"] == "neutral" else {}
            samples += _rows(options["parsinlu"], "review", "polarity3", aliases)
            sources.append(Path(options["parsinlu"]).name)
        if options["jsonl"]:
            samples += _rows(options["jsonl"], "text", "label")
            sources.append(Path(options["jsonl"]).name)
        if not samples and not options["corrections"]:
            raise CommandError("give --parsinlu PATH, --jsonl PATH and/or --corrections")
        if samples:
            note = options["note"] or "trained on " + ", ".join(sources)
            model = services_classifier.classifier_train(
                samples=samples, note=note, include_corrections=options["corrections"]
            )
        else:
            model = services_classifier.classifier_retrain_from_corrections()
        counts: dict[str, int] = {}
        for _text, label in samples:
            counts[label] = counts.get(label, 0) + 1
        self.stdout.write(
            f"model {model.pk} active: {model.samples} samples {json.dumps(counts, sort_keys=True)}, "
            f"{model.corrections} corrections"
        )
