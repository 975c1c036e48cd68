"""The story list and the story page (staff/monitor/stories/…). Thin: selectors scope (404 for a
story outside the viewer's scope, 403 without monitoring rights) and read; charts and network draw."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tabyin.core.decorators import staff_required
from tabyin.core.http import page_language, staff_user
from tabyin.core.scoping import scope_for
from tabyin.monitor import permissions
from tabyin.monitor.dashboard import charts, network, selectors_story
from tabyin.monitor.dashboard import selectors as selectors_dashboard
from tabyin.monitor.dashboard.forms import StoryFilterForm
from tabyin.monitor.enums import ResponseStatus, Sentiment
from tabyin.monitor.queries import selectors_relevance


def _url(name: str, pk: int) -> str:
    """Pages other helpers own may not be wired yet: the link is left out then."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


@never_cache
@staff_required
def stories(request: HttpRequest) -> HttpResponse:
    scope = scope_for(staff_user(request))
    provinces, queries = selectors_dashboard.filter_choices(scope)
    form = StoryFilterForm(
        request.GET or None, provinces=provinces, queries=queries, language=page_language()
    )
    page, rows = selectors_story.stories_page(
        scope=scope,
        filters=form.filters(),
        now=timezone.now(),
        page=request.GET.get("page", 1),
        rumors_only=form.rumors_only(),
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "monitor/staff/stories.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": params.urlencode(),
            "statuses": dict(ResponseStatus.choices),
        },
    )


@never_cache
@staff_required
def story(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(staff_user(request))
    found = selectors_story.story_or_404(scope=scope, pk=pk)
    now = timezone.now()
    lang = page_language()
    spread = selectors_story.spread_of(found, now=now)
    answer = selectors_story.answer_of(found)
    evidence = selectors_story.network_evidence(found, list(spread.first_seen), now=now)
    series = [charts.Series(_("This story"), spread.cumulative, "rumor")]
    marker = None
    if answer is not None:
        series.append(charts.Series(_("Our answer"), answer.cumulative, "answer"))
        marker = (answer.published_at, _("Answer published"))
    chart = charts.spread(
        series,
        title=_("Channels reached over time"),
        desc=_(
            "Cumulative number of channels that carried the story and, in the second line, our answer, "
            "in Tehran time. The figures are in the tables below."
        )
        if answer
        else _(
            "Cumulative number of channels that carried the story, in Tehran time. "
            "The figures are in the table below."
        ),
        language=lang,
        marker=marker,
    )
    can_correct = permissions.can_triage(scope) and bool(_url("monitor:correct", 0))
    timeline = selectors_story.timeline(found)
    origin = [found.origin_post] if found.origin_post else []
    texts = selectors_relevance.highlighted(timeline.posts + origin)
    return render(
        request,
        "monitor/staff/story.html",
        {
            "story": found,
            "response": selectors_story.response_of(found),
            "timeline": timeline,
            "timeline_rows": [(p, texts[p.pk]) for p in timeline.posts],
            "origin_text": texts.get(found.origin_post_id or 0, ""),
            "relevance": selectors_relevance.story_relevance(found),
            "spread": spread,
            "answer": answer,
            "chart": chart,
            "net": network.story_network(evidence, spread.first_seen),
            # Rumor answers are handled at HQ: a provincial officer gets no link to a refusal.
            "response_url": _url("monitor:response", found.pk)
            if permissions.may_open(scope, "response")
            else "",
            "can_correct": can_correct,
            "sentiments": Sentiment.choices,
            "statuses": dict(ResponseStatus.choices),
        },
    )
