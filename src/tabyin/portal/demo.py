"""`tabyin demo` for the transparency site: the catalogue, sample releases and explanations.

The sample goes through the same pipeline as a real publisher's files (upload → validation →
publication), so the demo exercises it, and every figure on screen can be reproduced from the
downloadable files. Idempotent: a dataset that already has a published release is kept.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tabyin.core import selectors as core_selectors
from tabyin.core.models import User
from tabyin.portal import demo_figures as figures
from tabyin.portal.catalog.definitions import INDICATORS
from tabyin.portal.catalog.services import catalog_install
from tabyin.portal.enums import ExplanationKind, FigureStatus, ReleaseState
from tabyin.portal.explanations import services as services_explanation
from tabyin.portal.models import Dataset, Explanation, Feedback, Indicator, Observation
from tabyin.portal.release import services as services_release

CORRECTION_REASON = "رقم خدمات سرپایی استان تهران در مرداد ۱۴۰۵ با رسیدن اسناد پزشکان طرف قرارداد اصلاح شد."


def _provinces() -> list[figures.Province]:
    return [figures.Province(unit.iso_code, unit.population_2016 or 0) for unit in core_selectors.provinces()]


def _publish(dataset: Dataset, rows: list[figures.Figure], status: FigureStatus, **extra: object) -> None:
    release = services_release.release_upload(
        actor=None,
        dataset=dataset,
        file_name=f"{dataset.slug}-{rows[0].period}-{rows[-1].period}.csv",
        content=figures.to_csv(rows),
        status=status,
        **extra,  # type: ignore[arg-type]
    )
    if release.state != ReleaseState.VALIDATED:
        raise RuntimeError(f"demo release for {dataset.slug} did not validate: {release.report}")
    services_release.release_publish(actor=None, release=release)


def _correction(dataset: Dataset) -> None:
    """Show a real revision in the public log: Tehran's outpatient figure for 1405-05."""
    period = "1405-05"
    rows = []
    delta = Decimal(0)
    for area in ("IR-23", "IR"):
        obs = Observation.objects.get(indicator__code="outpatient-services-per-day", area=area, period=period)
        assert obs.value is not None
        if area == "IR-23":
            delta = (obs.value * Decimal("0.031")).quantize(Decimal(1))
        rows.append(figures.Figure("outpatient-services-per-day", area, period, obs.value + delta))
    _publish(dataset, rows, FigureStatus.FINAL, is_correction=True, reason=CORRECTION_REASON)


@transaction.atomic
def load() -> str:
    created, kept = catalog_install()
    all_rows = figures.all_figures(_provinces())
    dataset_of = {d.code: d.theme for d in INDICATORS}
    published = 0
    for dataset in Dataset.objects.order_by("slug"):
        if dataset.releases.filter(state=ReleaseState.PUBLISHED).exists():
            continue
        rows = [r for r in all_rows if dataset_of[r.indicator] == dataset.slug]
        _publish(dataset, [r for r in rows if r.period < figures.PROVISIONAL_FROM], FigureStatus.FINAL)
        _publish(dataset, [r for r in rows if r.period >= figures.PROVISIONAL_FROM], FigureStatus.PROVISIONAL)
        if dataset.slug == "services":
            _correction(dataset)
        published += 1
    explained = _explanations()
    return (
        f"catalogue: {created} indicators created, {kept} kept; "
        f"datasets published: {published}; explanations published: {explained}"
    )


