"""`tabyin demo` for key messages: a past statement about pensions, measured over the monitor's
sample week (the monitor's demo loads first). Its first key message is what the sample rumor
reverses («… پرداخت نمی‌شود»), so the page shows one distortion cluster; the second and third are
carried faithfully by the ordinary coverage. The sample poll is linked, and a pensioner's question
at the sample meeting in Tehran, with the answer given there. All marked as sample data."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tabyin.core.models import User
from tabyin.reception.meetings.models import Meeting, MeetingQuestion
from tabyin.reception.messages import services
from tabyin.reception.messages.enums import AnnouncementKind
from tabyin.reception.messages.models import Announcement
from tabyin.reception.polls.models import Poll

TITLE = "نمونه: اطلاعیهٔ سازمان دربارهٔ مستمری، افزایش سالانه و وام ضروری بازنشستگان"
MESSAGES = [
    "مستمری ماه آینده بازنشستگان تأمین اجتماعی مانند هر ماه در روز ۲۵ پرداخت می‌شود.",
    (
        "افزایش مستمری بازنشستگان از ابتدای اردیبهشت اعمال می‌شود و مابه‌التفاوت فروردین با حقوق "
        "اردیبهشت واریز می‌شود."
    ),
    "وام ضروری بازنشستگان از هفتهٔ آینده پرداخت می‌شود و مبلغ آن ۳۰ میلیون تومان است.",
]
TERMS = "بازنشستگان\nمستمری"
QUESTION = "آیا تاریخ واریز مستمری بازنشستگان از ماه آینده تغییر می‌کند؟"
ANSWER = "مدیرکل پاسخ داد که تاریخ واریز تغییر نمی‌کند و پیامک آن روز ۲۵ هر ماه فرستاده می‌شود."


def load() -> str:
    if Announcement.objects.filter(is_sample=True).exists():
        return "key messages: sample announcement already loaded"
    analyst = User.objects.get(username="hq.analyst")
    published = timezone.now().replace(second=0, microsecond=0) - timedelta(days=6, hours=2)
    with transaction.atomic():
        announcement = services.announcement_create(
            actor=analyst,
            spec=services.AnnouncementSpec(
                title=TITLE,
                kind=AnnouncementKind.STATEMENT,
                published_at=published,
                messages=MESSAGES,
                terms=TERMS,
                window_days=7,
                poll=Poll.objects.filter(is_sample=True).order_by("pk").first(),
            ),
            is_sample=True,
        )
        held = (
            Meeting.objects.filter(is_sample=True, starts_at__lt=timezone.now()).order_by("starts_at").first()
        )
        if held is not None:
            MeetingQuestion.objects.create(
                meeting=held,
                text=QUESTION,
                votes=11,
                answer=ANSWER,
                created_at=held.starts_at - timedelta(days=2),
            )
    return f"key messages: 1 sample announcement with {announcement.messages.count()} key messages"
