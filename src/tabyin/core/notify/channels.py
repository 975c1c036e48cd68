"""The outside channels of notices to the public: SMS, Bale's send-to-phone service, browser push.

Each ``send_*`` takes the plain address (opened from the mailbox's seal just before) and returns
``Sent(ok, result)``: the provider's message id when accepted, a short reason otherwise (kept in the
ledger, never containing a key or the address). None raises for a refused or unreachable message.
``configured()`` names the channels this server can use; with none, notices reach the inbox only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from tabyin.core import sms
from tabyin.core.notify import bot, push_target

SAFIR_PATH = "/api/v3/send_message"


@dataclass(frozen=True)
class Sent:
    ok: bool
    result: str
    # A failure that no retry can mend (an endpoint the server must not reach, a subscription the
    # push service says is gone): failed at once.
    final: bool = False


def configured() -> set[str]:
    found = set()
    if settings.TABYIN_PUBLIC_SMS:
        found.add("sms")
    if settings.TABYIN_BALE_SAFIR_KEY and settings.TABYIN_BALE_SAFIR_BOT_ID:
        found.add("bale")
    if settings.TABYIN_VAPID_PRIVATE_KEY and settings.TABYIN_VAPID_PUBLIC_KEY:
        found.add("push")
    return found


def send_sms(phone: str, text: str, *, request_id: str) -> Sent:
    """Through core's SMS backend; the same ``request_id`` on a retry (a provider that honours it
    sends once)."""
    answer = sms.send(phone, text, idempotency_key=request_id)
    return Sent(True, answer.message_id[:200]) if answer.ok else Sent(False, answer.error[:200])


def send_bale(phone: str, text: str, *, request_id: str) -> Sent:
    """Bale's Safir: ``POST {base}/api/v3/send_message`` with the organization's ``api-access-key``
    header and ``{"request_id", "bot_id", "phone_number": "98…", "message_data": {"message":
    {"text"}}}``; Safir does not send a ``request_id`` it has seen twice. A 2xx answer is accepted
    (its ``message_id``, when given, is kept); anything else is a failure with its status."""
    import httpx

    number = sms.normalize_ir(phone).removeprefix("+")
    payload = {
        "request_id": request_id,
        "bot_id": settings.TABYIN_BALE_SAFIR_BOT_ID,
        "phone_number": number,
        "message_data": {"message": {"text": text[: bot.MAX_TEXT]}},
    }
    try:
        response = bot.shared_client(bot.TIMEOUT).post(
            f"{settings.TABYIN_BALE_SAFIR_API_BASE}{SAFIR_PATH}",
            json=payload,
            headers={"api-access-key": settings.TABYIN_BALE_SAFIR_KEY},
        )
    except httpx.HTTPError as error:
        return Sent(False, f"Safir not reached: {type(error).__name__}")
    try:
        answer: Any = response.json()
    except ValueError:
        answer = {}
    if not 200 <= response.status_code < 300:
        reason = answer.get("message") or answer.get("error") or "" if isinstance(answer, dict) else ""
        return Sent(False, f"Safir refused (HTTP {response.status_code}) {reason}".strip()[:200])
    found = answer.get("message_id", "") if isinstance(answer, dict) else ""
    return Sent(True, str(found)[:200])


def send_push(subscription: dict[str, Any], text: str, *, title: str, url: str) -> Sent:
    """A Web Push message (RFC 8030, encrypted per RFC 8291, signed with VAPID per RFC 8292) to a
    browser's subscription, through pywebpush (the ``push`` extra). A push service that says the
    subscription is gone (404, 410) is a final failure, for which the caller drops the
    subscription. An endpoint that is not https or whose host resolves to a private, loopback,
    link-local, multicast or reserved address is not connected to at all (``push_target``): a
    final failure."""
    refused = push_target.address_refusal(str(subscription.get("endpoint", "")))
    if refused:
        return Sent(False, refused, final=True)
    try:
        from pywebpush import WebPushException, webpush
    except ImportError:
        return Sent(False, "pywebpush is not installed (the push extra)")
    data = json.dumps({"title": title, "body": text, "url": url}, ensure_ascii=False)
    try:
        response = webpush(
            subscription_info=subscription,
            data=data,
            vapid_private_key=settings.TABYIN_VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.TABYIN_VAPID_SUBJECT},
            ttl=24 * 3600,
            timeout=bot.TIMEOUT,
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else 0
        # 404/410: the browser unsubscribed; no retry can reach it again.
        return Sent(False, f"push service refused (HTTP {status})", final=status in (404, 410))
    except (OSError, ValueError) as error:
        return Sent(False, f"push service not reached: {type(error).__name__}")
    status = getattr(response, "status_code", 0)
    return Sent(True, f"HTTP {status}")
