"""Demo meetings (``tabyin demo``): one held in Tehran three weeks ago with its commitments (one
done, one under way, one overdue) and one coming up in Isfahan with registrations, a waiting list
and questions voted up. All marked as sample data."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from tabyin.core.models import OrgUnit, User
from tabyin.core.sms import identity_hash
from tabyin.reception.meetings import http as api_cache
from tabyin.reception.meetings import services
from tabyin.reception.meetings.enums import (
    Audience,
    CommitmentStatus,
    ContactKind,
    MeetingState,
    RegistrationState,
)
from tabyin.reception.meetings.models import Meeting, MeetingQuestion, Registration

SET_BY_LOAD = datetime.min.replace(tzinfo=UTC)  # the dates are set relative to today by _spec
HELD = services.MeetingSpec(
    title="دیدار مدیرکل تأمین اجتماعی استان تهران با مستمری‌بگیران",
    audience=Audience.PENSIONERS,
    host="مدیرکل تأمین اجتماعی استان تهران",
    place="تالار همایش ادارهٔ کل",
    address="تهران، خیابان آزادی، ساختمان ادارهٔ کل تأمین اجتماعی",
    starts_at=SET_BY_LOAD,
    ends_at=SET_BY_LOAD,
    capacity=120,
    topics="زمان واریز مستمری‌ها\nافزایش سالانه و همسان‌سازی\nنوبت‌دهی درمان در بیمارستان‌های ملکی",
)
COMING = services.MeetingSpec(
    title="نشست پرسش و پاسخ با کارفرمایان اصفهان دربارهٔ فهرست حق بیمه",
    audience=Audience.EMPLOYERS,
    host="معاون بیمه‌ای ادارهٔ کل تأمین اجتماعی استان اصفهان",
    place="اتاق بازرگانی اصفهان",
    address="اصفهان، خیابان استانداری، اتاق بازرگانی",
    starts_at=SET_BY_LOAD,
    ends_at=SET_BY_LOAD,
    capacity=3,
    topics="ارسال فهرست حق بیمه از درگاه الکترونیک\nبخشودگی جریمه‌ها\nبیمهٔ کارگران فصلی",
)
QUESTIONS = (
    ("آیا مهلت ارسال فهرست حق بیمهٔ آذر به دلیل اختلال درگاه تمدید می‌شود؟", 14),
    ("بخشودگی جریمه شامل بدهی‌های پیش از سال ۱۴۰۰ هم می‌شود؟", 9),
    ("کارگران فصلی کارگاه‌های ساختمانی چگونه بیمه می‌شوند؟", 4),
)
PEOPLE = ("مریم احمدی", "رضا کریمی", "زهرا محمدی", "علی رضایی", "فاطمه حسینی")


def _at(day_offset: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _spec(spec: services.MeetingSpec, day_offset: int) -> services.MeetingSpec:
    return services.MeetingSpec(
        **{**spec.__dict__, "starts_at": _at(day_offset, 10), "ends_at": _at(day_offset, 12)}
    )


def load() -> str:
    if Meeting.objects.filter(is_sample=True).exists():
        return "meetings: sample meetings already loaded"
    analyst = User.objects.get(username="hq.analyst")
    tehran, isfahan = OrgUnit.objects.get(iso_code="IR-23"), OrgUnit.objects.get(iso_code="IR-10")
    today = timezone.localdate()
    with transaction.atomic():
        held = services.meeting_create(actor=analyst, province=tehran, spec=_spec(HELD, -21), now=_at(-30, 9))
        services.meeting_set_state(actor=analyst, meeting=held, state=MeetingState.OPEN)
        services.meeting_set_state(actor=analyst, meeting=held, state=MeetingState.HELD, attendance=86)
        promises = (
            (
                "واریز مستمری‌ها از این پس هر ماه در روز ۲۵ و اعلام آن در پیامک",
                tehran,
                -5,
                CommitmentStatus.DONE,
                "",
            ),
            (
                "راه‌اندازی باجهٔ ویژهٔ مستمری‌بگیران در شعبهٔ ۱۲",
                tehran,
                30,
                CommitmentStatus.IN_PROGRESS,
                "محل باجه آماده شده است.",
            ),
            ("پاسخ کتبی به پرسش‌های همسان‌سازی که در نشست بی‌پاسخ ماند", tehran, -7, CommitmentStatus.OPEN, ""),
        )
        for text, owner, due, status, note in promises:
            commitment = services.commitment_add(
                actor=analyst, meeting=held, text=text, owner=owner, due=today + timedelta(days=due)
            )
            if status != CommitmentStatus.OPEN:
                services.commitment_update(
                    actor=analyst,
                    commitment=commitment,
                    status=status,
                    note=note,
                    today=today + timedelta(days=-8),
                )
        coming = services.meeting_create(actor=analyst, province=isfahan, spec=_spec(COMING, 5))
        services.meeting_set_state(actor=analyst, meeting=coming, state=MeetingState.OPEN)
        for n, name in enumerate(PEOPLE):
            number = f"+98912000{n:04d}"
            Registration.objects.create(
                meeting=coming,
                token=secrets.token_urlsafe(32),
                name=name,
                contact_kind=ContactKind.PHONE,
                contact=number,
                contact_hash=identity_hash("phone", number, purpose="meeting"),
                state=RegistrationState.CONFIRMED if n < coming.capacity else RegistrationState.WAITLISTED,
                created_at=timezone.now(),
                confirmed_at=timezone.now() - timedelta(minutes=len(PEOPLE) - n),  # in order, all before now
            )
        for text, votes in QUESTIONS:
            question = services.question_ask(meeting=coming, text=text)
            MeetingQuestion.objects.filter(pk=question.pk).update(votes=votes)
        Meeting.objects.filter(pk__in=(held.pk, coming.pk)).update(is_sample=True)
        api_cache.bump()  # the votes above were set with .update()
    return "meetings: 2 sample meetings (one held with 3 commitments, one open with a waiting list)"
