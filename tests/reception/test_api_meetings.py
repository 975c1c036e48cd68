"""/api/v1/meetings/: upcoming meetings and one meeting read without a key; registering in the web
page's two steps (a code by SMS, then confirming with it) with a client key; status, a new code,
cancelling; refusals as problems (401 without a key, 422 in Persian, 409, 404)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tabyin.core.apiclients import services as client_services
from tabyin.core.models import OrgUnit, User
from tabyin.core.models_public import PublicMailbox
from tabyin.core.notify import public as public_notify
from tabyin.core.sms import console
from tabyin.reception.meetings import services
from tabyin.reception.meetings.enums import Audience, MeetingState, RegistrationState
from tabyin.reception.meetings.models import Meeting, Registration

pytestmark = pytest.mark.django_db
PHONE = "+989123456789"


@pytest.fixture(autouse=True)
def outbox() -> Iterator[list[console.Sent]]:
    console.clear()
    yield console.OUTBOX
    console.clear()


@pytest.fixture
def key(org: None) -> str:
    return client_services.client_create(actor=None, name="Mobile app", rate="600/m")[1]


def open_meeting(actor: User, capacity: int = 1) -> Meeting:
    start = (timezone.now() + timedelta(days=5)).replace(microsecond=0)
    spec = services.MeetingSpec(
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
    meeting = services.meeting_create(actor=actor, province=OrgUnit.objects.get(iso_code="IR-23"), spec=spec)
    return services.meeting_set_state(actor=actor, meeting=meeting, state=MeetingState.OPEN)


def _post(path: str, body: dict[str, Any], key: str | None, language: str = "en") -> Any:
    headers: dict[str, Any] = {"HTTP_X_API_KEY": key} if key else {}
    return Client().post(
        path, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE=language, **headers
    )


def _code(number: str) -> str:
    sent = console.last_to(number)
    assert sent is not None
    match = re.search(r"[۰-۹]{6}", sent.text)
    assert match is not None
    return match.group()


def test_upcoming_meetings_and_one_meeting_are_read_without_a_key(hq_analyst: User) -> None:
    meeting = open_meeting(hq_analyst, capacity=3)
    services.question_ask(meeting=meeting, text="مستمری این ماه کی واریز می‌شود؟")
    tehran = OrgUnit.objects.get(iso_code="IR-23")
    services.commitment_add(
        actor=hq_analyst, meeting=meeting, text="پاسخ کتبی به پرسش‌ها", owner=tehran, due=date(2027, 1, 10)
    )
    fields = {
        "id": meeting.pk,
        "title": "دیدار با مستمری‌بگیران تهران",
        "province": "IR-23",
        "province_name": tehran.name_fa,
        "audience": "pensioners",
        "host": "مدیرکل استان",
        "place": "تالار ادارهٔ کل",
        "address": "تهران، خیابان آزادی",
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "topics": "زمان واریز مستمری",
        "state": "open",
        "capacity": 3,
        "seats_left": 3,
        "waiting": 0,
    }
    assert json.loads(Client().get("/api/v1/meetings/").content) == [fields]
    one = json.loads(Client().get(f"/api/v1/meetings/{meeting.pk}").content)
    question = meeting.questions.get()
    assert one == {
        **fields,
        "questions": [
            {
                "id": question.pk,
                "text": "مستمری این ماه کی واریز می‌شود؟",
                "votes": 0,
                "hidden_reason": "",
                "answer": "",
            }
        ],
        "commitments": [
            {
                "text": "پاسخ کتبی به پرسش‌ها",
                "owner": tehran.name_fa,
                "due": "2027-01-10",
                "status": "open",
                "note": "",
                "done_on": None,
                "overdue": False,
            }
        ],
    }
    english = json.loads(Client().get(f"/api/v1/meetings/{meeting.pk}", HTTP_ACCEPT_LANGUAGE="en").content)
    assert english["province_name"] == tehran.name_en
    draft = services.meeting_set_state(actor=hq_analyst, meeting=meeting, state=MeetingState.CLOSED)
    assert Client().get(f"/api/v1/meetings/{draft.pk}").status_code == 200
    assert Client().get("/api/v1/meetings/999999").status_code == 404


def test_registering_takes_two_steps_and_a_key(hq_analyst: User, key: str) -> None:
    meeting = open_meeting(hq_analyst, capacity=1)
    url = f"/api/v1/meetings/{meeting.pk}/registrations"
    body = {"name": "مریم احمدی", "kind": "phone", "contact": "۰۹۱۲ ۳۴۵ ۶۷۸۹"}
    refused = _post(url, body, None)
    assert (refused.status_code, json.loads(refused.content)["type"]) == (
        401,
        "/api/v1/docs#problem-unauthorized",
    )
    assert Registration.objects.count() == 0

    started = _post(url, body, key)
    assert (started.status_code, started["Cache-Control"]) == (201, "no-store")
    registration = Registration.objects.get()
    assert json.loads(started.content) == {
        "token": registration.token,
        "meeting": meeting.pk,
        "state": "pending",
        "waiting_position": None,
        "inbox_token": None,  # not until the code proves the contact
    }
    assert (registration.name, registration.contact) == ("مریم احمدی", PHONE)
    token = registration.token

    wrong = _post("/api/v1/meetings/registrations/confirm", {"token": token, "code": "000000"}, key)
    assert (wrong.status_code, [e["loc"] for e in json.loads(wrong.content)["errors"]]) == (
        422,
        [["body", "code"]],
    )
    confirmed = _post("/api/v1/meetings/registrations/confirm", {"token": token, "code": _code(PHONE)}, key)
    assert json.loads(confirmed.content)["state"] == RegistrationState.CONFIRMED

    # The same number in another spelling is the same person: refused, and no token handed back.
    again = _post(url, {**body, "contact": "09123456789"}, key)
    assert (again.status_code, json.loads(again.content)) == (
        409,
        {
            "type": "/api/v1/docs#problem-conflict",
            "title": "This conflicts with what was already done",
            "status": 409,
            "detail": "This contact is already registered for this meeting.",
            "instance": url,
        },
    )

    # The one seat is taken: the next person waits, first in line.
    other = json.loads(_post(url, {**body, "contact": "09350000000"}, key).content)
    waiting = _post(
        "/api/v1/meetings/registrations/confirm",
        {"token": other["token"], "code": _code("+989350000000")},
        key,
    )
    second = Registration.objects.get(token=other["token"])
    inbox_token = public_notify.mailbox_token(app="meetings", ref=f"registration-{second.pk}")
    assert inbox_token.startswith(f"tbi_{PublicMailbox.objects.get(ref=f'registration-{second.pk}').pk}_")
    assert json.loads(waiting.content) == {
        "token": other["token"],
        "meeting": meeting.pk,
        "state": "waitlisted",
        "waiting_position": 1,
        "inbox_token": inbox_token,
    }

    cancelled = _post("/api/v1/meetings/registrations/cancel", {"token": token}, key)
    assert json.loads(cancelled.content)["state"] == "cancelled"
    status = _post("/api/v1/meetings/registrations/status", {"token": other["token"]}, key)
    assert (status["Cache-Control"], json.loads(status.content)["state"]) == ("no-store", "confirmed")
    assert json.loads(status.content)["inbox_token"] == inbox_token
    # The token opens the waiting person's inbox, where the code's outcome was told.
    inbox = json.loads(Client().get("/api/v1/inbox/", HTTP_X_INBOX_TOKEN=inbox_token).content)
    assert [(n["title"], n["body"]) for n in inbox["notices"]] == [
        ("ثبت‌نام شما در یک نشست عمومی", f"شما در فهرست انتظار «{meeting.title}» هستید.")
    ]
    unknown = _post("/api/v1/meetings/registrations/status", {"token": "x" * 43}, key)
    assert (unknown.status_code, json.loads(unknown.content)["detail"]) == (
        404,
        "No registration opens with this token.",
    )


def test_a_new_code_waits_a_minute(hq_analyst: User, key: str) -> None:
    meeting = open_meeting(hq_analyst)
    body = {"name": "مریم", "kind": "email", "contact": "Maryam@Example.ir"}
    token = json.loads(_post(f"/api/v1/meetings/{meeting.pk}/registrations", body, key).content)["token"]
    soon = _post("/api/v1/meetings/registrations/resend", {"token": token}, key)
    assert (soon.status_code, soon["Retry-After"], json.loads(soon.content)["detail"]) == (
        429,
        "60",
        "Wait a minute before asking for another code.",
    )


def test_bad_registrations_are_422_problems_in_persian(hq_analyst: User, key: str) -> None:
    meeting = open_meeting(hq_analyst)
    url = f"/api/v1/meetings/{meeting.pk}/registrations"
    bad = _post(url, {"name": "مریم", "kind": "phone", "contact": "12345"}, key, language="fa")
    body = json.loads(bad.content)
    assert (bad.status_code, bad["Content-Language"], body["title"]) == (
        422,
        "fa",
        "برخی از بخش‌های درخواست درست نیست",
    )
    assert body["errors"][0]["loc"] == ["body", "contact"]
    assert (
        body["detail"]
        == "این شمارهٔ تلفن همراه ایرانی نیست. آن را به شکل ۰۹xxxxxxxxx بنویسید (رقم فارسی هم درست است)."
    )
    kind = _post(url, {"name": "مریم", "kind": "fax", "contact": "12345"}, key, language="fa")
    assert (kind.status_code, [e["loc"] for e in json.loads(kind.content)["errors"]]) == (
        422,
        [["body", "payload", "kind"]],
    )
    not_a_number = _post(
        "/api/v1/meetings/abc/registrations", {"name": "مریم", "kind": "phone", "contact": "09123456789"}, key
    )
    assert (not_a_number.status_code, json.loads(not_a_number.content)["errors"][0]["loc"]) == (
        422,
        ["path", "meeting_id"],
    )
    services.meeting_set_state(actor=hq_analyst, meeting=meeting, state=MeetingState.CLOSED)
    closed = _post(url, {"name": "مریم", "kind": "phone", "contact": "09123456789"}, key)
    assert (closed.status_code, json.loads(closed.content)["detail"]) == (
        409,
        "Registration for this meeting is closed.",
    )
    assert Registration.objects.count() == 0
