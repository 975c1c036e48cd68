"""The coverage of an announcement, read for other apps through core's registry (reception's key
messages): the posts of a story, or the posts naming its terms within a window; and the tipline's
questions with what was done about each.

Our own channels are left out: that the organization repeats its own message says nothing about
whether the media carried it.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from tabyin.core.persian_text import normalize
from tabyin.core.registry import CoveragePost, CoverageQuery, TipQuery, TipQuestion, TipState
from tabyin.monitor.dashboard.selectors import posts_concerning
from tabyin.monitor.enums import QueryKind, ResponseStatus, TipStatus
from tabyin.monitor.models import Match, Post, Tip


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


def _tip_state(tip: Tip) -> TipState:
    """What was done about a tip: its story's answer when there is one, else the tip's own status."""
    response = getattr(tip.post.story, "response", None) if tip.post is not None else None
    if tip.status == TipStatus.ANSWERED or (response and response.status == ResponseStatus.PUBLISHED):
        return "answered"
    if response is not None:
        return "answering"
    return "closed" if tip.status == TipStatus.CLOSED else "pending"


def tips(query: TipQuery) -> list[TipQuestion]:
    """The tipline's questions sent in ``[start, end)``, newest first, without the sender's contact.

    A tip concerns the provinces its post concerns by the monitor's own rule (``posts_concerning``:
    the source's province, or a match of a province's query); the tipline itself has no province.
    """
    found = (
        Tip.objects.filter(created_at__gte=query.start, created_at__lt=query.end)
        .select_related("post__story__response")
        .order_by("-created_at", "-pk")
    )
    if query.province_ids is not None:
        found = found.filter(post__in=Post.objects.filter(posts_concerning(query.province_ids)).values("pk"))
    found = found[: query.limit]
    post_ids = [t.post_id for t in found if t.post_id is not None]
    provinces: dict[int, set[int]] = {}
    for post_id, province_id in Match.objects.filter(
        post_id__in=post_ids, query__kind=QueryKind.PROVINCE, query__province__isnull=False
    ).values_list("post_id", "query__province_id"):
        if province_id is not None:
            provinces.setdefault(post_id, set()).add(province_id)
    for post_id, province_id in Post.objects.filter(
        pk__in=post_ids, source__province__isnull=False
    ).values_list("pk", "source__province_id"):
        if province_id is not None:
            provinces.setdefault(post_id, set()).add(province_id)
    result = []
    for tip in found:
        story = tip.post.story if tip.post is not None else None
        response = getattr(story, "response", None) if story is not None else None
        state = _tip_state(tip)
        answer_url = ""
        if state == "answered" and response is not None and response.status == ResponseStatus.PUBLISHED:
            answer_url = reverse("monitor:clarification", args=[response.pk])
        result.append(
            TipQuestion(
                key=f"monitor:tip:{tip.pk}",
                text=tip.text,
                asked_at=tip.created_at,
                state=state,
                story_key=story.key if story is not None else None,
                answer_url=answer_url,
                province_ids=frozenset(provinces.get(tip.post_id or 0, ())),
            )
        )
    return result
