"""Notices to the public on the web pages (ADR 0040, round 4): the section that lists a person's
notices, the "tell me on this device" button offered only with push configured, and the route the
button posts a browser's push subscription to (CSRF and a time-limited grant for one mailbox)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.utils import timezone

from tabyin.core.models import PublicMailbox
from tabyin.core.notify import public, web_public

pytestmark = [pytest.mark.django_db]
SUBSCRIPTION = {
    "endpoint": "https://push.example.org/send/abc123",
    "expirationTime": None,
    "keys": {
        "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
        "auth": "tBHItJI5svbpez7KI4CCXg",
    },
}


@pytest.fixture
def vapid(settings: Any) -> None:
    settings.TABYIN_VAPID_PRIVATE_KEY = "private-key-for-tests"
    settings.TABYIN_VAPID_PUBLIC_KEY = "BPublicKeyForTests"


def _page(client: Client) -> tuple[str, str]:
    """The CSRF token and grant of a page's push form (a tip's follow-up page here)."""
    html = client.get("/clarifications/ask/yours/").content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    grant = re.search(r'name="grant" value="([^"]+)"', html)
    assert csrf is not None and grant is not None
    return csrf.group(1), grant.group(1)


def test_without_push_configured_no_button_and_no_grant(settings: Any) -> None:
    settings.TABYIN_VAPID_PRIVATE_KEY = ""
    public.tell_public(app="monitor", ref="tip-7", key="answered-1", title="پاسخ", body="متن")
    context = web_public.page_notices(app="monitor", ref="tip-7")
    assert ([n.title for n in context["notices"]], context["push"]) == (["پاسخ"], None)


def test_with_push_configured_the_grant_names_the_mailbox(vapid: None) -> None:
    offer = web_public.push_offer(app="meetings", ref="registration-3")
    assert offer is not None
    mailbox = PublicMailbox.objects.get(app="meetings", ref="registration-3")
    assert offer["key"] == "BPublicKeyForTests"
    assert web_public.mailbox_for_grant(offer["grant"]) == mailbox
    assert web_public.mailbox_for_grant(offer["grant"][:-2] + "xx") is None
    # A grant is for push only: the same id signed for another purpose opens nothing.
    assert web_public.mailbox_for_grant(signing.dumps(mailbox.pk, salt="tabyin.monitor.tip-status")) is None
    with time_machine.travel(timezone.now() + timedelta(seconds=web_public.PUSH_GRANT_AGE + 5)):
        assert web_public.mailbox_for_grant(offer["grant"]) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (json.dumps(SUBSCRIPTION), {"endpoint": SUBSCRIPTION["endpoint"], "keys": SUBSCRIPTION["keys"]}),
        (json.dumps({**SUBSCRIPTION, "endpoint": 7}), None),
        (json.dumps({**SUBSCRIPTION, "endpoint": "https://push.example.org/" + "x" * 1000}), None),
        (json.dumps({**SUBSCRIPTION, "keys": {"p256dh": "x"}}), None),
        (json.dumps([SUBSCRIPTION]), None),
        ("{not json", None),
        ("", None),
        (json.dumps({**SUBSCRIPTION, "pad": "x" * 3000}), None),
    ],
)
def test_only_a_push_subscription_is_taken(raw: str, expected: dict[str, Any] | None) -> None:
    assert web_public.subscription_from(raw) == expected


def _tip_client() -> tuple[Client, int]:
    """A browser that sent a tip on the web form (its status token kept in a cookie)."""
    client = Client(enforce_csrf_checks=True)
    html = client.get("/clarifications/ask/").content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert csrf is not None
    sent = client.post(
        "/clarifications/ask/",
        {
            "csrfmiddlewaretoken": csrf.group(1),
            "text": "آیا مستمری‌ها از ماه آینده قطع می‌شود؟",
            "link": "",
            "contact": "",
        },
    )
    assert (sent.status_code, sent["Location"]) == (302, "/clarifications/ask/thanks/")
    from tabyin.monitor.models import Tip

    return client, Tip.objects.get().pk


def test_the_page_posts_the_subscription_with_its_grant_and_csrf(org: None, vapid: None) -> None:
    client, tip_id = _tip_client()
    csrf, grant = _page(client)
    mailbox = PublicMailbox.objects.get(app="monitor", ref=f"tip-{tip_id}")
    body = {"csrfmiddlewaretoken": csrf, "grant": grant, "subscription": json.dumps(SUBSCRIPTION)}
    # Without the CSRF token the middleware refuses before the grant is even read.
    refused = client.post("/notices/push/", {**body, "csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403
    mailbox.refresh_from_db()
    assert mailbox.push_sealed is None
    forged = client.post("/notices/push/", {**body, "grant": grant[:-2] + "xx"})
    assert (forged.status_code, json.loads(forged.content)) == (403, {"done": False})
    bad = client.post("/notices/push/", {**body, "subscription": "{}"})
    assert (bad.status_code, json.loads(bad.content)) == (400, {"done": False})
    done = client.post("/notices/push/", body)
    assert (done.status_code, done["Cache-Control"], json.loads(done.content)) == (
        200,
        "no-store",
        {"done": True},
    )
    mailbox.refresh_from_db()
    # Sealed, as the inbox API stores it: the next notice to this tip is queued for push.
    assert public._open(mailbox.pk, mailbox.push_sealed) == json.dumps(
        {"endpoint": SUBSCRIPTION["endpoint"], "keys": SUBSCRIPTION["keys"]}
    )
    assert SUBSCRIPTION["endpoint"].encode() not in bytes(mailbox.push_sealed or b"")
    assert public.channels_of(mailbox) == ["push"]
    assert client.get("/notices/push/").status_code == 405


def test_push_switched_off_after_the_page_was_drawn_is_refused(org: None, vapid: None, settings: Any) -> None:
    client, _tip_id = _tip_client()
    csrf, grant = _page(client)
    settings.TABYIN_VAPID_PRIVATE_KEY = ""
    body = {"csrfmiddlewaretoken": csrf, "grant": grant, "subscription": json.dumps(SUBSCRIPTION)}
    assert client.post("/notices/push/", body).status_code == 409


def test_a_tip_sent_on_the_web_is_followed_with_its_notices(org: None, vapid: None) -> None:
    client, tip_id = _tip_client()
    thanks = client.get("/clarifications/ask/thanks/").content.decode()
    assert 'href="/clarifications/ask/yours/"' in thanks
    page = client.get("/clarifications/ask/yours/")
    assert (page["Cache-Control"], page["X-Robots-Tag"]) == ("no-store", "noindex")
    html = page.content.decode()
    assert "رسید: در حال بررسی آن هستیم" in html
    assert "هنوز پیامی برای شما نیست." in html
    assert 'data-public-push data-key="BPublicKeyForTests"' in html
    assert "خبرم کن روی همین دستگاه" in html
    public.tell_public(
        app="monitor",
        ref=f"tip-{tip_id}",
        key="answered-1",
        title="به پرسش شما پاسخ داده شد",
        body="مستمری قطع نمی‌شود",
    )
    html = client.get("/clarifications/ask/yours/").content.decode()
    section = html[html.index('data-testid="public-notices"') :]
    assert "به پرسش شما پاسخ داده شد" in section and "مستمری قطع نمی‌شود" in section
    # Another browser, or a forged cookie, sees nothing of it.
    other = Client().get("/clarifications/ask/yours/").content.decode()
    assert "public-notices" not in other and "هر مطلب را از همان مرورگری" in other
    forged = Client()
    forged.cookies["tabyin_tip"] = "forged"
    assert "public-notices" not in forged.get("/clarifications/ask/yours/").content.decode()
