"""Reading challenges for the public pages and the scorecard's figures."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

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
