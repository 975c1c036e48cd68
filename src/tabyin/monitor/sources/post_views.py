"""The view count of one public post, read from its channel's public preview page, for other apps
(the campaigns' reach of our own posts) through core's registry (``registry.views_of_post``).

A post's address is ``https://t.me/<channel>/<id>`` or ``https://eitaa.com/<channel>/<id>``. The
preview page before the next post (``?before=<id + 1>``) lists the post with the views its page
shows: Eitaa's exact ``data-count``, Telegram's rounded "1.2K" (read as 1,200: the page says no
more). The page is the public one (``https://t.me/s/<channel>``, ``https://eitaa.com/<channel>``),
or the address of the monitor's own source for that channel when it has one (a mirror; the local
server of the tests). A request counts in the host's budget like a poll: a host over budget this
minute, a page that cannot be read, a post not on it, a post without a count, or an address of
another kind all give ``None``, "unknown", never a guess. Bale's public pages are not read by the
monitor, so Bale's posts stay unknown.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.utils import timezone

from tabyin.monitor.models import Source
from tabyin.monitor.sources import http
from tabyin.monitor.sources.services_polling import budget_take
from tabyin.monitor.sources.telegram.preview import parse_page

# host of a post's address -> (source kind, markup prefix, public preview page of a channel)
KINDS = {
    "t.me": ("telegram", "tgme", "https://t.me/s/{channel}"),
    "telegram.me": ("telegram", "tgme", "https://t.me/s/{channel}"),
    "eitaa.com": ("eitaa", "etme", "https://eitaa.com/{channel}"),
}


def _page(kind: str, channel: str, public: str) -> str:
    own = (
        Source.objects.filter(kind=kind, handle__iexact=channel)
        .exclude(url="")
        .values_list("url", flat=True)
        .first()
    )
    return own or public.format(channel=channel)


def views_of_post(url: str, *, now: datetime | None = None) -> int | None:
    parts = urlsplit(url)
    found = KINDS.get((parts.hostname or "").lower())
    path = parts.path.strip("/").split("/")
    if found is None or len(path) != 2 or not path[1].isdigit() or not path[0]:
        return None
    kind, prefix, public = found
    channel, post = path
    page = _page(kind, channel, public)
    host = (urlsplit(page).hostname or "").lower()
    if not budget_take(host, now=now or timezone.now()):
        return None
    try:
        response = http.fetch(
            f"{page}{'&' if '?' in page else '?'}before={int(post) + 1}", accept="text/html"
        )
    except http.FetchError:
        return None
    items = parse_page(response.content, kind=kind, channel=channel, prefix=prefix).items
    return next((item.views for item in items if item.post_id == post), None)
