"""Public Eitaa channels, read from the web preview ``https://eitaa.com/<channel>``.

Eitaa's preview is a copy of Telegram's with ``etme_`` class names and ``?before=<id>`` paging, so
the parser and the backfill are ``sources.telegram.preview``'s.
"""

from __future__ import annotations

from tabyin.monitor.sources.base import SourceState
from tabyin.monitor.sources.telegram.preview import PreviewAdapter


class EitaaAdapter(PreviewAdapter):
    kind = "eitaa"
    prefix = "etme"

    def page_url(self, state: SourceState) -> str:
        return state.url or f"https://eitaa.com/{state.handle}"
