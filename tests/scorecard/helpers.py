"""Shared test data for the scorecard: a compact framework (16 main indicators, every kind of
sub-indicator), a period taken through the real services, and a province's plausible data.

Other test modules import ``make_framework``, ``make_period``, ``fill_province``, ``officer`` and
``evaluator``; everything goes through the services, never straight into the tables, so the data
is what a real cycle would leave behind.
"""

from __future__ import annotations

import html
import random
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.scorecard.entry import services as services_entry
from tabyin.scorecard.enums import (
    DataSource,
    Denominator,
    Direction,
    IndicatorKind,
    Normalization,
    PeriodState,
)
from tabyin.scorecard.models import Framework, Indicator, Period, Submission
from tabyin.scorecard.periods import services as services_period
from tests import factories

MAIN_NAMES = [
    ("برنامه‌ریزی و مدیریت راهبردی روابط عمومی", "PR planning and strategic management"),
    ("اطلاع‌رسانی و تبیین دستاوردها", "Information and explaining achievements"),
    ("ارتباط با رسانه‌ها", "Media relations"),
    ("رصد و تحلیل رسانه", "Media monitoring and analysis"),
    ("مقابله با شایعه", "Rumour response"),
    ("ارتباطات بحران", "Crisis communication"),
    ("شفافیت و انتشار اطلاعات", "Transparency publishing"),
    ("ارتباطات مردمی و پاسخگویی", "People's communications and responsiveness"),
    ("ارتباط چهره‌به‌چهره و تکریم ارباب رجوع", "Face-to-face communication"),
    ("ارتباطات دوسویه و سنجش فهم پیام", "Two-way communication"),
    ("فضای مجازی و روابط عمومی الکترونیک", "Digital channels"),
    ("تولید محتوا و چندرسانه‌ای", "Content production"),
    ("تبلیغات و کمپین‌ها", "Publicity and campaigns"),
    ("ارتباطات درون‌سازمانی", "Internal communication"),
    ("پژوهش و افکارسنجی", "Research and polling"),
    ("انتشارات، مراسم و فعالیت‌های فرهنگی", "Publications and events"),
]

# (code, main, kind, name_fa, extra fields). Two sub-indicators a main indicator: S01–S32.
_SPECIAL: dict[str, tuple[str, dict[str, Any]]] = {
    "S01": (IndicatorKind.YES_NO, {"evidence_required": True}),
    "S02": (IndicatorKind.RATE, {}),
    "S03": (
        IndicatorKind.COUNT,
        {"denominator": Denominator.COVERED_100K, "normalization": Normalization.MINMAX},
    ),
    "S04": (
        IndicatorKind.COUNT,
        {"denominator": Denominator.PR_STAFF, "normalization": Normalization.TARGET, "target": 10},
    ),
    "S05": (
        IndicatorKind.DURATION,
        {"direction": Direction.LOWER, "normalization": Normalization.TARGET, "target": 24},
    ),
    "S06": (IndicatorKind.RUBRIC, {"evidence_required": True}),
    "S07": (IndicatorKind.RATE, {"source": DataSource.COMPUTED, "metric": "tests.missing-metric"}),
}
BANDS = [
    {"code": "leading", "min": 80, "name_fa": "پیشرو", "name_en": "Leading"},
    {"code": "active", "min": 60, "name_fa": "فعال", "name_en": "Active"},
    {"code": "developing", "min": 40, "name_fa": "در حال پیشرفت", "name_en": "Developing"},
    {"code": "weak", "min": 0, "name_fa": "نیازمند بهبود", "name_en": "Needs improvement"},
]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def make_framework(code: str = "tests", version: int = 1) -> Framework:
    framework = Framework.objects.create(
        code=code, version=version, name_fa="چارچوب آزمایشی", name_en="Test framework", bands=BANDS
    )
    for m, (name_fa, name_en) in enumerate(MAIN_NAMES, start=1):
        main = Indicator.objects.create(
            framework=framework, code=f"M{m:02d}", name_fa=name_fa, name_en=name_en, order=m * 10
        )
        for k in (1, 2):
            n = 2 * (m - 1) + k
            sub_code = f"S{n:02d}"
            kind, extra = _SPECIAL.get(sub_code, (IndicatorKind.RATE, {}))
            Indicator.objects.create(
                framework=framework,
                parent=main,
                code=sub_code,
                name_fa=f"زیرشاخص {n}",
                name_en=f"Sub-indicator {n}",
                kind=kind,
                unit_fa="درصد" if kind == IndicatorKind.RATE else "",
                unit_en="%" if kind == IndicatorKind.RATE else "",
                evidence_fa="فایل برنامه و نامه تصویب",
                evidence_en="Plan file and approval letter",
                order=m * 10 + k,
                **extra,
            )
    return framework


def evaluator(username: str = "hq.evaluator") -> User:
    existing = User.objects.filter(username=username).first()
    return existing or factories.persona(username, "hq", Role.EVALUATOR)


def officer_of(iso: str) -> User:
    """The province's PR officer (``officer.ir-23`` for IR-23), made on first use."""
    username = f"officer.{iso.lower()}"
    existing = User.objects.filter(username=username).first()
    return existing or factories.persona(username, iso.lower(), Role.PROVINCIAL_OFFICER)


