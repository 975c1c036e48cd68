"""Telegram through a logged-in account (Telethon), for channels that need minute-level freshness
or have no web preview. Optional: it needs the ``telegram-account`` extra (``pip install
tabyin[telegram-account]``) and ``TABYIN_TELETHON_API_ID``/``TABYIN_TELETHON_API_HASH``, and a
session file authorised once by a person (``<data dir>/telethon/tabyin.session``). Telethon is
imported only when this adapter runs, so nobody else pays for it.

``to_raw_post`` maps a Telethon ``Message`` to a ``RawPost``; it reads only plain attributes, so
the tests use stand-in objects with the same attributes.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from tabyin.monitor.pipeline.types import RawPost
from tabyin.monitor.sources import http
from tabyin.monitor.sources.base import Adapter, FetchResult, SourceState

PAGE_LIMIT = 200


def load_telethon() -> Any:
    """The telethon package, or a ``FetchError`` that says what to install or set."""
    if not settings.TABYIN_TELETHON_API_ID or not settings.TABYIN_TELETHON_API_HASH:
        raise http.FetchError(
            "config",
            detail=_(
                "The Telegram account adapter is off: set TABYIN_TELETHON_API_ID and "
                "TABYIN_TELETHON_API_HASH."
            ),
        )
    try:
        return importlib.import_module("telethon")
    except ImportError as error:
        raise http.FetchError(
            "config",
            detail=_(
                "The Telegram account adapter needs the telegram-account extra: "
                "pip install 'tabyin[telegram-account]'."
            ),
        ) from error


def to_raw_post(message: Any, *, channel: str, usernames: Mapping[int, str] | None = None) -> RawPost | None:
    """A Telethon ``Message`` as an item; None for a message without text (photo, service).

    ``usernames`` maps channel ids to usernames: a forward header names the original channel by
    id only, and the forward key needs its username ("telegram:<username>/<post id>").
    """
    text = (getattr(message, "message", None) or "").strip()
    if not text:
        return None
    date: datetime = message.date
    if date.tzinfo is None:
        date = date.replace(tzinfo=UTC)
    forwarded_from = ""
    header = getattr(message, "fwd_from", None)
    if header is not None:
        peer = getattr(header, "from_id", None)
        channel_id = getattr(peer, "channel_id", None)
        post = getattr(header, "channel_post", None)
        username = (usernames or {}).get(channel_id) if channel_id is not None else None
        if username and post:
            forwarded_from = f"telegram:{username}/{post}"
    return RawPost(
        source=f"telegram:{channel}",
        post_id=str(message.id),
        text=text,
        published_at=date.astimezone(UTC),
        url=f"https://t.me/{channel}/{message.id}",
        views=getattr(message, "views", None),
        forwarded_from=forwarded_from,
        edited=getattr(message, "edit_date", None) is not None,
    )


class TelethonAdapter(Adapter):
    kind = "telegram"

    def fetch(self, state: SourceState) -> FetchResult:
        telethon = load_telethon()
        return asyncio.run(self._fetch(telethon, state))

    async def _fetch(self, telethon: Any, state: SourceState) -> FetchResult:
        session = settings.DATA_DIR / "telethon" / "tabyin"
        client = telethon.TelegramClient(
            str(session), settings.TABYIN_TELETHON_API_ID, settings.TABYIN_TELETHON_API_HASH
        )
        await client.connect()
        try:
            if not await client.is_user_authorized():
                raise http.FetchError(
                    "config", detail=_("The Telegram account session is not logged in yet.")
                )
            min_id = int(state.cursor) if state.cursor.isdigit() else 0
            messages = [m async for m in client.iter_messages(state.handle, limit=PAGE_LIMIT, min_id=min_id)]
            usernames: dict[int, str] = {}
            for message in messages:
                peer = getattr(getattr(message, "fwd_from", None), "from_id", None)
                channel_id = getattr(peer, "channel_id", None)
                if channel_id is not None and channel_id not in usernames:
                    entity = await client.get_entity(peer)
                    usernames[channel_id] = getattr(entity, "username", None) or ""
        finally:
            await client.disconnect()
        items = [
            item
            for message in reversed(messages)
            if (item := to_raw_post(message, channel=state.handle, usernames=usernames)) is not None
        ]
        newest = max([m.id for m in messages] + [min_id])
        return FetchResult(items=items, http_status=None, cursor=str(newest) if newest else state.cursor)
