"""Public Telegram channels read without an account, from the web preview ``https://t.me/s/<channel>``.

The preview lists the newest ~20 posts; ``?before=<id>`` gives the page before a post. A poll reads
the newest page and, when the channel posted more than a page since the cursor, follows older
pages until it reaches the cursor or ``BACKFILL_PAGES`` (the first poll reads one page only: no
history is pulled for a channel just added). Eitaa's preview uses the same markup with ``etme_``
instead of ``tgme_`` class names, so ``sources.eitaa`` reuses ``parse_page``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tabyin.core.persian_text import digits_to_ascii
from tabyin.monitor.pipeline.types import RawPost
from tabyin.monitor.sources import http
from tabyin.monitor.sources.base import Adapter, FetchResult, SourceState

BACKFILL_PAGES = 5
_VIEWS = re.compile(r"([\d.]+)\s*([KkMm]|هزار|میلیون)?")
_SCALE = {"k": 1_000, "m": 1_000_000, "هزار": 1_000, "میلیون": 1_000_000}


@dataclass(frozen=True, slots=True)
class Page:
    items: list[RawPost]
    title: str

    @property
    def oldest(self) -> int | None:
        return min((int(i.post_id) for i in self.items), default=None)


def parse_views(text: str) -> int | None:
    """ "1.2K" -> 1200, "15.3M" -> 15300000, "987" -> 987 (Persian digits too)."""
    match = _VIEWS.search(digits_to_ascii(text).replace("٫", ".").replace(",", ""))
    if match is None or match[1].strip(".") == "":
        return None
    return round(float(match[1]) * _SCALE.get((match[2] or "").lower(), 1))


def text_of(node: LexborNode | None) -> str:
    """A message's text as the reader sees it: ``<br>`` as line breaks, links as their text."""
    if node is None:
        return ""
    copy = LexborHTMLParser(node.html or "").css_first("body > *")
    if copy is None:
        return ""
    for br in copy.css("br"):
        br.replace_with("\n")
    lines = [line.strip() for line in copy.text(deep=True).split("\n")]
    return "\n".join(lines).strip()


def parse_page(html: str | bytes, *, kind: str, channel: str, prefix: str = "tgme") -> Page:
    """Posts of one preview page, oldest first. ``prefix`` is "tgme" (Telegram) or "etme" (Eitaa)."""
    tree = LexborHTMLParser(html)
    title = _title(tree, prefix)
    items = []
    for message in tree.css(f"div.{prefix}_widget_message[data-post]"):
        post_id = (message.attributes.get("data-post") or "").rpartition("/")[2]
        meta = message.css_first(f"span.{prefix}_widget_message_meta")
        link = message.css_first(f"a.{prefix}_widget_message_date")
        time = message.css_first(f"a.{prefix}_widget_message_date time") or message.css_first(
            "time[datetime]"
        )
        views = message.css_first(f"span.{prefix}_widget_message_views")
        published = _datetime(time.attributes.get("datetime") if time else None)
        if not post_id.isdigit() or published is None:
            continue
        items.append(
            RawPost(
                source=f"{kind}:{channel}",
                post_id=post_id,
                text=text_of(message.css_first(f"div.{prefix}_widget_message_text")),
                published_at=published,
                url=(link.attributes.get("href") or "") if link else "",
                views=parse_views(views.text()) if views else None,
                forwarded_from=_forward(message, kind=kind, prefix=prefix),
                edited=meta is not None and ("edited" in meta.text() or "ویرایش" in meta.text()),
                source_name=title,
            )
        )
    items.sort(key=lambda i: int(i.post_id))
    return Page(items=items, title=title)


def _title(tree: LexborHTMLParser, prefix: str) -> str:
    header = tree.css_first(f"div.{prefix}_channel_info_header_title")
    if header is not None:
        return header.text().strip()
    meta = tree.css_first("meta[property='og:title']")
    return (meta.attributes.get("content") or "").strip() if meta is not None else ""


def _forward(message: LexborNode, *, kind: str, prefix: str) -> str:
    """ "telegram:<channel>/<id>" from the "Forwarded from" link; "" when it names no public post."""
    anchor = message.css_first(f"a.{prefix}_widget_message_forwarded_from_name")
    if anchor is None:
        return ""
    path = urlsplit(anchor.attributes.get("href") or "").path.strip("/").split("/")
    if path and path[0] == "s":
        path = path[1:]
    if len(path) >= 2 and path[0] and path[1].isdigit():
        return f"{kind}:{path[0]}/{path[1]}"
    return ""


def _datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class PreviewAdapter(Adapter):
    """Newest page, then older pages down to the cursor. Subclasses say where the preview lives."""

    prefix = "tgme"

    def page_url(self, state: SourceState) -> str:
        raise NotImplementedError

    def fetch(self, state: SourceState) -> FetchResult:
        base = self.page_url(state)
        cursor = int(state.cursor) if state.cursor.isdigit() else None
        found: dict[str, RawPost] = {}
        title = ""
        requests = 0
        before: int | None = None
        status = None
        etag = last_modified = ""
        while True:
            url = base if before is None else f"{base}{'&' if '?' in base else '?'}before={before}"
            # The newest page is asked conditionally: an unchanged channel costs a 304, not a page.
            first_page = before is None
            response = http.fetch(
                url,
                accept="text/html",
                etag=state.etag if first_page else "",
                last_modified=state.last_modified if first_page else "",
            )
            requests += 1
            status = response.status
            if status == 304:
                return FetchResult(
                    http_status=304, not_modified=True, etag=state.etag, last_modified=state.last_modified
                )
            if first_page:
                etag, last_modified = response.etag, response.last_modified
            page = parse_page(response.content, kind=self.kind, channel=state.handle, prefix=self.prefix)
            if requests == 1 and not page.items:
                raise http.FetchError(
                    "no_posts", status=status, raw=response.content, content_type=response.content_type
                )
            title = title or page.title
            found.update((i.post_id, i) for i in page.items if cursor is None or int(i.post_id) > cursor)
            oldest = page.oldest
            if (
                cursor is None
                or oldest is None
                or oldest <= cursor + 1
                or requests >= BACKFILL_PAGES
                or (before is not None and oldest >= before)
            ):
                break
            before = oldest
        # A photo without caption or a service message has no text to read, but counts for the cursor.
        items = sorted((i for i in found.values() if i.text), key=lambda i: int(i.post_id))
        newest = max([int(i) for i in found] + ([cursor] if cursor is not None else []), default=None)
        return FetchResult(
            items=items,
            http_status=status,
            etag=etag,
            last_modified=last_modified,
            cursor=str(newest) if newest is not None else state.cursor,
            source_name=title,
            requests=requests,
        )


class TelegramAdapter(PreviewAdapter):
    kind = "telegram"
    prefix = "tgme"

    def page_url(self, state: SourceState) -> str:
        # ``Source.url`` overrides the address (a mirror, or the local server of the tests).
        return state.url or f"https://t.me/s/{state.handle}"
