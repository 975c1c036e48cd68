"""Maps of meetings, drawn with core's province geometry (server-side SVG, no JavaScript): a
meeting's province marked on the map of Iran, and the provinces that have upcoming meetings. Each
map carries its accessible name and description; the page says the same in words (a caption, and
a table beside the list's map)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tabyin.core.display import numbers
from tabyin.core.display.geo import Marked, locator
from tabyin.core.models import OrgUnit
from tabyin.reception.meetings.models import Meeting


def _name(province: OrgUnit, language: str) -> str:
    return province.name_en if language == "en" else province.name_fa


def meeting_map(meeting: Meeting, *, language: str) -> SafeString | None:
    """The meeting's province marked on the map of Iran; ``None`` for a unit without an ISO code."""
    province = meeting.province
    if not province.iso_code:
        return None
    name = _name(province, language)
    return locator(
        [Marked(province.iso_code, _("%(province)s: the meeting is here") % {"province": name})],
        title=_("Map: %(province)s province") % {"province": name},
        desc=_("%(province)s province is marked on the map of Iran's provinces.") % {"province": name},
        language=language,
        chart_id="meeting-map",
    )


@dataclass(frozen=True)
class ProvinceMeetings:
    province: OrgUnit
    meetings: int
    first: datetime


def by_province(meetings: list[Meeting]) -> list[ProvinceMeetings]:
    """Upcoming meetings per province, the province with the soonest meeting first."""
    rows: dict[int, ProvinceMeetings] = {}
    for meeting in meetings:
        row = rows.get(meeting.province_id)
        if row is None:
            rows[meeting.province_id] = ProvinceMeetings(meeting.province, 1, meeting.starts_at)
        else:
            rows[meeting.province_id] = ProvinceMeetings(
                row.province, row.meetings + 1, min(row.first, meeting.starts_at)
            )
    return sorted(rows.values(), key=lambda r: (r.first, r.province.code))


def index_map(rows: list[ProvinceMeetings], *, language: str) -> SafeString | None:
    """The provinces with upcoming meetings marked; ``None`` when there are none."""
    marked = [
        Marked(
            r.province.iso_code,
            _("%(province)s: %(n)s upcoming meetings")
            % {"province": _name(r.province, language), "n": numbers.format_number(r.meetings, language)},
        )
        for r in rows
        if r.province.iso_code
    ]
    if not marked:
        return None
    names = "، ".join(_name(r.province, language) for r in rows)
    return locator(
        marked,
        title=_("Map: provinces with upcoming meetings"),
        desc=_("Marked on the map of Iran's provinces: %(names)s.") % {"names": names},
        language=language,
        chart_id="meetings-map",
    )
