"""The staff calendar (issue 20.4): exactly which entries each persona sees in a month, the province
filter, the check against a provider's mistake, the .ics export read back with the icalendar
library, and the personal feed (secret address, kept hashed, revocable)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from django.test import Client
from django.utils import timezone, translation
from icalendar import Calendar
from lxml import html

from tabyin.campaigns.enums import MessageState, Segment
from tabyin.campaigns.outbox.models import Message
from tabyin.campaigns.plan import services as plan
from tabyin.core.calendar.days import month_of
from tabyin.core.calendar.models import FeedToken
from tabyin.core.jalali import TEHRAN, format_month
from tabyin.core.models import AuditEntry, OrgUnit, User
from tabyin.core.registry import CalendarEvent, EventKind, registry
from tabyin.ideas.challenges.models import Challenge
from tabyin.reception.meetings.enums import CommitmentStatus, MeetingState
from tabyin.reception.meetings.models import Commitment, Meeting
from tabyin.scorecard.enums import PeriodKind, PeriodState
from tabyin.scorecard.models import Framework, Period
from tests import factories
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db

AZAR_1405 = "1405-09"  # 2026-11-22 .. 2026-12-21


def at(day: int, hour: int, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=TEHRAN)


def _meeting(title: str, iso: str, start: datetime, state: str = MeetingState.OPEN) -> Meeting:
    return Meeting.objects.create(
        title=title,
        province=OrgUnit.objects.get(iso_code=iso),
        audience="pensioners",
        host="مدیرکل",
        place="سالن",
        address="خیابان",
        starts_at=start,
        ends_at=start.replace(hour=start.hour + 2),
        capacity=10,
        topics="مستمری",
        state=state,
    )


@pytest.fixture
def plans(hq_analyst: User) -> None:
    make_plans(hq_analyst)


def make_plans(hq_analyst: User) -> None:
    """Azar 1405's plans: meetings in Tehran (open, draft, cancelled) and Isfahan, a commitment
    due, two campaign messages, a scorecard deadline and a challenge's dates."""
    tehran = _meeting("نشست تهران", "IR-23", at(10, 10))
    _meeting("نشست اصفهان", "IR-10", at(12, 9))
    _meeting("پیش‌نویس تهران", "IR-23", at(14, 9), MeetingState.DRAFT)
    _meeting("نشست لغوشده", "IR-23", at(16, 9), MeetingState.CANCELLED)
    owner = OrgUnit.objects.get(iso_code="IR-23")
    Commitment.objects.create(
        meeting=tehran, text="پاسخ کتبی، با جزئیات; تا پایان ماه", owner=owner, due=date(2026, 12, 15)
    )
    Commitment.objects.create(
        meeting=tehran, text="انجام‌شده", owner=owner, due=date(2026, 12, 15), status=CommitmentStatus.DONE
    )
    campaign = plan.campaign_create(
        actor=hq_analyst,
        title="بیمهٔ اختیاری",
        aim="ثبت‌نام بیشتر",
        segments=[Segment.STUDENTS],
        starts_on=date(2026, 3, 21),
        ends_on=date(2026, 9, 22),
        outcome_name="ثبت‌نام تازه",
        treated={factories.unit("ir-23"): date(2026, 3, 21)},
        held_out=[factories.unit("ir-10")],
        key_messages=["بیمهٔ اختیاری برای دانشجویان هم هست."],
    )
    Message.objects.create(
        campaign=campaign,
        title="پیام اول",
        body="متن",
        slug="first",
        state=MessageState.APPROVED,
        send_at=at(5, 14),
    )
    Message.objects.create(campaign=campaign, title="پیام دوم", body="متن", slug="second", send_at=at(7, 9))
    Message.objects.create(
        campaign=campaign,
        title="پیام دی",
        body="متن",
        slug="later",
        send_at=datetime(2027, 1, 5, 9, tzinfo=TEHRAN),
    )
    framework = Framework.objects.create(code="f", version=1, name_fa="چارچوب", name_en="Framework", bands=[])
    Period.objects.create(
        code="1405",
        kind=PeriodKind.YEAR,
        year=1405,
        framework=framework,
        state=PeriodState.OPEN,
        entry_deadline=date(2026, 12, 20),
    )
    opens = at(1, 8)
    Challenge.objects.create(
        slug="queues",
        title="صف کمتر",
        problem="صف",
        rules="قواعد",
        rubric=[],
        submission_opens=opens,
        submission_closes=at(21, 23),
        moderation_closes=datetime(2027, 1, 1, tzinfo=TEHRAN),
        support_closes=datetime(2027, 1, 10, tzinfo=TEHRAN),
        jury_closes=datetime(2027, 1, 20, tzinfo=TEHRAN),
        results_at=datetime(2027, 1, 30, tzinfo=TEHRAN),
    )


