"""Core's notifications: the inbox (once per item), e-mail and the bot sent now or held for quiet
hours (Tehran time) and the daily digest, the ledger, the scan of "my work", the settings page,
and the reports app's staff e-mails going through it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation
from pytest_httpserver import HTTPServer

from tabyin.core.models import AuditEntry, InboxItem, NotifyDelivery, NotifyPreference, User
from tabyin.core.notify import services as services_notify
from tabyin.core.registry import WorkItem, registry
from tabyin.reports.notices import services as reports_notifications
from tests.conftest import verified_client

TOKEN = "123:ABC-test-token"
# 10:00 UTC is 13:30 in Tehran; 20:00 UTC is 23:30; 04:00 UTC is 07:30.
NOON = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
NIGHT = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)
MORNING = datetime(2026, 12, 8, 4, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("moment", "start", "end", "quiet"),
    [
        (time(23, 30), time(22), time(7), True),
        (time(6, 59), time(22), time(7), True),
        (time(7, 0), time(22), time(7), False),
        (time(13, 30), time(22), time(7), False),
        (time(13, 30), time(13), time(14), True),
        (time(14, 0), time(13), time(14), False),
        (time(13, 30), None, None, False),
        (time(13, 30), time(8), time(8), False),
    ],
)
def test_quiet_hours_in_tehran_wall_clock(
    moment: time, start: time | None, end: time | None, quiet: bool
) -> None:
    assert services_notify.in_quiet_hours(moment, start, end) is quiet


def _person(user: User, **choices: object) -> User:
    user.email = f"{user.username}@example.org"
    user.save(update_fields=["email"])
    NotifyPreference.objects.create(user=user, **choices)
    return user


@pytest.mark.django_db
def test_an_item_is_told_once_in_the_inbox_and_by_email_with_a_ledger_row(hq_analyst: User) -> None:
    _person(hq_analyst)

    first = services_notify.tell(user=hq_analyst, app="t", key="k1", title="Do it", url="/staff/x/", now=NOON)
    again = services_notify.tell(user=hq_analyst, app="t", key="k1", title="Do it", url="/staff/x/", now=NOON)

    assert first is not None and again is None
    assert [(m.to, m.subject) for m in mail.outbox] == [(["hq.analyst@example.org"], "Do it")]
    assert "http://testserver/staff/x/" in mail.outbox[0].body or "/staff/x/" in mail.outbox[0].body
    assert list(NotifyDelivery.objects.values_list("channel", "state", "target", "sent_at")) == [
        ("email", "sent", "hq.analyst@example.org", NOON)
    ]
    assert InboxItem.objects.filter(user=hq_analyst).count() == 1


@pytest.mark.django_db
def test_quiet_hours_hold_messages_until_they_end_then_one_message_carries_them(hq_analyst: User) -> None:
    _person(hq_analyst, quiet_from=time(22), quiet_until=time(7))
    services_notify.tell(user=hq_analyst, app="t", key="a", title="First", url="/staff/a/", now=NIGHT)
    services_notify.tell(user=hq_analyst, app="t", key="b", title="Second", url="/staff/b/", now=NIGHT)

    assert mail.outbox == []
    assert services_notify.flush(now=NIGHT) == 0
    assert services_notify.flush(now=MORNING) == 1

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "کار تازه در تبیین در انتظار شماست (۲)"  # in the site's language
    assert "First" in mail.outbox[0].body and "Second" in mail.outbox[0].body
    assert set(NotifyDelivery.objects.values_list("state", "sent_at")) == {("sent", MORNING)}
    assert services_notify.flush(now=MORNING) == 0


@pytest.mark.django_db
def test_the_digest_goes_once_a_day_at_its_hour(hq_analyst: User) -> None:
    _person(hq_analyst, digest=True, digest_hour=8)
    services_notify.tell(user=hq_analyst, app="t", key="a", title="First", url="/staff/a/", now=NIGHT)

    assert services_notify.flush(now=MORNING) == 0  # 07:30 in Tehran
    eight = datetime(2026, 12, 8, 4, 45, tzinfo=UTC)  # 08:15 in Tehran
    assert services_notify.flush(now=eight) == 1
    services_notify.tell(user=hq_analyst, app="t", key="b", title="Second", url="/staff/b/", now=eight)
    assert services_notify.flush(now=eight) == 0  # today's digest has gone; tomorrow's carries it

    assert [m.body.count("•") for m in mail.outbox] == [1]
    assert list(NotifyDelivery.objects.order_by("id").values_list("state", flat=True)) == ["sent", "held"]


@pytest.mark.django_db
def test_bot_messages_reach_a_local_bot_api_and_refusals_are_kept_without_the_token(
    hq_analyst: User, httpserver: HTTPServer
) -> None:
    _person(hq_analyst, email=False, bot=True, bot_chat_id="4242")
    httpserver.expect_oneshot_request(
        f"/bot{TOKEN}/sendMessage",
        method="POST",
        json={
            "chat_id": "4242",
            "text": "Do it\n\n• Do it\n  http://testserver/staff/x/",
            "disable_web_page_preview": True,
        },
    ).respond_with_json({"ok": True, "result": {"message_id": 7}})
    httpserver.expect_oneshot_request(f"/bot{TOKEN}/sendMessage").respond_with_json(
        {"ok": False, "description": "Bad Request: chat not found"}, status=400
    )
    with override_settings(
        TABYIN_NOTIFY_BOT_TOKEN=TOKEN,
        TABYIN_NOTIFY_BOT_API_BASE=httpserver.url_for("/").rstrip("/"),
        TABYIN_SITE_URL="http://testserver",
    ):
        services_notify.tell(user=hq_analyst, app="t", key="a", title="Do it", url="/staff/x/", now=NOON)
        services_notify.tell(user=hq_analyst, app="t", key="b", title="Again", url="/staff/y/", now=NOON)

    httpserver.check_assertions()
    assert list(NotifyDelivery.objects.order_by("id").values_list("channel", "state", "detail")) == [
        ("bot", "sent", ""),
        ("bot", "failed", "bot API refused (HTTP 400): Bad Request: chat not found"),
    ]
    assert mail.outbox == []


@pytest.mark.django_db
def test_without_a_bot_token_the_bot_is_neither_offered_nor_used(hq_analyst: User) -> None:
    _person(hq_analyst, email=False, bot=True, bot_chat_id="4242")
    services_notify.tell(user=hq_analyst, app="t", key="a", title="Do it", url="/staff/x/", now=NOON)

    assert NotifyDelivery.objects.count() == 0
    page = verified_client(hq_analyst).get("/en/staff/notifications/").content.decode()
    assert 'name="bot_chat_id"' not in page


@pytest.fixture
def offered() -> Iterator[list[WorkItem]]:
    items = [WorkItem(title="Sign the thing", url="/staff/sign/", key="sign-1")]
    registry.add_work("test", "Test app", lambda user: items if user.username == "hq.analyst" else [])
    yield items
    del registry.work["test"]


@pytest.mark.django_db
def test_the_scan_tells_each_person_of_new_work_once(
    hq_analyst: User, hq_admin: User, offered: list[WorkItem]
) -> None:
    _person(hq_analyst)

    assert services_notify.work_scan(now=NOON) == 1
    assert services_notify.work_scan(now=NOON) == 0
    offered.append(WorkItem(title="Sign another", url="/staff/sign/", key="sign-2"))
    assert services_notify.work_scan(now=NOON) == 1

    assert list(InboxItem.objects.values_list("user__username", "app", "key")) == [
        ("hq.analyst", "test", "sign-2"),
        ("hq.analyst", "test", "sign-1"),
    ]
    assert [m.subject for m in mail.outbox] == ["Sign the thing", "Sign another"]


@pytest.mark.django_db
def test_settings_page_refuses_half_quiet_hours_in_persian_keeps_the_input_and_audits_a_save(
    hq_analyst: User,
) -> None:
    client = verified_client(hq_analyst)
    with translation.override("fa"):
        refused = client.post(
            "/staff/notifications/",
            {"email": "on", "quiet_from": "22:00", "quiet_until": "", "digest_hour": "8"},
        )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "هر دو سر ساعت‌های سکوت را بدهید، یا هیچ‌کدام را." in page
    assert 'value="22:00"' in page
    assert not NotifyPreference.objects.exists()

    saved = client.post(
        "/en/staff/notifications/",
        {"email": "on", "quiet_from": "22:00", "quiet_until": "07:00", "digest": "on", "digest_hour": "9"},
    )
    assert saved.status_code == 302
    found = NotifyPreference.objects.get(user=hq_analyst)
    assert (found.quiet_from, found.quiet_until, found.digest, found.digest_hour) == (
        time(22),
        time(7),
        True,
        9,
    )
    assert AuditEntry.objects.filter(actor=hq_analyst, object_type="core.notifypreference").count() == 1


@pytest.mark.django_db
def test_reports_staff_emails_go_through_core_notifications(security_handler: User) -> None:
    _person(security_handler, quiet_from=time(0), quiet_until=time(23, 59))

    told = reports_notifications.send(users=[security_handler], event="due")

    assert told == 1
    assert mail.outbox == []  # held: the handler's quiet hours cover the whole day
    item = InboxItem.objects.get(user=security_handler)
    assert (item.app, item.title, item.url) == (
        "reports",
        "مهلت رسیدگی به گزارشی نزدیک است",
        "/en/staff/reports/",
    )
    assert NotifyDelivery.objects.get().state == "held"


@pytest.mark.django_db
def test_the_ledger_in_the_admin_is_for_national_administrators_only(
    hq_admin: User, tehran_admin: User
) -> None:
    _person(hq_admin)
    services_notify.tell(user=hq_admin, app="t", key="a", title="Do it", url="/staff/x/", now=NOON)

    national = verified_client(hq_admin).get("/en/staff/admin/core/notifydelivery/")
    provincial = verified_client(tehran_admin).get("/en/staff/admin/core/notifydelivery/")

    assert national.status_code == 200 and "hq.admin@example.org" not in national.content.decode()
    assert "hq.admin" in national.content.decode()
    assert provincial.status_code == 403
