"""Reading entries: the public list of a challenge, the author's follow-up, similar ideas."""

from __future__ import annotations

from datetime import datetime

from django.core.cache import caches
from django.db.models import Count, Q, QuerySet

from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries import similarity
from tabyin.ideas.entries.enums import PUBLIC_STATUSES
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.entries.tokens import follow_hash

# Similar-idea search reads at most this many of a challenge's latest entries per request.
SIMILAR_WINDOW = 2000


def public_entries(challenge: Challenge) -> QuerySet[Entry]:
    """Screened entries with their count of supports (flagged supports are not counted)."""
    return (
        Entry.objects.filter(challenge=challenge, status__in=PUBLIC_STATUSES)
        .annotate(support_count=Count("supports", filter=Q(supports__flagged=False)))
        .select_related("province")
        .order_by("-support_count", "pk")
    )


def public_entry(challenge: Challenge, entry_id: int) -> Entry | None:
    return public_entries(challenge).filter(pk=entry_id).first()


def entry_by_follow(token: str) -> Entry | None:
    if not token or len(token) > 64:
        return None
    return (
        Entry.objects.select_related("challenge", "province", "duplicate_of")
        .prefetch_related("files", "versions")
        .filter(follow_hash=follow_hash(token))
        .first()
    )


def similar_entries(
    challenge: Challenge, text: str, *, exclude: int | None = None
) -> list[tuple[Entry, float]]:
    """Entries of this challenge that read like ``text`` (screened ones and those still waiting;
    refused ones are not suggested), best first."""
    rows = (
        Entry.objects.filter(challenge=challenge)
        .exclude(status__in=("rejected",))
        .exclude(pk=exclude or 0)
        .order_by("-pk")
        .values_list("pk", "title", "body")[:SIMILAR_WINDOW]
    )
    found = similarity.most_similar(text, ((pk, f"{title}\n{body}") for pk, title, body in rows))
    entries = Entry.objects.in_bulk([pk for pk, _ in found])
    return [(entries[pk], score) for pk, score in found]


def duplicate_clusters(challenge: Challenge) -> list[list[Entry]]:
    rows = list(Entry.objects.filter(challenge=challenge).order_by("pk").values_list("pk", "title", "body"))
    groups = similarity.clusters([(pk, f"{title}\n{body}") for pk, title, body in rows])
    entries = Entry.objects.in_bulk([pk for group in groups for pk in group])
    return [[entries[pk] for pk in group] for group in groups]


# The live suggestions while an author types: at most this many questions a minute per author
# (the script asks at most about one a second after a pause), and only this much text is read.
LIVE_PER_MINUTE = 30
LIVE_TEXT_MAX = 4000
LIVE_TEXT_MIN = 12


def live_allowed(author_hash: str, now: datetime) -> bool:
    """Count one live question for this author in the current minute; false once over the limit.
    A throttle, not a record: kept in the cache, never in the database."""
    cache = caches["default"]
    key = f"ideas-similar:{author_hash}:{int(now.timestamp()) // 60}"
    if cache.add(key, 1, timeout=120):
        return True
    try:
        return int(cache.incr(key)) <= LIVE_PER_MINUTE
    except ValueError:  # expired between add and incr: a new minute
        cache.add(key, 1, timeout=120)
        return True