def _agenda(client: Client, query: str = "") -> list[tuple[str, str]]:
    response = client.get(f"/en/staff/calendar/?month={AZAR_1405}{query}")
    assert response.status_code == 200
    page = html.fromstring(response.content)
    return [
        (li.xpath("string(a)"), " | ".join(s.text_content() for s in li.xpath("div/span")))
        for li in page.xpath('//*[@data-testid="cal-entry"]')
    ]


CAMPAIGN_1 = ("Campaign message: پیام اول", "14 Azar 1405, 14:00 | Campaign send | Campaigns | National")
CAMPAIGN_2 = (
    "Campaign message (awaiting approval): پیام دوم",
    "16 Azar 1405, 09:00 | Campaign send | Campaigns | National",
)
CHALLENGE = ("Submissions open: صف کمتر", "10 Azar 1405, 08:00 | Challenge phase | Jam'i-no | National")
CHALLENGE_CLOSE = (
    "Submissions close: صف کمتر",
    "30 Azar 1405, 23:00 | Challenge phase | Jam'i-no | National",
)
TEHRAN_MEETING = (
    "Public meeting: نشست تهران",
    "19 Azar 1405, 10:00 | Public meeting | Public meetings | Tehran",
)
ISFAHAN = ("Public meeting: نشست اصفهان", "21 Azar 1405, 09:00 | Public meeting | Public meetings | Isfahan")
DRAFT = ("Public meeting: پیش‌نویس تهران", "23 Azar 1405, 09:00 | Public meeting | Public meetings | Tehran")
COMMITMENT = (
    "Meeting commitment due: پاسخ کتبی، با جزئیات; تا پایان ماه",
    "24 Azar 1405 | Due | Public meetings | Tehran",
)
SCORECARD = (
    "Scorecard data due for period 1405",
    "29 Azar 1405 | Deadline | Performance scorecard | National",
)


def test_hq_analyst_sees_every_province_and_every_app(plans: None, hq_analyst: User) -> None:
    assert _agenda(verified_client(hq_analyst)) == [
        CHALLENGE,
        CAMPAIGN_1,
        CAMPAIGN_2,
        TEHRAN_MEETING,
        ISFAHAN,
        DRAFT,
        COMMITMENT,
        SCORECARD,
        CHALLENGE_CLOSE,
    ]


def test_hq_filters_by_province_keeping_national_entries(plans: None, hq_analyst: User) -> None:
    client = verified_client(hq_analyst)

    assert _agenda(client, "&province=IR-10") == [
        CHALLENGE,
        CAMPAIGN_1,
        CAMPAIGN_2,
        ISFAHAN,
        SCORECARD,
        CHALLENGE_CLOSE,
    ]
    # An unknown code is ignored rather than emptying the page.
    assert len(_agenda(client, "&province=XX-99")) == 9


def test_provincial_officer_sees_own_province_and_national_entries(plans: None, tehran_officer: User) -> None:
    client = verified_client(tehran_officer)

    # No campaigns (planned at HQ, HQ's to see); the own draft meeting, never Isfahan's meeting.
    assert _agenda(client) == [CHALLENGE, TEHRAN_MEETING, DRAFT, COMMITMENT, SCORECARD, CHALLENGE_CLOSE]
    # A province filter is an HQ tool: a provincial person's request for another is ignored.
    assert _agenda(client, "&province=IR-10") == [
        CHALLENGE,
        TEHRAN_MEETING,
        DRAFT,
        COMMITMENT,
        SCORECARD,
        CHALLENGE_CLOSE,
    ]
    page = html.fromstring(client.get(f"/en/staff/calendar/?month={AZAR_1405}").content)
    assert page.xpath('//*[@data-testid="cal-filter"]') == []


def test_provincial_admin_sees_public_meetings_only(plans: None, tehran_admin: User) -> None:
    # Not a meetings officer: no draft, and the public page of the meeting; no scorecard role.
    assert _agenda(verified_client(tehran_admin)) == [CHALLENGE, TEHRAN_MEETING, COMMITMENT, CHALLENGE_CLOSE]
    links = html.fromstring(verified_client(tehran_admin).get(f"/staff/calendar/?month={AZAR_1405}").content)
    meeting = Meeting.objects.get(title="نشست تهران")
    assert f"/meetings/{meeting.pk}/" in links.xpath('//*[@data-testid="cal-entry"]/a/@href')


