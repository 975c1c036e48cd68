"""One article page's main text, read with trafilatura (a staff member pasted its link).

trafilatura drops every non-printable character, and U+200C (ZERO WIDTH NON-JOINER) is one: "می‌شود"
would come back as "میشود", a different word for search and deduplication. So the ZWNJ is swapped
for a printable placeholder before extraction and swapped back after; a test proves it survives.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from django.conf import settings

from tabyin.monitor.pipeline.dates import DateWindow, read_date
from tabyin.monitor.pipeline.types import RawPost
from tabyin.monitor.sources import http
from tabyin.monitor.sources.base import Adapter, FetchResult, SourceState

ZWNJ = "\u200c"
# OBJECT REPLACEMENT CHARACTER: printable (kept by trafilatura), never in a news article's text.
PLACEHOLDER = "\ufffc"
_ZWNJ_ENTITY = re.compile(r"&(?:zwnj|#8204|#x200c);", re.IGNORECASE)
_PUBLISHED = re.compile(
    r"""<meta[^>]+(?:property|name)=["'](?:article:published_time|og:published_time)["'][^>]+content=["']([^"']+)""",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


def decode(content: bytes, declared: str | None) -> str:
    """The page as text: the header's charset, else the page's <meta charset>, else UTF-8."""
    encoding = declared
    if encoding is None:
        found = _META_CHARSET.search(content[:4096])
        encoding = found[1].decode("ascii") if found else "utf-8"
    try:
        return content.decode(encoding)
    except (LookupError, UnicodeDecodeError) as error:
        raise http.FetchError("encoding", raw=content, encoding=encoding) from error


def extract(html: str, *, url: str = "") -> tuple[str, str, str]:
    """(title, main text, publication date as the page writes it) of an article page, ZWNJ kept."""
    guarded = _ZWNJ_ENTITY.sub(PLACEHOLDER, html).replace(ZWNJ, PLACEHOLDER)
    document: Any = trafilatura.bare_extraction(
        guarded, url=url or None, with_metadata=True, favor_precision=True
    )
    body = str(getattr(document, "text", None) or "")
    if not body.strip():
        return "", "", ""
    title = str(getattr(document, "title", None) or "").replace(PLACEHOLDER, ZWNJ).strip()
    text = body.replace(PLACEHOLDER, ZWNJ).strip()
    # trafilatura keeps the day only; the page's own meta tag usually has the minute.
    found = _PUBLISHED.search(html)
    return title, text, found[1] if found else str(getattr(document, "date", None) or "")


def article_post(url: str, *, source: str, now: datetime | None = None) -> RawPost:
    """Fetch ``url`` and make one item of its article; ``FetchError`` if there is no text. A page
    without a readable date gives an item of unknown date at ``now`` (the paste time)."""
    response = http.fetch(url, accept="text/html,application/xhtml+xml")
    title, text, raw_date = extract(decode(response.content, response.encoding), url=response.url)
    if not text:
        raise http.FetchError(
            "no_text", status=response.status, raw=response.content, content_type=response.content_type
        )
    # The text already starts with the headline on most sites; don't say it twice.
    body = text if not title or text.startswith(title) else f"{title}\n{text}"
    dated = read_date(raw_date, now=now or datetime.now(UTC), window=DateWindow.of(settings))
    return RawPost(
        source=source,
        post_id=post_id_for(response.url),
        text=body,
        published_at=dated.at,
        url=response.url,
        source_name=urlsplit(response.url).hostname or "",
        date_unknown=dated.unknown,
        date_raw=dated.raw,
    )


def post_id_for(url: str) -> str:
    """A stable id for a link: the same article pasted twice is one item (fragment ignored)."""
    canonical = url.split("#", 1)[0].rstrip("/")
    return "link-" + hashlib.sha256(canonical.encode()).hexdigest()[:24]


class WebAdapter(Adapter):
    """A single web page as a source: its article is one item (the link of a ``web:`` source)."""

    kind = "web"

    def fetch(self, state: SourceState) -> FetchResult:
        item = article_post(state.url, source=state.key)
        return FetchResult(items=[item], http_status=200, source_name=item.source_name)
