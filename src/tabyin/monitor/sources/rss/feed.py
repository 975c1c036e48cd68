"""RSS and Atom feeds of news sites, read with feedparser after a conditional GET.

A 304 answer to ``If-None-Match``/``If-Modified-Since`` is "not modified" (nothing parsed, nothing
stored). An item's text is its title and its summary as plain text; the article page itself is
read only when staff paste its link (``sources.web``), so a poll costs one request per feed.

An item's date is read from the text the feed wrote (``pipeline.dates``: RFC 822, ISO 8601, Jalali
with Persian or ASCII digits, Persian month names; Tehran time when no offset is written), and only
when that fails from feedparser's own reading, which takes any Jalali year for a Gregorian one. An
unreadable, missing or unbelievable date makes the item "date unknown" with the raw text kept.
"""

from __future__ import annotations

from datetime import UTC, datetime
from time import struct_time
from typing import Any

import feedparser  # ships no type hints
from django.conf import settings
from selectolax.lexbor import LexborHTMLParser

from tabyin.monitor.pipeline.dates import DEFAULT_WINDOW, DateWindow, read_date
from tabyin.monitor.pipeline.types import RawPost
from tabyin.monitor.sources import http
from tabyin.monitor.sources.base import Adapter, FetchResult, SourceState

ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"


class RssAdapter(Adapter):
    kind = "rss"

    def fetch(self, state: SourceState) -> FetchResult:
        response = http.fetch(state.url, etag=state.etag, last_modified=state.last_modified, accept=ACCEPT)
        if response.status == 304:
            return FetchResult(
                http_status=304, not_modified=True, etag=state.etag, last_modified=state.last_modified
            )
        try:
            items, title = parse(
                response.content,
                source=state.key,
                content_type=response.content_type,
                window=DateWindow.of(settings),
            )
        except http.FetchError as error:
            error.status = error.params["status"] = response.status
            raise
        return FetchResult(
            items=items,
            http_status=response.status,
            etag=response.etag,
            last_modified=response.last_modified,
            source_name=title,
        )


def parse(
    content: bytes,
    *,
    source: str,
    content_type: str = "",
    now: datetime | None = None,
    window: DateWindow = DEFAULT_WINDOW,
) -> tuple[list[RawPost], str]:
    """Items and title of a feed; ``FetchError`` when the bytes are not a readable feed. ``now`` is
    the fetch time, an undated item's stand-in time."""
    now = now or datetime.now(UTC)
    headers = {"content-type": content_type} if content_type else {}
    parsed: Any = feedparser.parse(content, response_headers=headers)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries:
        head = content[:2048].lower()
        if b"<html" in head or b"<!doctype html" in head:
            raise http.FetchError("not_a_feed", raw=content, content_type=content_type)
        if problem is not None or not parsed.get("version"):
            detail = str(problem)[:200] if problem is not None else "no <rss>, <feed> or <rdf> element"
            raise http.FetchError("invalid_feed", raw=content, content_type=content_type, detail=detail)
    if isinstance(problem, feedparser.CharacterEncodingOverride | feedparser.CharacterEncodingUnknown):
        # feedparser fell back to another encoding: the texts would be mojibake, not Persian.
        raise http.FetchError(
            "encoding", raw=content, content_type=content_type, encoding=parsed.get("encoding", "?")
        )
    title = plain(parsed.feed.get("title", ""))
    items = []
    for entry in parsed.entries:
        text = "\n".join(
            part for part in (plain(entry.get("title", "")), plain(entry.get("summary", ""))) if part
        )
        post_id = entry.get("id") or entry.get("link") or ""
        if not text or not post_id:
            continue
        # (Asking for "updated" when only "published" exists gets feedparser's deprecated fallback.)
        field = "published" if entry.get("published") or "updated" not in entry else "updated"
        dated = read_date(
            entry.get(field), now=now, window=window, parsed=_when(entry.get(f"{field}_parsed"))
        )
        items.append(
            RawPost(
                source=source,
                post_id=str(post_id)[:191],
                text=text,
                published_at=dated.at,
                url=str(entry.get("link", "")),
                source_name=title,
                date_unknown=dated.unknown,
                date_raw=dated.raw,
            )
        )
    return items, title


def plain(html: str) -> str:
    """Text of an HTML fragment (feed summaries carry markup), paragraphs as lines."""
    if "<" not in html:
        return html.strip()
    tree = LexborHTMLParser(f"<div>{html}</div>")
    root = tree.css_first("div")
    if root is None:
        return ""
    for br in root.css("br"):
        br.replace_with("\n")
    for block in root.css("p, li, div"):
        block.insert_after("\n")
    lines = (line.strip() for line in root.text(deep=True).splitlines())
    return "\n".join(line for line in lines if line)


def _when(value: struct_time | None) -> datetime | None:
    return None if value is None else datetime(*value[:6], tzinfo=UTC)