# (indicator, area, period, kind, title, body, action)
EXPLANATIONS: tuple[tuple[str, str, str, ExplanationKind, str, str, str], ...] = (
    ("online-share", "", "", ExplanationKind.STRENGTH,
     "بیشتر درخواست‌ها اکنون بدون مراجعه به شعبه انجام می‌شود",
     ("سهم خدمات غیرحضوری در سه سال از حدود ۴۵ درصد به بیش از ۷۰ درصد رسیده است. هر درخواست "
     "غیرحضوری یعنی یک رفت‌وآمد کمتر به شعبه و صرفه‌جویی در وقت و هزینهٔ مردم."),
     ("برنامهٔ «تأمین من» و سامانهٔ خدمات غیرحضوری گسترش می‌یابد تا ثبت سوابق و قراردادهای بیمهٔ "
     "اختیاری هم کاملاً غیرحضوری شود.")),
    ("coverage-rate", "IR-11", "", ExplanationKind.WEAKNESS,
     "پوشش بیمه‌ای در سیستان و بلوچستان کمتر از یک‌سوم جمعیت است",
     ("نرخ پوشش در این استان حدود ۲۸ درصد است، در حالی که میانگین کشور بیش از ۵۵ درصد است. "
     "بخش بزرگی از شاغلان استان در کشاورزی، دامداری و کار غیررسمی‌اند که بیمهٔ اجباری آنان را "
     "در بر نمی‌گیرد. این ضعف را پنهان نمی‌کنیم."),
     ("پویش بیمهٔ اختیاری و بیمهٔ مشاغل آزاد با همکاری اداره کل استان و تخفیف حق بیمه برای "
     "نخستین سال در دست اجراست؛ نتیجهٔ آن را همین‌جا گزارش می‌کنیم.")),
    ("pensions-paid", "", "", ExplanationKind.CAVEAT,
     "جهش فروردین هر سال افزایش سالانهٔ مستمری است، نه افزایش مستمری‌بگیران",
     ("مستمری پرداختی در فروردین هر سال به‌خاطر افزایش سالانهٔ مستمری‌ها (مصوب دولت) یک‌باره بالا "
     "می‌رود. برای دیدن رشد شمار مستمری‌بگیران، شاخص «مستمری‌بگیران اصلی» را ببینید."),
     ""),
    ("government-debt", "", "", ExplanationKind.WEAKNESS,
     "بدهی دولت به سازمان همچنان بزرگ است",
     ("مانده بدهی دولت به سازمان هر ماه بیشتر می‌شود و تسویه‌های یک‌باره با اوراق و سهام فقط بخشی "
     "از آن را پوشش داده است. این بدهی منابعی است که سازمان برای پرداخت مستمری و درمان لازم دارد."),
     "سازمان مانده را هر ماه منتشر می‌کند و پیگیری تسویه با اوراق و سهام را ادامه می‌دهد."),
    ("support-ratio", "", "", ExplanationKind.WEAKNESS,
     "شمار بیمه‌پردازان به ازای هر مستمری‌بگیر کم می‌شود",
     ("مستمری‌بگیران سالانه حدود شش درصد بیشتر می‌شوند و بیمه‌شدگان اصلی حدود یک درصد؛ از این رو "
     "نسبت پشتیبانی از حدود ۳٫۶ به کمتر از ۳ رسیده است. این مهم‌ترین چالش پایداری صندوق است."),
     ""),
    ("outpatient-services-per-day", "", "", ExplanationKind.CAVEAT,
     "ارقام دو ماه آخر موقت‌اند",
     ("اسناد پزشکان و داروخانه‌های طرف قرارداد تا دو ماه پس از ارائهٔ خدمت می‌رسد؛ ارقام دو ماه "
     "آخر موقت‌اند و با رسیدن اسناد اصلاح و در فهرست بازنگری‌ها ثبت می‌شوند."),
     ""),
)  # fmt: skip


def _explanations() -> int:
    if Explanation.objects.exists():
        return 0
    author = User.objects.get(username="hq.analyst")
    reviewer = User.objects.get(username="hq.manager")
    for code, area, period, kind, title, body, action in EXPLANATIONS:
        draft = services_explanation.explanation_draft(
            actor=author,
            indicator=Indicator.objects.get(code=code),
            kind=kind,
            area=area,
            period=period,
            title_fa=title,
            body_fa=body,
            action_fa=action,
        )
        services_explanation.explanation_submit(actor=author, explanation=draft)
        services_explanation.explanation_approve(actor=reviewer, explanation=draft)
    return len(EXPLANATIONS)


# "Was this clear?" sample answers: (target, indicator code, explanation area, answers a day
# (low, high), share clear). Counts only, no comment: reception's reports read these numbers.
FEEDBACK_PAGES: tuple[tuple[str, str, str, tuple[int, int], float], ...] = (
    ("indicator", "pensions-paid", "", (4, 14), 0.74),
    ("indicator", "coverage-rate", "", (1, 6), 0.62),
    ("explanation", "coverage-rate", "IR-11", (0, 5), 0.55),
    ("explanation", "pensions-paid", "", (2, 9), 0.81),
)
FEEDBACK_DAYS = 14
FEEDBACK_SEED = 1405


@transaction.atomic
def feedback_load() -> str:
    """Sample "was this clear?" answers over the last two weeks on two indicators and two
    explanations (one about Sistan and Baluchestan), from a fixed seed, each stamped to the hour as
    the real ones are. Kept when any answer exists already."""
    if Feedback.objects.exists():
        return "'was this clear?' answers: already there"
    rng = random.Random(FEEDBACK_SEED)  # noqa: S311 - sample data from a fixed seed, no secret
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    rows: list[Feedback] = []
    pages = 0
    for target, code, area, (low, high), share in FEEDBACK_PAGES:
        indicator = Indicator.objects.get(code=code)
        if target == "indicator":
            target_id = indicator.pk
        else:
            found = (
                Explanation.objects.filter(indicator=indicator, area=area)
                .values_list("pk", flat=True)
                .first()
            )
            if found is None:
                continue
            target_id = found
        pages += 1
        for day in range(FEEDBACK_DAYS):
            for _ in range(rng.randint(low, high)):
                hour = now - timedelta(days=day, hours=rng.randint(0, 23))
                rows.append(
                    Feedback(
                        target=target,
                        target_id=target_id,
                        clear=rng.random() < share,
                        language="fa",
                        created_hour=min(hour, now),
                    )
                )
    Feedback.objects.bulk_create(rows)
    return f"'was this clear?' answers: {len(rows)} sample answers on {pages} pages over {FEEDBACK_DAYS} days"
