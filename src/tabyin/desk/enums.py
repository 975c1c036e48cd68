"""The desk's vocabulary: what a unit may ask PR for, the states a request moves through (in
order) and the service level of each kind, counted in working hours."""

from __future__ import annotations

from typing import Final

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    NEWS = "news", _("News item")
    COVERAGE = "coverage", _("Photo or video coverage of an event")
    INFOGRAPHIC = "infographic", _("Infographic")
    CAMPAIGN = "campaign", _("Campaign")
    PRESS = "press", _("Response to the press")
    SOCIAL = "social", _("Social-media post")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for PR")
    NEEDS_INFO = "needs_info", _("More information asked")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", pgettext_lazy("desk", "Delivered")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")


# The only moves a request makes; anything else is refused ("out of order").
NEXT: Final[dict[str, tuple[str, ...]]] = {
    State.SUBMITTED: (State.NEEDS_INFO, State.ACCEPTED, State.DECLINED),
    State.NEEDS_INFO: (State.SUBMITTED, State.DECLINED),
    State.ACCEPTED: (State.IN_PROGRESS,),
    State.IN_PROGRESS: (State.DELIVERED,),
    State.DELIVERED: (State.CLOSED,),
    State.CLOSED: (),
    State.DECLINED: (),
}
# Still PR's to do: a due time that passes makes them overdue.
OPEN: Final = (State.SUBMITTED, State.ACCEPTED, State.IN_PROGRESS)
# The board's columns, in the order a request moves.
BOARD: Final = (
    State.SUBMITTED,
    State.NEEDS_INFO,
    State.ACCEPTED,
    State.IN_PROGRESS,
    State.DELIVERED,
    State.CLOSED,
    State.DECLINED,
)

# Working hours (Saturday–Wednesday 7 h, Thursday 4.5 h or none): (first response, delivery).
# A press response is a same-day matter; a campaign needs weeks of planning.
SERVICE_LEVELS: Final[dict[str, tuple[int, int]]] = {
    Kind.NEWS: (4, 14),
    Kind.COVERAGE: (4, 21),
    Kind.INFOGRAPHIC: (7, 35),
    Kind.CAMPAIGN: (14, 105),
    Kind.PRESS: (2, 7),
    Kind.SOCIAL: (4, 7),
}
