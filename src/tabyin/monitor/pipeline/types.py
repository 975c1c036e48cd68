"""The values that flow between adapters, the pipeline and storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class RawPost:
    """One item as an adapter, the ingest file, a staff paste or the tipline delivers it.

    ``source`` is "<kind>:<handle>" (``telegram:akhbarefori``, ``rss:irna``). ``forwarded_from``
    is the key of the original post of a formal forward, "<kind>:<handle>/<post id>", else "".
    ``published_at`` is timezone-aware. ``date_unknown``: the source gave no readable date and
    ``published_at`` is the time it was fetched (for ordering only); ``date_raw`` is what it wrote.
    """

    source: str
    post_id: str
    text: str
    published_at: datetime
    url: str = ""
    views: int | None = None
    forwarded_from: str = ""
    edited: bool = False
    # A display name the adapter read (channel title, feed title); used when the source is new.
    source_name: str = ""
    date_unknown: bool = False
    date_raw: str = ""


def split_source(key: str) -> tuple[str, str]:
    """ "telegram:akhbarefori" -> ("telegram", "akhbarefori"); ValueError if it has no kind."""
    kind, sep, handle = key.partition(":")
    if not sep or not kind or not handle:
        raise ValueError(f"source must look like kind:handle, got {key!r}")
    return kind, handle


def split_forward(key: str) -> tuple[str, str] | None:
    """ "telegram:channel/123" -> ("telegram:channel", "123"); None if it names no post."""
    source, sep, post_id = key.rpartition("/")
    if not sep or not post_id or ":" not in source:
        return None
    return source, post_id
