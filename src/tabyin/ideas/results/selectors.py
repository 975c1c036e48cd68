"""Reading the implementation trackers (public) and the figures for the scorecard."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries.enums import PUBLIC_STATUSES, EntryStatus
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.results.models import Announcement, Implementation, Milestone


def trackers() -> QuerySet[Implementation]:
    return (
        Implementation.objects.select_related("entry", "entry__challenge", "owner_unit")
        .prefetch_related("milestones")
        .order_by("-started_at", "pk")
    )


def tracker(entry_id: int) -> Implementation | None:
    return trackers().filter(entry_id=entry_id).first()


def _entries(start: date, end: date) -> QuerySet[Entry]:
    return Entry.objects.filter(
        created_at__date__gte=start, created_at__date__lte=end, province__isnull=False
    )


def participation(start: date, end: date) -> dict[str, Decimal]:
    """Entries sent from each province in the period."""
    counts = Counter(_entries(start, end).values_list("province__iso_code", flat=True))
    return {iso: Decimal(n) for iso, n in counts.items()}


def challenges_held(start: date, end: date) -> dict[str, Decimal]:
    """Challenges that received at least one entry from the province in the period."""
    pairs = set(_entries(start, end).values_list("province__iso_code", "challenge_id"))
    counts = Counter(iso for iso, _challenge in pairs)
    return {iso: Decimal(n) for iso, n in counts.items()}


def implemented_share(start: date, end: date) -> dict[str, Decimal]:
    """Of a province's screened ideas sent in the period, the share carried out (or being)."""
    rows = _entries(start, end).filter(status__in=PUBLIC_STATUSES).values_list("province__iso_code", "status")
    total: Counter[str] = Counter()
    done: Counter[str] = Counter()
    for iso, status in rows:
        total[iso] += 1
        done[iso] += status in (EntryStatus.IMPLEMENTING, EntryStatus.IMPLEMENTED)
    return {iso: (Decimal(done[iso]) / Decimal(n)).quantize(Decimal("0.0001")) for iso, n in total.items()}


@dataclass(frozen=True)
class Announced:
    announcement: Announcement
    winners: list[tuple[int, Entry]]  # (computed rank, entry) in the order announced


def announced(challenge: Challenge) -> Announced | None:
    row = Announcement.objects.filter(challenge=challenge).first()
    if row is None:
        return None
    entries = Entry.objects.in_bulk([int(r["entry"]) for r in row.ranks])
    return Announced(
        row, [(int(r["rank"]), entries[int(r["entry"])]) for r in row.ranks if int(r["entry"]) in entries]
    )


def tracker_for_staff(entry_id: int) -> Implementation | None:
    return trackers().filter(entry_id=entry_id).first()


def evidence_of(entry_id: int, milestone_id: int) -> Milestone | None:
    """A done milestone's evidence file, public like its tracker."""
    return (
        Milestone.objects.filter(pk=milestone_id, implementation__entry_id=entry_id, done_on__isnull=False)
        .exclude(evidence_file="")
        .first()
    )
