"""The one contract every media-source adapter follows.

An adapter is a small class with a ``kind`` (a value of ``enums.SourceKind``) and one method,
``fetch(state) -> FetchResult``: it turns what Tabyin remembers about a source (address or handle,
conditional-GET validators, cursor) into the items found and the new memory. It knows nothing of
the database: ``sources.services_polling`` loads the state from a ``Source`` row, calls the adapter and
writes the outcome back. A failure is raised as ``http.FetchError`` (with the raw start of the
response, for the health page); an adapter never returns a half-read result silently.

Adding a source type: one folder under ``sources/`` with the adapter module and a ``samples/``
folder of real-format payloads its tests read, and one line in ``sources/__init__.py``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

from tabyin.monitor.pipeline.types import RawPost


@dataclass(frozen=True, slots=True)
class SourceState:
    """What the poller remembers about a source between two polls."""

    kind: str
    handle: str
    url: str = ""
    etag: str = ""
    last_modified: str = ""
    # The highest post id already read (messenger channels), "" before the first poll.
    cursor: str = ""
    name: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.handle}"


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one poll found. ``not_modified`` means the server answered 304 (nothing to read)."""

    items: list[RawPost] = field(default_factory=list)
    http_status: int | None = None
    not_modified: bool = False
    etag: str = ""
    last_modified: str = ""
    cursor: str = ""
    # Title the source gives itself (feed title, channel name), to fill an empty ``Source.name``.
    source_name: str = ""
    # HTTP requests this poll sent (a backfill follows several pages): counted in the host budget.
    requests: int = 1


class Adapter(ABC):
    """Fetches one kind of source. Subclasses set ``kind`` and implement ``fetch``."""

    kind: ClassVar[str]

    @abstractmethod
    def fetch(self, state: SourceState) -> FetchResult:
        """Read the source; raise ``FetchError`` with a clear message when it cannot be read."""
