"""The public web pages' side of notices to the public (ADR 0040, round 4): the notices an app's
page lists for a person it has recognised, and the "tell me on this device" button.

A page that has checked the person's right to (app, ref) (a report's receipt code, a tip sent from
this browser, a registration's private address, an idea's follow-up address) shows
``inbox_of(app, ref)`` and, when push is configured, offers a browser push subscription. The page
does not embed the mailbox token: that token reads the inbox and sets the phone number for as long
as the server pepper lasts. It carries a **push grant** instead: the mailbox id signed for one
purpose with a time limit (``PUSH_GRANT_AGE``), which can only set that mailbox's push subscription,
posted with the page's CSRF token to ``core:public-push``.
"""

from __future__ import annotations

import json
from typing import Any, Final

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from tabyin.core.api import problems
from tabyin.core.models_public import PublicMailbox
from tabyin.core.notify import channels, push_target
from tabyin.core.notify import public as services

PUSH_GRANT_SALT: Final = "tabyin.public-push-grant"
# A page left open for a day can still subscribe; a grant copied out of an old page cannot.
PUSH_GRANT_AGE: Final = 24 * 3600
MAX_SUBSCRIPTION: Final = 2000


def push_offer(*, app: str, ref: str) -> dict[str, str] | None:
    """What the page needs to offer push for (app, ref): the VAPID public key and a grant; ``None``
    when this server has no push (then the page shows no button)."""
    if "push" not in channels.configured():
        return None
    mailbox = services.mailbox_of(app=app, ref=ref)
    return {
        "key": settings.TABYIN_VAPID_PUBLIC_KEY,
        "grant": signing.dumps(mailbox.pk, salt=PUSH_GRANT_SALT),
    }


def page_notices(*, app: str, ref: str) -> dict[str, Any]:
    """The template context of ``core/notify/public_notices.html``."""
    return {"notices": services.inbox_of(app=app, ref=ref), "push": push_offer(app=app, ref=ref)}


@sensitive_variables("grant")
def mailbox_for_grant(grant: str) -> PublicMailbox | None:
    try:
        mailbox_id = signing.loads(grant, salt=PUSH_GRANT_SALT, max_age=PUSH_GRANT_AGE)
    except signing.BadSignature:  # forged, or older than PUSH_GRANT_AGE (SignatureExpired)
        return None
    if not isinstance(mailbox_id, int):
        return None
    return PublicMailbox.objects.filter(pk=mailbox_id).first()


def subscription_from(raw: str) -> dict[str, Any] | None:
    """A browser's ``PushSubscription.toJSON()`` reduced to what sending needs, or ``None`` when it
    is not one: an endpoint and the two keys, nothing else kept (``push_target`` judges the endpoint)."""
    try:
        data = json.loads(raw) if 0 < len(raw) <= MAX_SUBSCRIPTION else None
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        return None
    endpoint, p256dh, auth = data.get("endpoint"), data["keys"].get("p256dh"), data["keys"].get("auth")
    if not (isinstance(endpoint, str) and isinstance(p256dh, str) and isinstance(auth, str)):
        return None
    if not (len(endpoint) <= 1000 and 0 < len(p256dh) <= 200 and 0 < len(auth) <= 100):
        return None
    return {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}


def _answer(status: int, done: bool) -> HttpResponse:
    response = JsonResponse({"done": done}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters()
@require_POST
@sensitive_variables()
def push_subscribe(request: HttpRequest) -> HttpResponse:
    """The page's button posts here (CSRF checked by the middleware): the grant names the mailbox,
    the subscription is sealed into it as ``PUT /api/v1/inbox/push`` does."""
    mailbox = mailbox_for_grant(request.POST.get("grant", ""))
    if mailbox is None:
        return _answer(403, False)
    if "push" not in channels.configured():
        return _answer(409, False)
    subscription = subscription_from(request.POST.get("subscription", ""))
    if subscription is None:
        return _answer(400, False)
    refused = push_target.endpoint_refusal(subscription["endpoint"])
    if refused:
        answer = problems.response(request, push_target.refusal_problem(refused, extra={"done": False}))
        answer["Cache-Control"] = "no-store"
        return answer
    services.push_set(mailbox=mailbox, subscription=subscription)
    return _answer(200, True)
