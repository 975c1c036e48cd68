"""``tabyin stories --format jsonl``: every story with the (source, post id) of its posts, streamed,
so a clustering can be scored against a labelled set."""

from __future__ import annotations

import json
from itertools import groupby
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tabyin.monitor.models import Post


class Command(BaseCommand):
    help = 'Write one story a line: {"story_id", "key", "posts": [["telegram:x", "123"], ...]}.'

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format")

    def handle(self, *args: Any, **options: Any) -> None:
        # One pass over the posts in story order: memory holds one story at a time.
        rows = (
            Post.objects.order_by("story_id", "published_at", "id")
            .values_list("story_id", "story__key", "source__kind", "source__handle", "post_id")
            .iterator(chunk_size=5000)
        )
        for (story_id, key), posts in groupby(rows, key=lambda row: (row[0], row[1])):
            line = {"story_id": story_id, "key": key, "posts": [[f"{r[2]}:{r[3]}", r[4]] for r in posts]}
            self.stdout.write(json.dumps(line, ensure_ascii=False))
