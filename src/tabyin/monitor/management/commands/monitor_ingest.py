"""``tabyin ingest FILE.jsonl``: ingest posts from a JSON Lines file, streaming, batch by batch."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.pipeline.dates import DateWindow
from tabyin.monitor.pipeline.items import parse_item
from tabyin.monitor.pipeline.types import RawPost


class Command(BaseCommand):
    help = (
        "Ingest posts from a JSON Lines file (source, post_id, url, text, published_at, optional views "
        "and forwarded_from). Bad lines are reported with their number and skipped; a JSON summary "
        "line is printed at the end."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a .jsonl file, one post a line ('-' reads standard input)")
        parser.add_argument("--batch-size", type=int, default=1000, help="posts per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        rejected = 0
        # Dates outside this window are refused line by line (a Jalali year, a clock far ahead).
        window = DateWindow.of(settings)

        def items(lines: Iterator[str]) -> Iterator[RawPost]:
            nonlocal rejected
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    yield parse_item(json.loads(line), window=window)
                except ValueError as error:  # JSONDecodeError is a ValueError
                    rejected += 1
                    self.stderr.write(f"line {number}: {error}")

        # Django and everything loaded so far live as long as the command: keep them out of the
        # collector's full passes (ingest itself makes young passes rarer, core.collector).
        gc.freeze()
        try:
            if path == "-":
                import sys

                summary = services_ingest.ingest(items(iter(sys.stdin)), batch_size=options["batch_size"])
            else:
                with Path(path).open(encoding="utf-8", errors="strict") as handle:
                    summary = services_ingest.ingest(items(iter(handle)), batch_size=options["batch_size"])
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror or error}") from None
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text ({error.reason} at byte {error.start})") from None
        result = summary.as_dict()
        result["posts_read"] += rejected
        result["errors"] += rejected
        self.stdout.write(json.dumps(result))