@pytest.fixture
def stray_provider() -> Iterator[None]:
    """A provider that forgets to scope: it offers Isfahan's private plan to everyone."""

    def events(user: User, first: date, last: date) -> list[CalendarEvent]:
        return [
            CalendarEvent("Isfahan only", date(2026, 12, 1), EventKind.DUE, "/x/", "stray", province="IR-10")
        ]

    registry.add_calendar("stray", "Stray", events)
    yield
    del registry.calendar["stray"]


def test_a_provider_mistake_does_not_leak_another_province(
    stray_provider: None, tehran_officer: User, hq_analyst: User
) -> None:
    assert _agenda(verified_client(tehran_officer)) == []
    assert [title for title, _ in _agenda(verified_client(hq_analyst))] == ["Isfahan only"]


WEEKDAYS = ["شنبه", "یکشنبه", "دوشنبه", "سه شنبه", "چهارشنبه", "پنجشنبه", "جمعه"]


def test_month_table_is_jalali_saturday_first_in_persian(
    plans: None, hq_analyst: User, time_machine: object
) -> None:
    time_machine.move_to(at(3, 12))  # type: ignore[attr-defined]
    page = html.fromstring(verified_client(hq_analyst).get(f"/staff/calendar/?month={AZAR_1405}").content)

    assert page.xpath('string(//*[@data-testid="cal-title"])') == "آذر ۱۴۰۵"
    assert [th.text_content() for th in page.xpath('//*[@data-testid="cal-grid"]//th')] == WEEKDAYS
    rows = page.xpath('//*[@data-testid="cal-grid"]/tbody/tr')
    # 1 Azar 1405 is a Sunday (2026-11-22): one empty cell, then the 30 days, in 5 rows.
    first_row = [td.xpath("string(span)") for td in rows[0].xpath("td")]
    assert first_row == ["", "۱", "۲", "۳", "۴", "۵", "۶"]
    assert len(rows) == 5
    day_19 = rows[2].xpath("td")[5]
    assert day_19.xpath("string(span)") == "۱۹"
    assert [a.text_content() for a in day_19.xpath(".//a")] == ["نشست عمومی: نشست تهران"]
    assert [td.xpath("string(span)") for td in page.xpath('//td[@aria-current="date"]')] == ["۱۲"]


def test_bad_month_shows_this_month_with_a_message(hq_analyst: User) -> None:
    response = verified_client(hq_analyst).get("/staff/calendar/?month=1405-13", follow=True)

    assert response.status_code == 200
    page = html.fromstring(response.content)
    assert "آن ماه خوانده نشد؛ به جای آن ماه جاری نشان داده شده است." in page.text_content()
    assert page.xpath('string(//*[@data-testid="cal-title"])') == format_month(timezone.localdate())


def test_month_of_and_next_month_cross_the_year() -> None:
    esfand = month_of(date(2027, 3, 20))
    assert (esfand.code, esfand.first, esfand.last) == ("1405-12", date(2027, 2, 20), date(2027, 3, 20))
    assert esfand.shifted(1).code == "1406-01"
    assert esfand.shifted(-12).code == "1404-12"


