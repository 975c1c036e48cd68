"""The tipline's status token for client apps: a tip's number signed with the server's secret, so
a sender can follow their tip without an account and nothing new is stored (ADR 0039).

The web tipline answers by e-mail once; an app has no e-mail to give, so it keeps this token and
asks for the status. The token opens only the tip's public state (received, answered and where,
closed): never its text, link or contact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from django.core import signing

from tabyin.monitor.enums import ResponseStatus, TipStatus
from tabyin.monitor.models import Response, Tip

SALT: Final = "tabyin.monitor.tip-status"
# What the public is told: a tip still being looked at is "received", whether or not it has joined
# a story yet (that is staff's business).
PUBLIC_STATUS: Final = {
    TipStatus.NEW: "received",
    TipStatus.LINKED: "received",
    TipStatus.ANSWERED: "answered",
    TipStatus.CLOSED: "closed",
}


@dataclass(frozen=True)
class TipState:
    status: str
    received_at: datetime
    answer: Response | None


def token_for(tip: Tip) -> str:
    return signing.dumps({"tip": tip.pk}, salt=SALT, compress=True)


def tip_state(token: str) -> TipState | None:
    """The public state of the tip this token was given for; None for a wrong or forged token."""
    tip_id = tip_id_of(token)
    return tip_state_of(tip_id) if tip_id is not None else None


def tip_id_of(token: str) -> int | None:
    """The tip a genuine token was given for (its inbox is ``("monitor", f"tip-{id}")``)."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    tip_id = data.get("tip") if isinstance(data, dict) else None
    return tip_id if isinstance(tip_id, int) else None


def tip_state_of(tip_id: int) -> TipState | None:
    """The public state of a tip the caller knows to be the person's (a genuine token, or the tip
    this browser sent); None when it is gone."""
    tip = Tip.objects.select_related("post").filter(pk=tip_id).first()
    if tip is None:
        return None
    answer = None
    story_id = tip.post.story_id if tip.post is not None else None
    if story_id is not None:
        answer = Response.objects.filter(
            story_id=story_id, status=ResponseStatus.PUBLISHED, published_at__isnull=False
        ).first()
    # Answered as soon as the answer is public, before the e-mail round marks the tip answered.
    status = "answered" if answer is not None else PUBLIC_STATUS.get(TipStatus(tip.status), "received")
    return TipState(status=status, received_at=tip.created_at, answer=answer)
