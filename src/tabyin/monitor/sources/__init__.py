"""Media sources: the feature (adding, pasting, polling) above the adapters it drives.

The feature's layers are ``views``/``tasks`` → ``forms`` → ``services`` (adding and pasting) →
``services_polling`` (the 10-second round) → ``selectors``. Below them sit the adapters, HTTP and
parsing only, no models (see ``base`` for the contract): one folder per source type, each with
its adapter and the real-format ``samples/`` its tests read: ``rss`` (news sites' feeds),
``telegram`` (t.me/s web preview), ``eitaa`` (eitaa.com preview), ``web`` (one article page, used
for staff pastes), ``telethon`` (Telegram through a logged-in account, optional).
"""

from __future__ import annotations

from tabyin.monitor.sources.base import Adapter, FetchResult, SourceState
from tabyin.monitor.sources.eitaa.channel import EitaaAdapter
from tabyin.monitor.sources.http import FetchError
from tabyin.monitor.sources.rss.feed import RssAdapter
from tabyin.monitor.sources.telegram.preview import TelegramAdapter
from tabyin.monitor.sources.telethon.account import TelethonAdapter
from tabyin.monitor.sources.web.article import WebAdapter

__all__ = ["Adapter", "FetchError", "FetchResult", "SourceState", "adapter_for"]


def adapter_for(kind: str, *, via_account: bool = False) -> Adapter:
    """The adapter of a source kind. A Telegram source marked ``via_account`` goes through the
    logged-in account (it says what is missing when that is not set up)."""
    if kind == "telegram" and via_account:
        return TelethonAdapter()
    adapters: dict[str, type[Adapter]] = {
        "rss": RssAdapter,
        "telegram": TelegramAdapter,
        "eitaa": EitaaAdapter,
        "web": WebAdapter,
    }
    if kind not in adapters:
        raise FetchError("config", detail=f"no adapter reads sources of kind {kind!r}")
    return adapters[kind]()
