"""A small published scorecard whose every number can be worked out by hand, for the public
pages, the API and the exports. Built through the services (create → open → values → freeze →
publish) with ``tests/scorecard/helpers.py``'s personas.

Framework "pub", two main indicators and four sub-indicators:

    M1 Media relations (weight 2): S1 rate, fixed scale (w 1); S2 yes/no (w 1)
    M2 Rumour response (weight 1): S3 duration in hours, lower is better, target 24 (w 1);
                                   S4 count per 100,000 covered, min–max (w 2)

1404, worked out:
    Tehran  IR-23: S1 45/50 = 90 → 90; S2 yes → 100; S3 12 h ≤ 24 → 100;
                   S4 26 × 100,000 / 1,300,000 = 2 → max → 100
                   M1 = (90 + 100) / 2 = 95.00; M2 = (100 + 2 × 100) / 3 = 100.00
                   total = (2 × 95 + 100) / 3 = 96.666… → 96.67 (leading)
    Semnan  IR-20: S1 not applicable; S2 yes → 100; S3 not reported → 0; S4 3 / 200,000 → 1.5 → 50
                   M1 = 100.00 (S1 left out); M2 = (0 + 2 × 50) / 3 = 33.33
                   total = (200 + 33.33) / 3 = 77.776… → 77.78 (active)
    Isfahan IR-10: S1 70 % → 70; S2 no → 0; S3 36 h → 100 × 24 / 36 = 66.67; S4 10 / 1,000,000 → 1 → min → 0
                   M1 = 35.00; M2 = 66.67 / 3 = 22.22; total = (70 + 22.22) / 3 = 30.74 (weak)
    the 28 others: nothing entered → not reported → 0 everywhere → total 0.00 (weak), rank 4 (tied)
1403: Semnan 1, Isfahan 2, Tehran 3, the others 4.
"""

from __future__ import annotations

from tabyin.scorecard.entry import services as services_entry
from tabyin.scorecard.enums import Denominator, Direction, IndicatorKind, Normalization, PeriodState
from tabyin.scorecard.models import Framework, Indicator, Period, Submission
from tabyin.scorecard.periods import services as services_period
from tests.scorecard.helpers import officer

BANDS = [
    {"code": "leading", "min": 80, "name_fa": "پیشرو", "name_en": "Leading"},
    {"code": "active", "min": 60, "name_fa": "فعال", "name_en": "Active"},
    {"code": "developing", "min": 40, "name_fa": "در حال پیشرفت", "name_en": "Developing"},
    {"code": "weak", "min": 0, "name_fa": "نیازمند بهبود", "name_en": "Needs improvement"},
]
DRAWS = 200

ROWS_1404: dict[str, tuple[str, dict[str, dict[str, str]]]] = {
    "IR-23": (
        "1300000",
        {
            "S1": {"status": "reported", "numerator": "45", "denominator": "50"},
            "S2": {"status": "reported", "value": "بله"},
            "S3": {"status": "reported", "value": "۱۲"},
            "S4": {"status": "reported", "value": "26"},
        },
    ),
    "IR-20": (
        "200000",
        {
            "S1": {"status": "not_applicable"},
            "S2": {"status": "reported", "value": "1"},
            "S3": {"status": "not_reported"},
            "S4": {"status": "reported", "value": "3"},
        },
    ),
    "IR-10": (
        "1000000",
        {
            "S1": {"status": "reported", "value": "70"},
            "S2": {"status": "reported", "value": "0"},
            "S3": {"status": "reported", "value": "36"},
            "S4": {"status": "reported", "value": "10"},
        },
    ),
}
ROWS_1403: dict[str, tuple[str, dict[str, dict[str, str]]]] = {
    "IR-23": (
        "1300000",
        {"S1": {"status": "reported", "value": "50"}, "S2": {"status": "reported", "value": "0"}},
    ),
    "IR-20": (
        "200000",
        {
            "S1": {"status": "not_applicable"},
            "S2": {"status": "reported", "value": "1"},
            "S3": {"status": "reported", "value": "10"},
            "S4": {"status": "reported", "value": "3"},
        },
    ),
    "IR-10": ROWS_1404["IR-10"],
}


def small_framework() -> Framework:
    framework = Framework.objects.create(
        code="pub", version=1, name_fa="چارچوب کوچک", name_en="Small framework", bands=BANDS
    )

    def main(code: str, fa: str, en: str, weight: str, order: int) -> Indicator:
        return Indicator.objects.create(
            framework=framework, code=code, name_fa=fa, name_en=en, weight=weight, order=order
        )

    m1 = main("M1", "ارتباط با رسانه‌ها", "Media relations", "2", 10)
    m2 = main("M2", "مقابله با شایعه", "Rumour response", "1", 20)
    subs = [
        (m1, "S1", "پاسخ به‌موقع به رسانه‌ها", "Media queries answered on time", IndicatorKind.RATE, {}),
        (m1, "S2", "برنامه عملیاتی مصوب", "Approved action plan", IndicatorKind.YES_NO, {}),
        (
            m2,
            "S3",
            "زمان پاسخ به شایعه",
            "Time to answer a rumour",
            IndicatorKind.DURATION,
            {"direction": Direction.LOWER, "normalization": Normalization.TARGET, "target": 24},
        ),
        (
            m2,
            "S4",
            "محتوای تبیینی",
            "Explainer items",
            IndicatorKind.COUNT,
            {
                "normalization": Normalization.MINMAX,
                "denominator": Denominator.COVERED_100K,
                "weight": "2",
            },
        ),
    ]
    for parent, code, fa, en, kind, extra in subs:
        order = parent.order + int(code[1:])  # S1, S2 under M1 (10); S3, S4 under M2 (20)
        Indicator.objects.create(
            framework=framework,
            parent=parent,
            code=code,
            name_fa=fa,
            name_en=en,
            kind=kind,
            order=order,
            **extra,
        )
    return framework


def publish(
    code: str,
    framework: Framework,
    rows: dict[str, tuple[str, dict[str, dict[str, str]]]],
    *,
    state: str = PeriodState.PUBLISHED,
    draws: int = DRAWS,
) -> Period:
    """A period taken through the real cycle as far as ``state`` (frozen, published or final)."""
    period = services_period.period_create(actor=None, code=code, framework=framework)
    period = services_period.period_open(actor=None, period=period)
    for iso, (covered, values) in rows.items():
        actor = officer(iso)
        submission = Submission.objects.get(period=period, province__iso_code=iso)
        services_entry.denominators_save(
            actor=actor, submission=submission, covered_population=covered, pr_staff=""
        )
        services_entry.values_save(actor=actor, submission=submission, rows=values)
    services_period.period_freeze(actor=None, period=period, draws=draws)
    if state in (PeriodState.PUBLISHED, PeriodState.FINAL):
        services_period.period_publish(actor=None, period=period)
    if state == PeriodState.FINAL:
        Period.objects.filter(pk=period.pk).update(appeal_until=None)
        period.refresh_from_db()
        services_period.period_finalize(actor=None, period=period)
    period.refresh_from_db()
    return period


def two_years() -> tuple[Period, Period]:
    """1403 (final) and 1404 (published, appeal window open) on the small framework."""
    framework = small_framework()
    before = publish("1403", framework, ROWS_1403, state=PeriodState.FINAL)
    latest = publish("1404", framework, ROWS_1404)
    return before, latest
