"""Demo requests (``tabyin demo``): a Tehran hospital, the Isfahan directorate and an HQ deputy's
office ask PR for news, coverage, an infographic, a campaign, a press response and a post; the
requests stand in every state, some overdue on the board, the finished ones rated. Dates are set
relative to today (deterministic for a given day); everything goes through the services, so it is
audited as real work would be.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from tabyin.core import services as core_services
from tabyin.core.enums import Role, UnitKind
from tabyin.core.models import OrgUnit, User
from tabyin.desk.enums import Kind, State
from tabyin.desk.intake import selectors, services, services_flow
from tabyin.desk.intake.models import DeskRequest

HOSPITAL = (
    "ir-23-hospital-shohada",
    "بیمارستان شهدای تأمین اجتماعی تهران (نمونه)",
    "Shohada hospital, Tehran (sample)",
)
# (user name, display name, unit code): the requesters besides the hq.deputy persona.
REQUESTERS = (
    ("hospital.pr", "روابط عمومی بیمارستان شهدا", HOSPITAL[0]),
    ("isfahan.staff", "کارشناس ادارهٔ کل تأمین اجتماعی اصفهان", "ir-10"),
)


@dataclass(frozen=True)
class Sample:
    requester: str
    kind: Kind
    title: str
    purpose: str
    audience: str
    state: State
    days_ago: int  # filed this many days before the load
    accepted_days_ago: int = 0
    owner: str = ""
    reason: str = ""
    rating: int = 0
    delivered_url: str = ""


SAMPLES: tuple[Sample, ...] = (
    Sample(
        "hospital.pr",
        Kind.COVERAGE,
        "پوشش تصویری افتتاح بخش دیالیز بیمارستان شهدا",
        "معرفی بخش تازه و ۲۴ تخت دیالیز به بیمه‌شدگان جنوب تهران",
        "بیمه‌شدگان و بیماران کلیوی تهران",
        State.IN_PROGRESS,
        32,
        accepted_days_ago=30,
        owner="tehran.officer",
    ),
    Sample(
        "hospital.pr",
        Kind.NEWS,
        "خبر آغاز نوبت‌دهی اینترنتی درمانگاه تخصصی بیمارستان",
        "کم کردن صف صبحگاهی درمانگاه با معرفی نوبت‌دهی اینترنتی",
        "بیمه‌شدگان مراجعه‌کننده به درمانگاه",
        State.SUBMITTED,
        20,
    ),
    Sample(
        "hospital.pr",
        Kind.NEWS,
        "خبر آغاز نوبت دهی اینترنتی درمانگاه های تخصصی",
        "همان خبر با فهرست درمانگاه‌ها",
        "بیمه‌شدگان",
        State.SUBMITTED,
        16,
    ),
    Sample(
        "hospital.pr",
        Kind.INFOGRAPHIC,
        "اینفوگرافیک خدمات درمانی رایگان برای بیمه‌شدگان",
        "آشنایی بیمه‌شدگان با خدمات رایگان بیمارستان‌های ملکی",
        "بیمه‌شدگان اصلی و تبعی",
        State.CLOSED,
        60,
        accepted_days_ago=59,
        rating=5,
        delivered_url="https://example.org/sample/infographic-free-care",
    ),
    Sample(
        "isfahan.staff",
        Kind.CAMPAIGN,
        "پویش اطلاع‌رسانی بیمهٔ کارگران فصلی در اصفهان",
        "افزایش ثبت‌نام کارگران فصلی ساختمانی پیش از فصل کار",
        "کارگران فصلی و کارفرمایان ساختمانی",
        State.ACCEPTED,
        3,
        accepted_days_ago=1,
    ),
    Sample(
        "isfahan.staff",
        Kind.PRESS,
        "پاسخ به گزارش روزنامه دربارهٔ صف شعبهٔ مرکزی اصفهان",
        "روشن کردن علت صف و زمان رفع آن",
        "خوانندگان روزنامه",
        State.DECLINED,
        25,
        reason="پاسخ این گزارش را ستاد یک روز پیش منتشر کرده است؛ همان را بازنشر کنید.",
    ),
    Sample(
        "isfahan.staff",
        Kind.SOCIAL,
        "پست شبکه‌های اجتماعی برای هفتهٔ تأمین اجتماعی",
        "یادآوری خدمات الکترونیک در هفتهٔ تأمین اجتماعی",
        "کاربران شبکه‌های اجتماعی استان",
        State.DELIVERED,
        12,
        accepted_days_ago=11,
        delivered_url="https://example.org/sample/social-week-post",
    ),
    Sample(
        "hq.deputy",
        Kind.INFOGRAPHIC,
        "اینفوگرافیک نسخهٔ الکترونیک برای پزشکان",
        "راهنمای گام‌به‌گام نسخهٔ الکترونیک برای پزشکان طرف قرارداد",
        "پزشکان طرف قرارداد",
        State.NEEDS_INFO,
        4,
        reason="فهرست گام‌ها و لوگوی سامانه را بفرستید.",
    ),
    Sample(
        "hq.deputy",
        Kind.NEWS,
        "خبر امضای تفاهم‌نامه با دانشگاه علوم پزشکی",
        "اعلام همکاری آموزشی و درمانی",
        "رسانه‌ها و کادر درمان",
        State.DELIVERED,
        9,
        accepted_days_ago=8,
        delivered_url="https://example.org/sample/mou-news",
    ),
    Sample(
        "hq.deputy",
        Kind.COVERAGE,
        "پوشش ویدئویی همایش پزشکان خانواده",
        "گزارش تصویری همایش برای شبکه‌های سازمان",
        "کادر درمان و بیمه‌شدگان",
        State.CLOSED,
        45,
        accepted_days_ago=44,
        rating=4,
        delivered_url="https://example.org/sample/family-doctors-video",
    ),
    Sample(
        "hq.deputy",
        Kind.PRESS,
        "پاسخ به شایعهٔ تعطیلی درمانگاه‌های ملکی",
        "تکذیب شایعه با آمار درمانگاه‌های فعال",
        "همهٔ مردم",
        State.IN_PROGRESS,
        19,
        accepted_days_ago=18,
        owner="hq.analyst",
    ),
)


def _hospital() -> OrgUnit:
    found = OrgUnit.objects.filter(code=HOSPITAL[0]).first()
    if found is not None:
        return found
    return core_services.org_unit_create(
        actor=None,
        code=HOSPITAL[0],
        kind=UnitKind.BRANCH,
        name_fa=HOSPITAL[1],
        name_en=HOSPITAL[2],
        parent=OrgUnit.objects.get(code="ir-23"),
    )


def _requester(username: str, display: str, unit_code: str) -> User:
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    return core_services.user_create(
        actor=None,
        username=username,
        password=None,
        display_name=display,
        unit=OrgUnit.objects.get(code=unit_code),
        role=Role.STAFF,
    )


def _pr_for(unit: OrgUnit) -> User:
    code = (
        "tehran.officer"
        if unit.province_id and unit.province and unit.province.code == "ir-23"
        else "hq.analyst"
    )
    return User.objects.get(username=code)


def _play(sample: Sample, now: datetime) -> None:
    who = User.objects.get(username=sample.requester)
    filed = now - timedelta(days=sample.days_ago)
    unit = OrgUnit.objects.filter(id__in=selectors.units_of(who).values("id")).first()
    assert unit is not None
    item = services.request_file(
        actor=who,
        unit=unit,
        kind=sample.kind,
        title=sample.title,
        purpose=sample.purpose,
        audience=sample.audience,
        deadline=(filed + timedelta(days=21)).date(),
        contact=f"{who.display_name}، داخلی ۲۲۴۰",
        now=filed,
    )
    pr = _pr_for(unit)
    if sample.state == State.SUBMITTED:
        return
    if sample.state in (State.NEEDS_INFO, State.DECLINED):
        services_flow.move(
            actor=pr, request=item, to=sample.state, note=sample.reason, now=filed + timedelta(hours=3)
        )
        return
    accepted = now - timedelta(days=sample.accepted_days_ago)
    services_flow.move(actor=pr, request=item, to=State.ACCEPTED, now=accepted)
    if sample.owner:
        services_flow.assign(actor=pr, request=item, owner=User.objects.get(username=sample.owner))
    if sample.state == State.ACCEPTED:
        return
    services_flow.move(actor=pr, request=item, to=State.IN_PROGRESS, now=accepted + timedelta(hours=1))
    if sample.state == State.IN_PROGRESS:
        return
    delivered = accepted + timedelta(days=1, hours=2)
    services_flow.deliver(
        actor=pr, request=item, url=sample.delivered_url, note="نسخهٔ منتشرشده", now=delivered
    )
    if sample.state == State.CLOSED:
        services_flow.rate(
            actor=who,
            request=item,
            rating=sample.rating,
            note="به‌موقع و دقیق",
            now=delivered + timedelta(days=1),
        )


@transaction.atomic
def load() -> str:
    if DeskRequest.objects.exists():
        return "desk: requests kept"
    _hospital()
    for username, display, unit_code in REQUESTERS:
        _requester(username, display, unit_code)
    now = timezone.now()
    for sample in SAMPLES:
        _play(sample, now)
    return f"desk: {len(SAMPLES)} requests from a hospital, a province and an HQ deputy"
