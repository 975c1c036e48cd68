"""Reading challenges for the public pages and the scorecard's figures."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core.calendar.days import bounds
from tabyin.core.registry import CalendarEvent, EventKind
from tabyin.ideas.challenges.enums import Phase
from tabyin.ideas.challenges.models import Challenge


def public_challenges() -> QuerySet[Challenge]:
    """Published challenges: a draft is seen by the organizers only."""
    return Challenge.objects.filter(is_draft=False)


def challenge_by_slug(slug: str) -> Challenge | None:
    return public_challenges().filter(slug=slug).first()


def phase_of(challenge: Challenge) -> Phase:
    return challenge.phase_at(timezone.now())


def timeline(challenge: Challenge) -> list[tuple[Phase, object, object, bool]]:
    """(phase, start, end, is current) for the page's phase list, in order."""
    current = phase_of(challenge)
    rows = [
        (Phase.SUBMISSION, challenge.submission_opens, challenge.submission_closes),
        (Phase.MODERATION, challenge.submission_closes, challenge.moderation_closes),
        (Phase.SUPPORT, challenge.moderation_closes, challenge.support_closes),
        (Phase.JURY, challenge.support_closes, challenge.jury_closes),
        (Phase.RESULTS, challenge.results_at, None),
    ]
    return [(phase, start, end, phase == current) for phase, start, end in rows]


def calendar_events(first: date, last: date) -> list[CalendarEvent]:
    """The staff calendar's challenge dates: each phase's boundary in the range (national; the
    challenges and their dates are public, so every staff member sees them)."""
    start, end = bounds(first, last)
    moments = (
        ("submission_opens", _("Submissions open: %(title)s")),
        ("submission_closes", _("Submissions close: %(title)s")),
        ("moderation_closes", _("Screening ends: %(title)s")),
        ("support_closes", _("Public support ends: %(title)s")),
        ("jury_closes", _("Jury review ends: %(title)s")),
        ("results_at", _("Results announced: %(title)s")),
    )
    near = Q()
    for field, _label in moments:
        near |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
    events = []
    for challenge in Challenge.objects.filter(near).order_by("submission_opens", "pk"):
        url = reverse("ideas:challenge", args=[challenge.slug])
        for field, label in moments:
            moment = getattr(challenge, field)
            if start <= moment < end:
                events.append(
                    CalendarEvent(
                        title=label % {"title": challenge.title},
                        start=moment,
                        kind=EventKind.PHASE,
                        url=url,
                        key=f"{challenge.slug}-{field}",
                    )
                )
    return events
