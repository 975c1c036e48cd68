"""Browser push for notices to the public, in a real Chromium (ADR 0040, round 4): a push message
delivered to the service worker (through DevTools, as the push service would) shows a Persian
notification with the site's icon, a click opens only this site's pages, and the "tell me on this
device" button under a tip's notices subscribes and the server keeps the subscription, sealed.

Chromium without a network has no push service to subscribe at (Google's): the subscribe test
replaces ``PushManager.subscribe`` in the page with one that answers a fixed subscription, so what is
tested is everything on either side of the push service: the page's script, the permission asked,
the post with its CSRF token and grant, and the sealed row."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tabyin.core.models import PublicMailbox
from tabyin.core.notify import public
from tabyin.monitor.models import Tip
from tests.browser.axe import violations
from tests.browser.conftest import RecordingPage, _page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SUBSCRIPTION = {
    "endpoint": "https://push.example.org/send/abc123",
    "expirationTime": None,
    "keys": {
        "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u",
        "auth": "tBHItJI5svbpez7KI4CCXg",
    },
}
# Stands in for the push service the browser would reach (see the module's note).
FAKE_SUBSCRIBE = """
window.__subscribed = [];
if (window.PushManager) {
  PushManager.prototype.getSubscription = function () { return Promise.resolve(null); };
  PushManager.prototype.subscribe = function (options) {
    var asked = { userVisibleOnly: options.userVisibleOnly, key: options.applicationServerKey.byteLength };
    window.__subscribed.push(asked);
    var sub = SUBSCRIPTION;
    return Promise.resolve({ toJSON: function () { return sub; } });
  };
}
""".replace("SUBSCRIPTION", json.dumps(SUBSCRIPTION))


@pytest.fixture
def phone(browser: Browser) -> Iterator[RecordingPage]:
    yield from _page(
        browser,
        viewport={"width": 390, "height": 800},
        device_scale_factor=2,
        is_mobile=True,
        locale="fa-IR",
        service_workers="allow",
    )


def _controlled(page: Page) -> None:
    page.evaluate("() => navigator.serviceWorker.ready")
    if not page.evaluate("() => !!navigator.serviceWorker.controller"):
        page.reload()
    assert page.evaluate("() => !!navigator.serviceWorker.controller")


def _send_tip(page: Page, base: str) -> Tip:
    page.goto(base + "/clarifications/ask/")
    page.fill("textarea[name='text']", "آیا مستمری بازنشستگان از ماه آینده قطع می‌شود؟")
    page.locator("form[data-draft='tip'] button[type='submit']").click()
    page.wait_for_url("**/clarifications/ask/thanks/")
    return Tip.objects.get()


def test_a_push_message_shows_a_persian_notification_that_opens_only_this_site(
    live_server: LiveServer, phone: RecordingPage
) -> None:
    page, base = phone.page, live_server.url
    page.context.grant_permissions(["notifications"], origin=base)
    page.goto(base + "/")
    _controlled(page)
    session = page.context.new_cdp_session(page)
    found: list[dict[str, Any]] = []
    session.on("ServiceWorker.workerRegistrationUpdated", lambda event: found.extend(event["registrations"]))
    session.send("ServiceWorker.enable")
    for _ in range(50):
        if found:
            break
        page.wait_for_timeout(100)  # lets Playwright take the DevTools events
    assert found, "the worker registration was not reported"
    registration = next(r for r in found if r["scopeURL"] == base + "/")
    payload = {"title": "به پرسش شما پاسخ داده شد", "body": "مستمری قطع نمی‌شود", "url": "/clarifications/"}
    session.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": base + "/", "registrationId": registration["registrationId"], "data": json.dumps(payload)},
    )
    shown = page.evaluate(
        """() => new Promise(async (resolve) => {
             const registration = await navigator.serviceWorker.ready;
             for (let i = 0; i < 50; i++) {
               const found = await registration.getNotifications();
               if (found.length) { return resolve(found.map(n => ({title: n.title, body: n.body, dir: n.dir,
                 lang: n.lang, icon: n.icon, badge: n.badge, data: n.data}))); }
               await new Promise(r => setTimeout(r, 100));
             }
             resolve([]);
           })"""
    )
    assert len(shown) == 1
    icon, badge = shown[0].pop("icon"), shown[0].pop("badge")
    assert shown == [
        {
            "title": "به پرسش شما پاسخ داده شد",
            "body": "مستمری قطع نمی‌شود",
            "dir": "rtl",
            "lang": "fa",
            "data": {"url": "/clarifications/"},
        }
    ]
    assert icon.startswith(base + "/static/tabyin/icons/icon-192.") and icon.endswith(".png")
    assert badge.startswith(base + "/static/tabyin/icons/icon-96.")
    # What a click opens, decided in the worker: this site's address, never another site's.
    worker = page.context.service_workers[0]
    opened = worker.evaluate(
        """() => [sameOrigin("/clarifications/"), sameOrigin("https://evil.example/x"),
                  sameOrigin("//evil.example/x"), sameOrigin("javascript:alert(1)"), sameOrigin(undefined)]"""
    )
    assert opened == [base + "/clarifications/", base + "/", base + "/", base + "/", base + "/"]
    # A push that is not the server's JSON still shows something (the browser requires it).
    bare = worker.evaluate("() => pushNotice(null)")
    assert (bare["title"], bare["options"]["body"], bare["options"]["dir"]) == ("تبیین", "", "rtl")


def test_the_button_under_a_tips_notices_subscribes_this_device(
    live_server: LiveServer, phone: RecordingPage, org: None, settings: Any
) -> None:
    page, base = phone.page, live_server.url
    settings.TABYIN_VAPID_PRIVATE_KEY = "private-key-for-tests"
    settings.TABYIN_VAPID_PUBLIC_KEY = (
        "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
    )
    page.context.grant_permissions(["notifications"], origin=base)
    page.add_init_script(FAKE_SUBSCRIBE)
    page.goto(base + "/")
    _controlled(page)
    tip = _send_tip(page, base)
    page.get_by_role("link", name="پیگیری آنچه فرستادید").click()
    public.tell_public(
        app="monitor",
        ref=f"tip-{tip.pk}",
        key="answered-1",
        title="به پرسش شما پاسخ داده شد",
        body="مستمری قطع نمی‌شود",
    )
    page.reload()
    expect(page.get_by_test_id("public-notices")).to_contain_text("مستمری قطع نمی‌شود")
    button = page.get_by_role("button", name="خبرم کن روی همین دستگاه")
    expect(button).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("notices-tip-follow-390")
    assert violations(page) == []
    button.click()
    expect(page.locator("[data-push-status]")).to_have_text(
        "انجام شد: پیام‌های مربوط به این موضوع روی همین دستگاه هم می‌رسد."
    )
    phone.shot("notices-tip-subscribed-390")
    # The page asked with the server's key (65 bytes, an uncompressed P-256 point) for visible pushes.
    assert page.evaluate("() => window.__subscribed") == [{"userVisibleOnly": True, "key": 65}]
    mailbox = PublicMailbox.objects.get(app="monitor", ref=f"tip-{tip.pk}")
    assert json.loads(public._open(mailbox.pk, mailbox.push_sealed)) == {
        "endpoint": SUBSCRIPTION["endpoint"],
        "keys": SUBSCRIPTION["keys"],
    }
    assert public.channels_of(mailbox) == ["push"]


def test_without_a_vapid_key_or_javascript_there_is_no_button(
    live_server: LiveServer, browser: Browser, org: None, settings: Any
) -> None:
    base = live_server.url
    settings.TABYIN_VAPID_PRIVATE_KEY = ""
    for phone in _page(browser, viewport={"width": 390, "height": 800}, locale="fa-IR"):
        _send_tip(phone.page, base)
        phone.page.goto(base + "/clarifications/ask/yours/")
        expect(phone.page.get_by_test_id("public-notices")).to_contain_text("هنوز پیامی برای شما نیست.")
        assert phone.page.locator("form[data-public-push]").count() == 0
    settings.TABYIN_VAPID_PRIVATE_KEY = "private-key-for-tests"
    settings.TABYIN_VAPID_PUBLIC_KEY = "BPublicKeyForTests"
    for phone in _page(
        browser, viewport={"width": 390, "height": 800}, locale="fa-IR", java_script_enabled=False
    ):
        Tip.objects.all().delete()
        _send_tip(phone.page, base)
        phone.page.goto(base + "/clarifications/ask/yours/")
        assert phone.page.locator("form[data-public-push]").count() == 1
        expect(phone.page.get_by_role("button", name="خبرم کن روی همین دستگاه")).to_be_hidden()


def test_a_registration_and_an_idea_show_their_notices_and_the_button_at_390(
    live_server: LiveServer, phone: RecordingPage, hq_analyst: Any, settings: Any
) -> None:
    from tabyin.ideas.entries import notices
    from tabyin.ideas.entries.services import Draft, entry_submit
    from tabyin.reception.meetings import services as meetings
    from tests.ideas.helpers import IDEA, make_challenge, verified
    from tests.reception.test_api_meetings import _code, open_meeting

    settings.TABYIN_VAPID_PRIVATE_KEY = "private-key-for-tests"
    settings.TABYIN_VAPID_PUBLIC_KEY = "BPublicKeyForTests"
    page, base = phone.page, live_server.url
    meeting = open_meeting(hq_analyst, capacity=3)
    started = meetings.registration_start(meeting=meeting, name="مریم", kind="phone", contact="09121112233")
    meetings.registration_confirm(registration=started, code=_code("+989121112233"))
    page.goto(f"{base}/meetings/registration/{started.token}/")
    expect(page.get_by_test_id("public-notices")).to_contain_text(f"جای شما در «{meeting.title}»")
    expect(page.get_by_role("button", name="خبرم کن روی همین دستگاه")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("notices-registration-390")
    assert violations(page) == []

    challenge = make_challenge()
    entry, token = entry_submit(
        challenge=challenge,
        author=verified("author", "09124445566"),
        draft=Draft(title=str(IDEA["title"]), body=str(IDEA["body"]), category=str(IDEA["category"])),
    )
    notices.queue([(entry, "ورودی شما «نوبت پیامکی» بررسی شد: پذیرفته شد.")], step="screened-accepted")
    notices.send(list(entry.notices.values_list("pk", flat=True)))
    page.goto(f"{base}/ideas/follow/{token}/")
    expect(page.get_by_test_id("public-notices")).to_contain_text("خبری دربارهٔ ورودی شما «نوبت پیامکی»")
    expect(page.get_by_role("button", name="خبرم کن روی همین دستگاه")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("notices-idea-follow-390")
    assert violations(page) == []
