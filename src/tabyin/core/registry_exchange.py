"""What apps exchange through core's registry about messages and the public: key messages, the
monitored coverage of an announcement, "was this clear?" answers, tipline questions, published
series by province and key-message figures.

The records only; ``core.registry`` holds the registry and re-exports every name here. None carries
a person's contact: these cross app boundaries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from tabyin.core.models import User
from tabyin.core.registry_site import Text


@dataclass(frozen=True)
class KeyMessageRef:
    """A sentence an app wants people to take away (a campaign's key message), offered so that
    another app (reception) can measure how much of it reached people (pull-through).
    ``key`` is stable ("campaigns:12"); ``context`` names where it comes from (the campaign)."""

    key: str
    text: str
    context: Text


@dataclass(frozen=True)
class CoverageQuery:
    """What coverage an announcement asks for: the posts of a monitored story (``story_key``), or
    the posts naming any of ``terms`` (one term can be several words), published in
    ``[start, end)``; ``province_ids`` limits them to sources of those provinces (``None``: all)."""

    start: datetime
    end: datetime
    story_key: int | None = None
    terms: tuple[str, ...] = ()
    province_ids: frozenset[int] | None = None
    limit: int = 2_000


@dataclass(frozen=True)
class CoveragePost:
    """One monitored post, as another app may read it: no model crosses the app boundary.
    ``reach`` is the post's view count (``None`` unknown); ``story_key`` the story it belongs to."""

    key: str
    text: str
    published_at: datetime
    channel: str
    reach: int | None
    province_id: int | None
    story_key: int | None
    url: str = ""


@dataclass(frozen=True)
class ClarityDay:
    """The "was this clear?" answers of one public page on one day (Iran time), as another app may
    read them: counts only, nothing about the readers. ``key`` is stable ("portal:indicator:12");
    ``province_id`` is the page's province when the page is about one (``None``: national)."""

    key: str
    title: str
    url: str
    province_id: int | None
    day: date
    clear: int
    unclear: int


TipState = Literal["pending", "answering", "answered", "closed"]


@dataclass(frozen=True)
class TipQuery:
    """Which tipline questions another app asks for: sent in ``[start, end)``; ``province_ids``
    keeps those that concern these provinces (``None``: all), newest first, at most ``limit``."""

    start: datetime
    end: datetime
    province_ids: frozenset[int] | None = None
    limit: int = 500


@dataclass(frozen=True)
class TipQuestion:
    """A question a member of the public sent to the tipline, as another app may read it: the text
    and what was done about it, never the sender's contact. ``key`` is stable ("monitor:tip:12");
    ``story_key`` the monitored story it joined; ``state`` is ``pending`` (nobody answered yet),
    ``answering`` (an answer is drafted or in review), ``answered`` (published at ``answer_url``)
    or ``closed`` (closed without an answer); ``province_ids`` the provinces it concerns (by the
    monitor's own rule), empty when it names none."""

    key: str
    text: str
    asked_at: datetime
    state: TipState
    story_key: int | None = None
    answer_url: str = ""
    province_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class SeriesRef:
    """A published monthly series by province that another app may take as its own figures (a
    campaign's outcome): ``key`` is stable ("portal:main-insured")."""

    key: str
    label: Text
    unit: Text = ""


@dataclass(frozen=True)
class SeriesSource:
    """``catalog()`` lists the series; ``values(key, first, last)`` gives (province ISO code, the
    Gregorian first day of the Jalali month, value) for the months whose first day is in
    ``[first, last]``: published figures only, no suppressed or empty one."""

    catalog: Callable[[], list[SeriesRef]]
    values: Callable[[str, date, date], list[tuple[str, date, float]]]


@dataclass(frozen=True)
class KeyMessageFigures:
    """How much of one key message reached people, measured by another app (reception) over the
    monitored coverage: ``coverage`` posts were read, ``carried`` of them carry it, ``distorted``
    carry it wrongly; ``url`` is the measuring app's page of it."""

    key: str
    coverage: int
    carried: int
    distorted: int
    url: str = ""

    @property
    def pull_through(self) -> float | None:
        return self.carried / self.coverage if self.coverage else None

    @property
    def fidelity(self) -> float | None:
        return (self.carried - self.distorted) / self.carried if self.carried else None


@dataclass(frozen=True)
class ApprovedMessage:
    """A message another app has already approved under its own four-eyes rule (the monitor's
    answer to a rumor), for the owned channels. ``origin_key`` names it once and for all: handing
    the same key again sends nothing new."""

    origin_key: str
    title: str
    text: str
    link: str
    approved_by: User
    approved_at: datetime
    channels: tuple[str, ...]
    # Where the approval was given, for the audit log (e.g. "the monitor's review").
    approved_in: str = ""


@dataclass(frozen=True)
class ChannelDelivery:
    """One channel's deliveries of a released message: sent, waiting (for a retry) or failed."""

    channel: str
    label: str
    sent: int
    pending: int
    failed: int
    last_error: str
    sent_at: datetime | None


@dataclass(frozen=True)
class OutboxState:
    url: str
    channels: tuple[ChannelDelivery, ...]
