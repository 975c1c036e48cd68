"""Public meetings: registration without an account (code by SMS or e-mail, any spelling of a
number is one person), seats and the waiting list, questions voted once per browser, commitments
public with their status, reminders once, contacts forgotten, provinces kept apart, figures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tabyin.core.enums import Role
from tabyin.core.models import AuditEntry, OrgUnit, User
from tabyin.core.sms import console
from tabyin.reception.meetings import selectors, services
from tabyin.reception.meetings.enums import Audience, CommitmentStatus, MeetingState, RegistrationState
from tabyin.reception.meetings.models import Meeting, MeetingQuestion, Registration
from tests import factories
from tests.conftest import verified_client
from tests.reception.polls_helpers import page_text

pytestmark = pytest.mark.django_db
WRONG = re.escape("این کد درست نیست. پیامک یا رایانامه را ببینید و دوباره بنویسید.")


@pytest.fixture(autouse=True)
def outbox() -> Iterator[list[console.Sent]]:
    console.clear()
    yield console.OUTBOX
    console.clear()


def _spec(days: int = 5, capacity: int = 2) -> services.MeetingSpec:
    start = timezone.now() + timedelta(days=days)
    return services.MeetingSpec(
        title="دیدار با مستمری‌بگیران تهران",
        audience=Audience.PENSIONERS,
        host="مدیرکل استان",
        place="تالار ادارهٔ کل",
        address="تهران، خیابان آزادی",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=capacity,
        topics="زمان واریز مستمری",
    )


def _open_meeting(actor: User, iso: str = "IR-23", capacity: int = 2) -> Meeting:
    meeting = services.meeting_create(
        actor=actor, province=OrgUnit.objects.get(iso_code=iso), spec=_spec(capacity=capacity)
    )
    return services.meeting_set_state(actor=actor, meeting=meeting, state=MeetingState.OPEN)


def _code(number: str) -> str:
    sent = console.last_to(number)
    assert sent is not None
    match = re.search(r"[۰-۹]{6}", sent.text)
    assert match is not None
    return match.group()


def _confirmed(meeting: Meeting, number: str) -> Registration:
    registration = services.registration_start(meeting=meeting, name="مریم", kind="phone", contact=number)
    return services.registration_confirm(registration=registration, code=_code(normalized(number)))


def normalized(number: str) -> str:
    return "+98" + re.sub(r"\D", "", number.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")))[-10:]


def test_a_code_by_sms_in_persian_digits_confirms_a_seat(hq_analyst: User) -> None:
    meeting = _open_meeting(hq_analyst)
    registration = services.registration_start(
        meeting=meeting, name=" مریم احمدی ", kind="phone", contact="۰۹۱۲ ۳۴۵-۶۷۸۹"
    )

    sent = console.last_to("+989123456789")
    assert sent is not None
    code = _code("+989123456789")
    assert (
        sent.text == f"کد شما برای نشست «دیدار با مستمری‌بگیران تهران»: {code}. این کد تا ۱۵ دقیقه معتبر است."
    )
    assert (registration.name, registration.contact, registration.state) == (
        "مریم احمدی",
        "+989123456789",
        "pending",
    )
    confirmed = services.registration_confirm(registration=registration, code=code)
    assert confirmed.state == RegistrationState.CONFIRMED
    assert confirmed.code_hash == ""


def test_the_same_number_in_another_spelling_is_the_same_person(hq_analyst: User) -> None:
    meeting = _open_meeting(hq_analyst)
    first = services.registration_start(meeting=meeting, name="رضا", kind="phone", contact="09123456789")

    with pytest.raises(services.AlreadyRegisteredError) as again:
        services.registration_start(meeting=meeting, name="رضا ک", kind="phone", contact="+98 912 345 6789")
    assert again.value.registration.pk == first.pk
    assert Registration.objects.count() == 1
    assert len(console.OUTBOX) == 1


def test_a_full_meeting_puts_the_next_person_on_the_waiting_list_and_a_cancelled_seat_goes_to_them(
    hq_analyst: User,
) -> None:
    meeting = _open_meeting(hq_analyst, capacity=1)
    first = _confirmed(meeting, "09120000001")
    second = _confirmed(meeting, "09120000002")
    assert (first.state, second.state) == ("confirmed", "waitlisted")
    assert selectors.waiting_position(second) == 1

    # Confirming again is a no-op: the seat is kept whatever the code.
    assert services.registration_confirm(registration=first, code="000000").state == "confirmed"

    promoted = services.registration_cancel(registration=first)
    assert promoted is not None and promoted.pk == second.pk
    second.refresh_from_db()
    assert second.state == RegistrationState.CONFIRMED
    assert selectors.seats(meeting) == selectors.Seats(capacity=1, confirmed=1, waiting=0)


def test_wrong_codes_are_counted_and_an_old_code_expires(hq_analyst: User) -> None:
    meeting = _open_meeting(hq_analyst)
    registration = services.registration_start(
        meeting=meeting, name="زهرا", kind="phone", contact="09351112233"
    )
    for _ in range(5):
        with pytest.raises(ValidationError, match=WRONG):
            services.registration_confirm(registration=registration, code="111111")
    with pytest.raises(ValidationError) as blocked:
        services.registration_confirm(registration=registration, code=_code("+989351112233"))
    assert blocked.value.code == "attempts"

    services.registration_resend(registration=registration, now=timezone.now() + timedelta(minutes=2))
    later = timezone.now() + timedelta(minutes=20)
    with pytest.raises(ValidationError) as expired:
        services.registration_confirm(registration=registration, code=_code("+989351112233"), now=later)
    assert expired.value.code == "expired"


@pytest.mark.parametrize(
    ("kind", "contact", "message"),
    [
        ("phone", "0212345678", "این شمارهٔ تلفن همراه ایرانی نیست."),
        ("email", "maryam@", "این نشانی رایانامه کامل نیست؛ مانند name@example.ir."),
    ],
)
def test_a_malformed_contact_is_refused_in_persian_and_the_name_is_kept(
    hq_analyst: User, kind: str, contact: str, message: str
) -> None:
    meeting = _open_meeting(hq_analyst)
    response = Client().post(
        reverse("reception:meeting-register", args=[meeting.pk]),
        {"name": "مریم احمدی", "kind": kind, "contact": contact},
    )

    assert response.status_code == 400
    text = page_text(response)
    assert message in text
    assert 'value="مریم احمدی"' in response.content.decode()
    assert Registration.objects.count() == 0


def test_registering_by_email_sends_the_code_by_email_and_the_page_is_private(hq_analyst: User) -> None:
    meeting = _open_meeting(hq_analyst)
    client = Client()
    response = client.post(
        reverse("reception:meeting-register", args=[meeting.pk]),
        {"name": "علی", "kind": "email", "contact": "Ali@Example.IR"},
    )
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reception:meeting-registration", args=[registration.token])
    assert [m.to for m in mail.outbox] == [["ali@example.ir"]]
    code = re.search(r"[۰-۹]{6}", mail.outbox[0].body)
    assert code is not None

    page = client.get(response["Location"])
    assert page["Cache-Control"] == "no-store"
    assert "ثبت‌نام شما دیدار با مستمری‌بگیران تهران" in page_text(page)
    assert "در انتظار کد تأیید" in page_text(page)
    # Before the code, whoever typed the address is not known to own it: no notices are shown.
    assert "پیام‌های سامانه به شما" not in page_text(page)
    done = client.post(response["Location"], {"action": "confirm", "code": code.group()})
    assert done.status_code == 302
    registration.refresh_from_db()
    assert registration.state == RegistrationState.CONFIRMED
    # After it, the page lists what the registration was told (core's ledger, ADR 0040).
    confirmed = client.get(response["Location"]).content.decode()
    section = confirmed[confirmed.index('data-testid="public-notices"') :]
    assert "پیام‌های سامانه به شما" in section
    assert f"جای شما در «{meeting.title}»" in section
    assert "data-public-push" not in confirmed  # no VAPID key in the tests' settings: no button


def test_a_browser_votes_once_for_a_question(hq_analyst: User) -> None:
    meeting = _open_meeting(hq_analyst)
    question = services.question_ask(meeting=meeting, text="مهلت پرداخت حق بیمه تمدید می‌شود؟")
    client = Client()
    url = reverse("reception:meeting-vote", args=[meeting.pk, question.pk])

    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert Client().post(url).status_code == 302
    question.refresh_from_db()
    assert question.votes == 2

    with pytest.raises(ValidationError):
        services.question_ask(meeting=meeting, text="کوتاه")


def test_a_draft_meeting_is_not_public(hq_analyst: User) -> None:
    meeting = services.meeting_create(
        actor=hq_analyst, province=OrgUnit.objects.get(iso_code="IR-23"), spec=_spec()
    )

    assert Client().get(reverse("reception:meeting", args=[meeting.pk])).status_code == 404
    assert meeting not in selectors.upcoming()


def test_a_provincial_officer_runs_only_their_own_provinces_meetings(hq_analyst: User) -> None:
    officer = factories.persona("tehran.officer", "ir-23", Role.PROVINCIAL_OFFICER)
    isfahan = _open_meeting(hq_analyst, iso="IR-10")

    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=officer, province=OrgUnit.objects.get(iso_code="IR-10"), spec=_spec())
    own = services.meeting_create(actor=officer, province=OrgUnit.objects.get(iso_code="IR-23"), spec=_spec())
    client = verified_client(officer)
    assert client.get(reverse("reception:staff-meeting", args=[isfahan.pk])).status_code == 404
    assert client.get(reverse("reception:staff-meeting", args=[own.pk])).status_code == 200
    assert list(selectors.staff_meetings(user=officer)) == [own]


def test_commitments_are_public_and_an_overdue_one_comes_first(hq_analyst: User) -> None:
    meeting = _open_meeting(hq_analyst)
    tehran = OrgUnit.objects.get(iso_code="IR-23")
    today = timezone.localdate()
    later = services.commitment_add(
        actor=hq_analyst,
        meeting=meeting,
        text="باجهٔ ویژه در شعبهٔ ۱۲",
        owner=tehran,
        due=today + timedelta(days=9),
    )
    late = services.commitment_add(
        actor=hq_analyst,
        meeting=meeting,
        text="پاسخ کتبی به پرسش‌ها",
        owner=tehran,
        due=today - timedelta(days=3),
    )
    with pytest.raises(ValidationError):
        services.commitment_update(
            actor=hq_analyst, commitment=later, status=CommitmentStatus.DROPPED, note=" "
        )

    rows = selectors.public_commitments()
    assert [(row.commitment.pk, row.overdue) for row in rows] == [(late.pk, True), (later.pk, False)]
    text = page_text(Client().get(reverse("reception:meetings")))
    assert "پاسخ کتبی به پرسش‌ها دیدار با مستمری‌بگیران تهران تهران" in text
    assert "گذشته از مهلت · آغازنشده" in text
    assert AuditEntry.objects.filter(object_type="reception.commitment").count() == 2


def test_reminders_go_once_and_contacts_are_forgotten_a_month_after(hq_analyst: User) -> None:
    meeting = _open_meeting(hq_analyst)
    _confirmed(meeting, "09120000009")
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() + timedelta(hours=3), ends_at=timezone.now() + timedelta(hours=5)
    )
    console.clear()

    assert services.reminders_send() == 1
    assert services.reminders_send() == 0
    sent = console.last_to("+989120000009")
    assert sent is not None and sent.text.startswith("یادآوری: «دیدار با مستمری‌بگیران تهران»، ")

    assert services.contacts_forget(now=timezone.now() + timedelta(days=29)) == 0
    assert services.contacts_forget(now=timezone.now() + timedelta(days=31)) == 1
    kept = Registration.objects.get()
    assert (kept.name, kept.contact, kept.state) == ("", "", "confirmed")


def test_the_scorecard_figures(hq_analyst: User) -> None:
    meeting = _open_meeting(hq_analyst)
    services.meeting_set_state(actor=hq_analyst, meeting=meeting, state=MeetingState.HELD, attendance=40)
    tehran = OrgUnit.objects.get(iso_code="IR-23")
    day = meeting.starts_at.date()
    done = services.commitment_add(actor=hq_analyst, meeting=meeting, text="الف", owner=tehran, due=day)
    services.commitment_add(actor=hq_analyst, meeting=meeting, text="ب", owner=tehran, due=day)
    services.commitment_update(
        actor=hq_analyst, commitment=done, status=CommitmentStatus.DONE, note="", today=day
    )

    start, end = day - timedelta(days=1), day + timedelta(days=1)
    assert selectors.metric_meetings_held(start, end) == {"IR-23": Decimal(1)}
    assert selectors.metric_commitments_on_time(start, end) == {"IR-23": Decimal(50)}
    assert selectors.metric_meetings_held(date(2020, 1, 1), date(2020, 2, 1)) == {}


def test_the_demo_loads_two_meetings(org: None) -> None:
    factories.persona("hq.analyst", "hq", Role.ANALYST)
    from tabyin.reception.meetings import demo

    assert demo.load().startswith("meetings: 2 sample meetings")
    assert demo.load() == "meetings: sample meetings already loaded"
    held, coming = Meeting.objects.order_by("starts_at")
    assert (held.state, held.attendance, coming.state) == ("held", 86, "open")
    assert selectors.seats(coming) == selectors.Seats(capacity=3, confirmed=3, waiting=2)
    assert [row.overdue for row in selectors.public_commitments()] == [True, False, False]
    assert MeetingQuestion.objects.filter(meeting=coming).count() == 3


@pytest.mark.abuse
def test_typing_someone_elses_number_again_opens_nothing_and_sends_them_their_link(hq_analyst: User) -> None:
    """The form once redirected a second registration with a known contact to the first one's page:
    anyone who knew a person's number could read and cancel their registration."""
    cache.clear()
    meeting = _open_meeting(hq_analyst)
    first = _confirmed(meeting, "09123456789")
    console.clear()
    stranger = Client()
    url = reverse("reception:meeting-register", args=[meeting.pk])

    response = stranger.post(url, {"name": "غریبه", "kind": "phone", "contact": "+98 912 345 6789"})

    assert response.status_code == 302
    assert response["Location"] == reverse("reception:meeting", args=[meeting.pk])
    assert first.token not in response["Location"]
    page = stranger.get(response["Location"])
    assert first.token not in page.content.decode()
    assert "این شماره یا رایانامه پیش‌تر برای این نشست ثبت شده است" in page_text(page)
    link = "http://testserver" + reverse("reception:meeting-registration", args=[first.token])
    assert [(m.to, m.text) for m in console.OUTBOX] == [
        ("+989123456789", f"ثبت‌نام شما برای نشست «دیدار با مستمری‌بگیران تهران»: {link}")
    ]
    # Asked again at once: the owner's phone is not flooded.
    stranger.post(url, {"name": "غریبه", "kind": "phone", "contact": "09123456789"})
    assert len(console.OUTBOX) == 1
    assert Registration.objects.count() == 1
