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

from django.conf import settings
from selectolax.lexbor import LexborHTMLParser, LexborNode

from tabyin.core.persian_text import digits_to_ascii
from tabyin.monitor.pipeline.dates import DEFAULT_WINDOW, DateWindow, read_date
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
    # The id the page's own "older messages" link pages before, None when it has none.
    before: int | None = None

    @property
    def oldest(self) -> int | None:
        return min((int(i.post_id) for i in self.items), default=None)


def parse_views(text: str) -> int | None:
    """ "1.2K" -> 1200, "15.3M" -> 15300000, "987" -> 987, "۱٫۲ هزار" -> 1200."""
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


def _messages(tree: LexborHTMLParser, prefix: str) -> list[tuple[LexborNode, LexborNode]]:
    """(wrap, message) pairs. Telegram puts the post key on the message (``data-post``), Eitaa on
    the wrap's ``id`` (and not always a ``data-post``): both are kept to read the id from."""
    pairs = []
    for wrap in tree.css(f"div.{prefix}_widget_message_wrap"):
        message = wrap.css_first(f"div.{prefix}_widget_message")
        pairs.append((wrap, message or wrap))
    if not pairs:
        pairs = [(m, m) for m in tree.css(f"div.{prefix}_widget_message[data-post]")]
    return pairs


def _post_id(wrap: LexborNode, message: LexborNode, link: LexborNode | None) -> str:
    for value in (
        message.attributes.get("data-post"),
        wrap.attributes.get("data-post"),
        wrap.attributes.get("id"),
        link.attributes.get("href") if link is not None else None,
    ):
        candidate = (value or "").rstrip("/").rpartition("/")[2]
        if candidate.isdigit():
            return candidate
    return ""


def _is_service(message: LexborNode, prefix: str) -> bool:
    """A service message ("channel photo changed", "pinned a message"): not something published."""
    classes = (message.attributes.get("class") or "").split()
    return "service_message" in classes or message.css_first(f".{prefix}_widget_message_service") is not None


def _views(node: LexborNode | None) -> int | None:
    if node is None:
        return None
    # Eitaa gives the exact count in data-count next to the rounded «۱٫۲ هزار»; Telegram only "1.2K".
    exact = digits_to_ascii(node.attributes.get("data-count") or "")
    return int(exact) if exact.isdigit() else parse_views(node.text())


def parse_page(
    html: str | bytes,
    *,
    kind: str,
    channel: str,
    prefix: str = "tgme",
    now: datetime | None = None,
    window: DateWindow = DEFAULT_WINDOW,
) -> Page:
    """Posts of one preview page, oldest first. ``prefix`` is "tgme" (Telegram) or "etme" (Eitaa).
    Service messages and media without a caption have no text (they only move the cursor); a post
    whose time cannot be read keeps the fetch time ``now``, flagged date unknown."""
    tree = LexborHTMLParser(html)
    title = _title(tree, prefix)
    now = now or datetime.now(UTC)
    items = []
    for wrap, message in _messages(tree, prefix):
        link = message.css_first(f"a.{prefix}_widget_message_date")
        post_id = _post_id(wrap, message, link)
        if not post_id:
            continue
        meta = message.css_first(f"span.{prefix}_widget_message_meta")
        time = message.css_first(f"a.{prefix}_widget_message_date time") or message.css_first(
            "time[datetime]"
        )
        raw = (time.attributes.get("datetime") or time.text()) if time is not None else ""
        dated = read_date(raw, now=now, window=window)
        text = message.css_first(f"div.{prefix}_widget_message_bubble > div.{prefix}_widget_message_text")
        meta_text = meta.text() if meta is not None else ""
        items.append(
            RawPost(
                source=f"{kind}:{channel}",
                post_id=post_id,
                text="" if _is_service(message, prefix) else text_of(text),
                published_at=dated.at,
                url=(link.attributes.get("href") or "") if link else "",
                views=_views(message.css_first(f"span.{prefix}_widget_message_views")),
                forwarded_from=_forward(message, kind=kind, prefix=prefix),
                edited="edited" in meta_text or "ویرایش" in meta_text,
                source_name=title,
                date_unknown=dated.unknown,
                date_raw=dated.raw,
            )
        )
    items.sort(key=lambda i: int(i.post_id))
    return Page(items=items, title=title, before=_before(tree, channel))


def _before(tree: LexborHTMLParser, channel: str) -> int | None:
    """The "older messages" link: ``data-before`` of Telegram's ``a.tme_messages_more``, else a
    ``?before=<id>`` link to this channel's own page (``<link rel="prev">``, Eitaa's paging link;
    a link inside a post's text to some other page does not count)."""
    own = re.compile(
        rf"^(?:https?://[^/]+)?/(?:s/)?{re.escape(channel)}/?\?(?:.*&)?before=(\d+)", re.IGNORECASE
    )
    found = []
    for node in tree.css("[data-before], link[href*='before='], a[href*='before=']"):
        value = digits_to_ascii(node.attributes.get("data-before") or "")
        if not value.isdigit():
            match = own.match(node.attributes.get("href") or "")
            value = match[1] if match else ""
        if value.isdigit():
            found.append(int(value))
    return min(found, default=None)


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
        window = DateWindow.of(settings)
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
            page = parse_page(
                response.content, kind=self.kind, channel=state.handle, prefix=self.prefix, window=window
            )
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
            # The page's own link says where older posts start; the oldest id read is the fallback.
            before = page.before if page.before is not None and page.before <= oldest else oldest
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