officer = officer_of


def make_period(code: str = "1404", framework: Framework | None = None, state: str = "open") -> Period:
    """A period in ``state`` (draft or open; frozen and later need data: see ``advance``).
    Needs the organization (the ``org`` fixture)."""
    framework = framework or make_framework(code=f"tests-{code.lower()}")
    period = services_period.period_create(actor=None, code=code, framework=framework)
    if state != PeriodState.DRAFT:
        period = services_period.period_open(actor=None, period=period)
    if state not in (PeriodState.DRAFT, PeriodState.OPEN):
        advance(period, state)
    period.refresh_from_db()
    return period


def advance(period: Period, state: str, *, draws: int = 0) -> Period:
    """Freeze (and score), publish and finalize through the services, as far as ``state``."""
    order = [PeriodState.OPEN, PeriodState.FROZEN, PeriodState.PUBLISHED, PeriodState.FINAL]
    target = order.index(PeriodState(state))
    if period.state == PeriodState.OPEN and target >= 1:
        services_period.period_freeze(actor=None, period=period, draws=draws)
    if target >= 2:
        services_period.period_publish(actor=None, period=period)
    if target >= 3:
        Period.objects.filter(pk=period.pk).update(appeal_until=None)
        period.refresh_from_db()
        services_period.period_finalize(actor=None, period=period)
    period.refresh_from_db()
    return period


def plausible_rows(period: Period, seed: int) -> dict[str, dict[str, str]]:
    """Values a province could really report, varied by ``seed``."""
    rng = random.Random(seed)
    rows: dict[str, dict[str, str]] = {}
    subs = Indicator.objects.filter(framework_id=period.framework_id, parent__isnull=False)
    for indicator in subs.order_by("order"):
        if indicator.source == DataSource.COMPUTED or indicator.kind == IndicatorKind.RUBRIC:
            continue
        if indicator.kind == IndicatorKind.RATE:
            den = rng.randint(50, 400)
            rows[indicator.code] = {"numerator": str(rng.randint(den // 3, den)), "denominator": str(den)}
        elif indicator.kind == IndicatorKind.YES_NO:
            rows[indicator.code] = {"value": "1" if rng.random() < 0.8 else "0"}
        elif indicator.kind == IndicatorKind.DURATION:
            rows[indicator.code] = {"value": str(rng.randint(4, 72))}
        else:
            rows[indicator.code] = {"value": str(rng.randint(5, 120))}
        rows[indicator.code]["status"] = "reported"
    return rows


def fill_province(period: Period, iso: str, officer: User | None, seed: int) -> Submission:
    """Enter plausible values, denominators and the required evidence for one province, and
    submit. ``officer`` is that province's officer (made when None)."""
    actor = officer or officer_of(iso)
    submission = Submission.objects.get(period=period, province__iso_code=iso.upper())
    rng = random.Random(seed)
    services_entry.denominators_save(
        actor=actor,
        submission=submission,
        covered_population=str(rng.randint(400_000, 9_000_000)),
        pr_staff=str(rng.randint(3, 25)),
    )
    services_entry.values_save(actor=actor, submission=submission, rows=plausible_rows(period, seed))
    required = Indicator.objects.filter(
        framework_id=period.framework_id, parent__isnull=False, evidence_required=True
    )
    for indicator in required:
        upload = SimpleUploadedFile(f"{indicator.code}.pdf", PDF, content_type="application/pdf")
        services_entry.evidence_add(actor=actor, submission=submission, code=indicator.code, upload=upload)
    return services_entry.submission_submit(actor=actor, submission=submission)


def pdf_upload(name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def in_persian() -> Iterator[None]:
    """Requests and ``reverse`` in Persian whatever an earlier test left active (a request to an
    /en/ address activates English in the test's thread and leaves it so)."""
    with translation.override("fa"):
        yield


def page_text(response: Any) -> str:
    """A page's visible text (tags dropped, entities decoded, white space collapsed), to assert on
    sentences as a reader sees them."""
    body = response.content.decode()
    body = re.sub(r"<(script|style|title|desc)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def fa(msgid: str, **params: Any) -> str:
    """A message as a Persian reader gets it: the catalogue's translation once there is one, the
    English msgid until then — so the tests hold before and after the translations land."""
    with translation.override("fa"):
        text = translation.gettext(msgid)
    return text % params if params else text


def shown(text: str) -> str:
    """A message as the page shows it in Persian: numbers in Persian digits, codes left ASCII."""
    from tabyin.core.templatetags.persian import persian_numbers

    with translation.override("fa"):
        return persian_numbers(text)


def table_row(response: Any, table: str, key: str, attr: str = "data-province") -> str:
    """The visible text of one row (``<tr data-province="IR-23">``) of the table with
    ``data-testid=table``."""
    body = response.content.decode()
    found = re.search(rf'data-testid="{table}".*?</table>', body, flags=re.S)
    assert found, f"no table {table}"
    one = re.search(rf'<tr {attr}="{key}"[^>]*>(.*?)</tr>', found[0], flags=re.S)
    assert one, f"no row {key} in {table}"
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", one[1]))).strip()


def digits(text: object) -> str:
    """ASCII digits and point as a Persian page shows them."""
    return str(text).translate(str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫"))