def test_ics_export_reads_back_with_the_library(plans: None, hq_analyst: User, settings: object) -> None:
    settings.TABYIN_SITE_URL = "https://tamin.example"  # type: ignore[attr-defined]
    response = verified_client(hq_analyst).get(f"/staff/calendar/export.ics?month={AZAR_1405}&province=IR-23")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="tabyin-calendar-1405-09-IR-23.ics"'
    raw = response.content
    # RFC 5545 §3.1: CRLF line ends, no line longer than 75 octets (long lines folded).
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in raw.replace(b"\r\n", b"")
    # §3.3.11: commas and semicolons in text are escaped.
    assert "با جزئیات\\; تا".encode() in raw.replace(b"\r\n ", b"")
    calendar = Calendar.from_ical(raw)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert sorted(events) == sorted(
        [
            f"campaigns-message-{Message.objects.get(slug='first').pk}@tamin.example",
            f"campaigns-message-{Message.objects.get(slug='second').pk}@tamin.example",
            "ideas-queues-submission_closes@tamin.example",
            "ideas-queues-submission_opens@tamin.example",
            f"reception.meetings-commitment-{Commitment.objects.get(status='open').pk}@tamin.example",
            f"reception.meetings-meeting-{Meeting.objects.get(title='نشست تهران').pk}@tamin.example",
            f"reception.meetings-meeting-{Meeting.objects.get(title='پیش‌نویس تهران').pk}@tamin.example",
            "scorecard-entry-deadline-1405@tamin.example",
        ]
    )
    tehran = events[f"reception.meetings-meeting-{Meeting.objects.get(title='نشست تهران').pk}@tamin.example"]
    assert str(tehran["summary"]) == "نشست عمومی: نشست تهران"
    assert tehran.decoded("dtstart") == at(10, 10)
    assert tehran.decoded("dtend") == at(10, 12)
    assert str(tehran["url"]).startswith("https://tamin.example/staff/reception/meetings/")
    commitment = events[
        f"reception.meetings-commitment-{Commitment.objects.get(status='open').pk}@tamin.example"
    ]
    # An all-day entry: DATE values, the end exclusive (the day after).
    assert (commitment.decoded("dtstart"), commitment.decoded("dtend")) == (
        date(2026, 12, 15),
        date(2026, 12, 16),
    )
    assert str(commitment["summary"]) == "موعد تعهد نشست: پاسخ کتبی، با جزئیات; تا پایان ماه"
    assert [str(c) for c in commitment["categories"].cats] == ["due"]
    assert calendar["version"] == "2.0"


def _issue(client: Client) -> str:
    page = html.fromstring(client.post("/en/staff/calendar/feed/").content)
    address = page.xpath('string(//*[@data-testid="cal-feed-address"]/@value)')
    match = re.fullmatch(r"http://testserver/en/staff/calendar/feed/([A-Za-z0-9_-]{43})\.ics", address)
    assert match is not None, address
    return match[1]


def test_feed_address_is_secret_hashed_and_revocable(plans: None, tehran_officer: User) -> None:
    client = verified_client(tehran_officer)
    token = _issue(client)

    row = FeedToken.objects.get(user=tehran_officer)
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(FeedToken.objects.values()))
    anonymous = Client()
    feed = anonymous.get(f"/en/staff/calendar/feed/{token}.ics")
    assert feed.status_code == 200
    summaries = sorted(str(e["summary"]) for e in Calendar.from_ical(feed.content).walk("VEVENT"))
    # The feed covers a month back and a year ahead of today, so the plans' month may be outside
    # it; whatever it holds is the officer's scope (never Isfahan).
    assert "Public meeting: نشست اصفهان" not in summaries
    assert FeedToken.objects.get(user=tehran_officer).last_used_at is not None

    # A new address replaces the old one.
    second = _issue(client)
    assert anonymous.get(f"/en/staff/calendar/feed/{token}.ics").status_code == 404
    assert anonymous.get(f"/en/staff/calendar/feed/{second}.ics").status_code == 200

    # Switched off: the address stops working; the page offers to make one again.
    assert client.post("/en/staff/calendar/feed/revoke/").status_code == 302
    assert anonymous.get(f"/en/staff/calendar/feed/{second}.ics").status_code == 404
    assert not FeedToken.objects.filter(user=tehran_officer).exists()
    actions = list(
        AuditEntry.objects.filter(object_type__icontains="feed")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


def test_feed_of_a_deactivated_person_stops(tehran_officer: User) -> None:
    token = _issue(verified_client(tehran_officer))
    tehran_officer.is_active = False
    tehran_officer.save()

    assert Client().get(f"/staff/calendar/feed/{token}.ics").status_code == 404


def test_feed_shows_events_in_its_window(tehran_officer: User, time_machine: object) -> None:
    time_machine.move_to(at(3, 12))  # type: ignore[attr-defined]
    _meeting("نشست تهران", "IR-23", at(10, 10))
    token = _issue(verified_client(tehran_officer))

    feed = Client().get(f"/en/staff/calendar/feed/{token}.ics")
    assert [str(e["summary"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")] == [
        "Public meeting: نشست تهران"
    ]


def test_calendar_needs_two_factors(hq_analyst: User) -> None:
    client = Client()
    client.force_login(hq_analyst)

    assert client.get("/staff/calendar/").status_code == 302
    assert client.get("/staff/calendar/export.ics").status_code == 302
    assert client.post("/staff/calendar/feed/").status_code == 302


def test_staff_menu_links_the_calendar(hq_analyst: User) -> None:
    with translation.override("fa"):
        page = html.fromstring(verified_client(hq_analyst).get("/staff/calendar/").content)
    assert "/staff/calendar/" in page.xpath("//nav//a/@href")
