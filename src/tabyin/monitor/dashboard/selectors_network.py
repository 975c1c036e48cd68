"""The amplifiers of one story, for the ranked list beside the network drawing (two queries).

For each channel that carried the story: its posts of the story, their reach (views, where the
platform reports them), and how many *other* stories flagged as rumors it carried: a channel that
spread several rumors is a repeat offender, whatever this story turns out to be.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Sum

from tabyin.monitor.models import Post, Source


@dataclass(frozen=True)
class Amplifier:
    rank: int
    channel: Source
    first_at: datetime
    posts: int
    reach: int | None  # summed views of its posts of the story; None when no post reports views
    other_rumors: int  # other stories flagged as rumors that this channel carried
    hostile: bool  # repeatedly amplifies negative stories (the red ring in the drawing)


def amplifiers(
    *, story_id: int, channels: dict[int, Source], first_seen: dict[int, datetime], hostile: set[int]
) -> list[Amplifier]:
    """Ranked by reach (channels without figures last), then posts, then who carried it first.
    ``first_seen`` is when each channel first carried the story, as the story page counts it."""
    rows = {
        r["source_id"]: r
        for r in Post.objects.filter(story_id=story_id)
        .values("source_id")
        .annotate(posts=Count("id"), views=Sum("views"), first=Min("published_at"))
        .order_by()
    }
    rumors = {
        r["source_id"]: r["n"]
        for r in Post.objects.filter(source_id__in=list(rows), story__is_rumor=True)
        .exclude(story_id=story_id)
        .values("source_id")
        .annotate(n=Count("story_id", distinct=True))
        .order_by()
    }
    ordered = sorted(
        (pk for pk in rows if pk in channels),
        key=lambda pk: (
            rows[pk]["views"] is None,
            -(rows[pk]["views"] or 0),
            -rows[pk]["posts"],
            rows[pk]["first"],
            pk,
        ),
    )
    return [
        Amplifier(
            rank=i,
            channel=channels[pk],
            first_at=first_seen.get(pk, rows[pk]["first"]),
            posts=rows[pk]["posts"],
            reach=rows[pk]["views"],
            other_rumors=rumors.get(pk, 0),
            hostile=pk in hostile,
        )
        for i, pk in enumerate(ordered, start=1)
    ]
