"""`tabyin demo` for the scorecard: the default framework and two yearly evaluations of the 31
provinces — «1403», final after a decided appeal, and «1404», published with its appeal window
open — with sample data from ``demo_data``.

Everything goes through the real services, as the people of the cycle would: HQ's evaluator
creates and opens each period, each province's PR officer enters values and denominators,
attaches evidence (a tiny generated PDF) and submits; the evaluator sets rubric levels, makes one
correction with its reason, approves, freezes (which scores, 1,000 robustness draws), publishes;
in 1403 a province appeals, HQ decides, and the period is made final.

A cycle takes months and the services stamp each step with ``timezone.now()`` (a late
submission is one made after the deadline; the appeal window closes ``appeal_days`` after
publication). So each step runs under ``_clock``, which makes ``django.utils.timezone.now``
return that step's moment on a timeline that ends today: 1404 published three days ago, 1403 a
year earlier. Only this loader does that, in the single thread that runs ``tabyin demo`` before
the server starts; no row is edited afterwards. Idempotent: if either demo period exists,
nothing is done.

A third period, «1405», is left open for data entry (opened yesterday, due in six weeks) with
part of Tehran's data already entered by its officer — the first four main indicators in full and
one item of the fifth — so that the Tehran officer persona has something to carry on with.

The provinces' officers other than Tehran's (a core persona with a password) are created without a
usable password: they exist so that every entry is made by an officer of its own province.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from tabyin.core import demo as core_demo
from tabyin.core import selectors as core_selectors
from tabyin.core import services as core_services
from tabyin.core.enums import Role
from tabyin.core.models import OrgUnit, User
from tabyin.scorecard import demo_data as data
from tabyin.scorecard.entry import services as entry
from tabyin.scorecard.framework.services import framework_install_default
from tabyin.scorecard.models import Correction, Framework, Indicator, Period, Submission, Value
from tabyin.scorecard.periods import services as cycle
from tabyin.scorecard.review import services as review

LEVEL_REASON = "سطح بر پایهٔ شواهد بارگذاری‌شده و دستورالعمل سطح‌بندی این زیرشاخص تعیین شد."
CORRECTION_REASON = (
    "پوشش رسانه‌ای با حذف {n} مورد تکراری اصلاح شد: بازنشر یک خبر در چند پایگاه، یک مورد شمرده "
    "می‌شود (بند ۳ دستورالعمل شمارش)."
)
NOT_REPORTED_COMMENT = "این زیرشاخص گزارش نشده و امتیاز آن صفر است؛ برای دورهٔ بعد برنامهٔ انجام آن را بفرستید."
APPEAL_TEXT = (
    "شمار خبرهای منتشرشدهٔ استان بیش از رقم ثبت‌شده است: خبرهای ادارات شهرستان‌ها که در پایگاه "
    "خبری استان منتشر شده بود در شمارش نیامده است. درخواست بازبینی امتیاز شاخص اطلاع‌رسانی را داریم."
)
APPEAL_DECISION = (
    "رقم‌ها همان است که استان تا پایان مهلت ثبت کرد و شواهد آن را بارگذاری کرد؛ خبرهای شهرستان‌ها "
    "در شواهد نبود و پس از مهلت رقم تازه پذیرفته نمی‌شود. درخواست رد شد."
)

# The cycle, in days before the day of publication (negative) or after it.
OPEN, ENTRY, SUBMIT, DEADLINE, LATE, REVIEW, FREEZE = -75, -60, -48, -40, -37, -30, -20
APPEAL_FILED, APPEAL_DECIDED = 5, 10
PUBLISHED_DAYS_AGO = 3


@contextmanager
def _clock(moment: datetime) -> Iterator[None]:
    """Run the services as if it were ``moment`` (see the module docstring for why)."""
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def _user(username: str, display: str, unit: OrgUnit, role: Role) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = core_services.user_create(
            actor=None, username=username, password=None, display_name=display, unit=unit, role=role
        )
    return user


def _officers(provinces: list[OrgUnit]) -> tuple[dict[str, User], int]:
    """Each province's PR officer: Tehran's core persona, and one account per other province."""
    personas = {p[0]: p for p in core_demo.PERSONAS}
    officers: dict[str, User] = {}
    created = 0
    for unit in provinces:
        if unit.code == personas["tehran.officer"][2]:
            username, display = "tehran.officer", personas["tehran.officer"][1]
        else:
            username = f"{slugify(unit.name_en)}.officer"
            display = f"کارشناس روابط عمومی استان {unit.name_fa}"
        created += not User.objects.filter(username=username).exists()
        officers[unit.iso_code] = _user(username, display, unit, Role.PROVINCIAL_OFFICER)
    return officers, created


def _specs(framework: Framework) -> list[data.Spec]:
    subs = Indicator.objects.filter(framework=framework, parent__isnull=False).select_related("parent")
    return [
        data.Spec(
            code=i.code,
            parent=i.parent.code if i.parent else "",
            kind=i.kind,
            direction=i.direction,
            denominator=i.denominator,
            computed=i.source == "computed",
            evidence_required=i.evidence_required,
        )
        for i in subs.order_by("order", "code")
    ]


class _Cycle:
    """One period's cycle on the demo timeline; ``published`` is the day of publication."""

    def __init__(self, code: str, published: datetime, evaluator: User, officers: dict[str, User]) -> None:
        self.code, self.published, self.evaluator, self.officers = code, published, evaluator, officers
        self.evidence = 0

    def at(self, days: float, step: int = 0) -> datetime:
        # Provinces act one after another, a couple of hours apart, within working days.
        return self.published + timedelta(days=days, hours=step % 8, minutes=7 * (step // 8))

    def run(self, framework: Framework, provinces: list[OrgUnit]) -> Period:
        sample = data.sample(
            self.code,
            [data.Province(u.iso_code, u.population_2016 or 0) for u in provinces],
            _specs(framework),
        )
        with _clock(self.at(OPEN)):
            period = cycle.period_create(
                actor=self.evaluator,
                code=self.code,
                framework=framework,
                entry_deadline=timezone.localdate(self.at(DEADLINE)),
            )
            cycle.period_open(actor=self.evaluator, period=period)
        submissions = {
            s.province.iso_code: s
            for s in Submission.objects.filter(period=period).select_related("province")
        }
        for step, (iso, province) in enumerate(sorted(sample.provinces.items())):
            self._enter(submissions[iso], province, step, late=iso == sample.late)
        for step, (iso, province) in enumerate(sorted(sample.provinces.items())):
            self._review(submissions[iso], province, sample, step)
        with _clock(self.at(FREEZE)):
            cycle.period_freeze(actor=self.evaluator, period=period)
        with _clock(self.at(0)):
            cycle.period_publish(actor=self.evaluator, period=period)
        return period

    def _enter(self, submission: Submission, province: data.ProvinceSample, step: int, *, late: bool) -> None:
        officer = self.officers[province.iso]
        with _clock(self.at(ENTRY, step)):
            entry.denominators_save(
                actor=officer,
                submission=submission,
                covered_population=str(province.covered_population),
                pr_staff=str(province.pr_staff),
            )
            entry.values_save(actor=officer, submission=submission, rows=province.rows)
            for code in province.evidence:
                name = f"{code}-{province.iso}-{self.code}.pdf"
                upload = SimpleUploadedFile(
                    name,
                    core_demo.tiny_pdf(f"Sample evidence {code} {province.iso} {self.code}"),
                    "application/pdf",
                )
                entry.evidence_add(actor=officer, submission=submission, code=code, upload=upload)
                self.evidence += 1
        with _clock(self.at(LATE if late else SUBMIT, step)):
            entry.submission_submit(actor=officer, submission=submission)

    def _review(
        self, submission: Submission, province: data.ProvinceSample, sample: data.PeriodSample, step: int
    ) -> None:
        with _clock(self.at(REVIEW, step)):
            for code, level in province.levels.items():
                review.rubric_set(
                    actor=self.evaluator, submission=submission, code=code, raw=level | {"note": LEVEL_REASON}
                )
            if sample.correction and sample.correction[0] == province.iso:
                _iso, code, row, duplicates = sample.correction
                review.value_correct(
                    actor=self.evaluator,
                    submission=submission,
                    code=code,
                    raw=row,
                    reason=CORRECTION_REASON.format(n=duplicates),
                )
            for code, row in province.rows.items():
                if row.get("status") == "not_reported":
                    review.comment_add(
                        actor=self.evaluator, submission=submission, text=NOT_REPORTED_COMMENT, code=code
                    )
            review.submission_approve(actor=self.evaluator, submission=submission)


OPEN_DONE = ("M01", "M02", "M03", "M04")  # Tehran's steps entered in full in the open period
OPEN_PARTLY = "M05"  # … and one item of this one
OPENED_DAYS_AGO, OPEN_FOR_DAYS = 1, 45


def _open_period(
    framework: Framework, provinces: list[OrgUnit], evaluator: User, officers: dict[str, User]
) -> int:
    """The period open for entry, with part of Tehran's data; returns how many values it holds."""
    code, tehran = data.OPEN_PERIOD, officers["IR-23"]
    now = timezone.now()
    with _clock(now - timedelta(days=OPENED_DAYS_AGO)):
        period = cycle.period_create(
            actor=evaluator,
            code=code,
            framework=framework,
            entry_deadline=timezone.localdate(now) + timedelta(days=OPEN_FOR_DAYS),
        )
        cycle.period_open(actor=evaluator, period=period)
    sample = data.sample(
        code, [data.Province(u.iso_code, u.population_2016 or 0) for u in provinces], _specs(framework)
    ).provinces["IR-23"]
    parents = dict(
        Indicator.objects.filter(framework=framework, parent__isnull=False).values_list(
            "code", "parent__code"
        )
    )
    rows = {c: row for c, row in sample.rows.items() if parents.get(c) in OPEN_DONE}
    rows |= dict([next((c, row) for c, row in sample.rows.items() if parents.get(c) == OPEN_PARTLY)])
    submission = Submission.objects.get(period=period, province__iso_code="IR-23")
    with _clock(now - timedelta(hours=2)):
        entry.denominators_save(
            actor=tehran,
            submission=submission,
            covered_population=str(sample.covered_population),
            pr_staff=str(sample.pr_staff),
        )
        entry.values_save(actor=tehran, submission=submission, rows=rows)
    return len(rows)


def _appeal_and_finalize(period: Period, run: _Cycle) -> None:
    iso = data.APPEAL[1]
    submission = Submission.objects.get(period=period, province__iso_code=iso)
    with _clock(run.at(APPEAL_FILED)):
        appeal = cycle.appeal_file(actor=run.officers[iso], submission=submission, text=APPEAL_TEXT)
    with _clock(run.at(APPEAL_DECIDED)):
        cycle.appeal_decide(actor=run.evaluator, appeal=appeal, accept=False, decision=APPEAL_DECISION)
    with _clock(run.at(period.appeal_days + 1)):
        cycle.period_finalize(actor=run.evaluator, period=period)


@transaction.atomic
def load() -> str:
    framework, installed = framework_install_default()
    head = f"framework {framework.code} v{framework.version} {'installed' if installed else 'kept'}"
    existing = list(Period.objects.filter(code__in=data.ALL_PERIODS).values_list("code", flat=True))
    if existing:
        return f"{head}; periods kept: {', '.join(sorted(existing))}"
    provinces = list(core_selectors.provinces())
    personas = {p[0]: p for p in core_demo.PERSONAS}
    _name, display, unit_code, role = personas["hq.evaluator"]
    evaluator = _user("hq.evaluator", display, OrgUnit.objects.get(code=unit_code), role)
    officers, created = _officers(provinces)
    # Today at 10:00 Tehran time; the whole story happened before it.
    today = timezone.localdate()
    publish_1404 = timezone.make_aware(datetime.combine(today, time(10)) - timedelta(days=PUBLISHED_DAYS_AGO))
    evidence = 0
    for code in data.PERIODS:
        years_back = len(data.PERIODS) - 1 - data.PERIODS.index(code)
        run = _Cycle(code, publish_1404 - timedelta(days=365 * years_back), evaluator, officers)
        period = run.run(framework, provinces)
        if code == data.APPEAL[0]:
            _appeal_and_finalize(period, run)
        evidence += run.evidence
    opened = _open_period(framework, provinces, evaluator, officers)
    states = dict(Period.objects.filter(code__in=data.ALL_PERIODS).values_list("code", "state"))
    corrections = Correction.objects.filter(value__submission__period__code__in=data.PERIODS)
    levels = Value.objects.filter(
        submission__period__code__in=data.PERIODS, indicator__kind="rubric", status="reported"
    )
    return (
        f"{head}; periods: "
        + ", ".join(f"{c} {states[c]}" for c in data.ALL_PERIODS)
        + f" (Tehran: {opened} values entered)"
        + f"; {len(provinces) * len(data.ALL_PERIODS)} submissions, {evidence} evidence files, "
        f"{corrections.count()} correction, "
        f"{levels.count()} rubric levels; "
        f"officers: {created} accounts created"
    )
