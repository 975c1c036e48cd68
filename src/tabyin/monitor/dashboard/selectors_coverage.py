"""The coverage of an announcement, read for other apps through core's registry (reception's key
messages): the posts of a story, or the posts naming its terms within a window.

Our own channels are left out: that the organization repeats its own message says nothing about
whether the media carried it.
"""

from __future__ import annotations

from django.db.models import Q

from tabyin.core.persian_text import normalize
from tabyin.core.registry import CoveragePost, CoverageQuery
from tabyin.monitor.models import Post


def coverage(query: CoverageQuery) -> list[CoveragePost]:
    match = Q()
    if query.story_key is not None:
        match |= Q(story__key=query.story_key)
    for term in query.terms:
        words = normalize(term)
        if words:
            match |= Q(text__icontains=words)
    if not match:
        return []
    posts = (
        Post.objects.filter(match, published_at__gte=query.start, published_at__lt=query.end)
        .exclude(source__is_owned=True)
        .select_related("source", "story")
        .order_by("published_at", "pk")
    )
    if query.province_ids is not None:
        posts = posts.filter(source__province_id__in=query.province_ids)
    return [
        CoveragePost(
            key=f"monitor:{post.pk}",
            text=post.text,
            published_at=post.published_at,
            channel=post.source.name or post.source.handle,
            reach=post.views,
            province_id=post.source.province_id,
            story_key=post.story.key,
            url=post.url,
        )
        for post in posts[: query.limit]
    ]
