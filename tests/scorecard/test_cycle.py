"""The evaluation cycle through services_period: period codes and Jalali dates, opening (frozen
framework, 31 submissions in census peer groups), no entry after the freeze, scoring, publication
with its appeal window, appeals, finalization, and a weight change after publication that makes a
new run with a new framework version while the published run stays as it was and recomputable."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tabyin.core.models import AuditEntry, User
from tabyin.scorecard import scoring
from tabyin.scorecard.entry import services as services_entry
from tabyin.scorecard.enums import FrameworkState, PeriodState
from tabyin.scorecard.framework import services as services_framework
from tabyin.scorecard.models import (
    Appeal,
    Evidence,
    Framework,
    Indicator,
    IndicatorScore,
    Period,
    ProvinceResult,
    ScoreRun,
    Submission,
    Value,
)
from tabyin.scorecard.periods import services as cycle
from tabyin.scorecard.periods.services_scoring import period_dates
from tabyin.scorecard.review import services as services_review
from tests.scorecard.helpers import PDF, evaluator, fill_province, make_framework, make_period, officer

pytestmark = pytest.mark.usefixtures("in_english")

CODE_MESSAGE = "A period code is a Jalali year (1404), a half (1404-H1) or a quarter (1404-Q3)."
T0 = datetime(2025, 4, 5, 8, 0, tzinfo=UTC)


def messages(call: Any) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.messages


def submission(period: Period, iso: str) -> Submission:
    return Submission.objects.select_related("period", "province").get(period=period, province__iso_code=iso)


def results(run: ScoreRun) -> list[tuple[Any, ...]]:
    """Everything stored for a run, to compare before and after."""
    rows = run.results.select_related("province").order_by("province__code")
    scores = IndicatorScore.objects.filter(result__run=run).order_by(
        "result__province__code", "indicator__code"
    )
    return [
        *[(r.province.code, r.total, r.rank, r.band, r.peer_rank, r.main_scores, r.flags) for r in rows],
        *[
            (s.result_id, s.indicator_id, s.status, s.measured, s.score, s.inputs, s.corrected)
            for s in scores
        ],
    ]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def hq(org: None) -> User:
    return evaluator()


# --- codes and dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "parsed"),
    [
        ("1404", ("year", 1404, 0)),
        ("1404-H1", ("half", 1404, 1)),
        ("1404-h2", ("half", 1404, 2)),
        (" 1404-Q3 ", ("quarter", 1404, 3)),
        ("1399-Q4", ("quarter", 1399, 4)),
        ("۱۴۰۴", ("year", 1404, 0)),
    ],
)
def test_period_codes(code: str, parsed: tuple[str, int, int]) -> None:
    assert cycle.parse_period_code(code) == parsed


@pytest.mark.parametrize(
    "code",
    ["", "1404-H3", "1404-Q5", "1404-Q0", "14045", "1404-X1", "1404-", "1504", "04-Q1", "1404 Q1"],
)
def test_bad_period_codes(code: str) -> None:
    assert messages(lambda: cycle.parse_period_code(code)) == [CODE_MESSAGE]


def test_a_period_code_is_stored_once_in_capitals(hq: User) -> None:
    framework = make_framework()
    period = cycle.period_create(actor=hq, code="1404-q1", framework=framework)
    assert (period.code, period.kind, period.year, period.part, period.state) == (
        "1404-Q1",
        "quarter",
        1404,
        1,
        "draft",
    )
    assert messages(lambda: cycle.period_create(actor=hq, code="1404-Q1", framework=framework)) == [
        "Period 1404-Q1 already exists."
    ]


def test_a_code_with_persian_digits_is_stored_in_ascii(hq: User) -> None:
    period = cycle.period_create(actor=hq, code="14۰۴-h1", framework=make_framework())
    assert (period.code, period.kind, period.year, period.part) == ("1404-H1", "half", 1404, 1)


@pytest.mark.parametrize(
    ("kind", "year", "part", "first", "last"),
    [
        ("year", 1404, 0, date(2025, 3, 21), date(2026, 3, 20)),
        ("half", 1404, 1, date(2025, 3, 21), date(2025, 9, 22)),
        ("half", 1404, 2, date(2025, 9, 23), date(2026, 3, 20)),
        ("quarter", 1404, 1, date(2025, 3, 21), date(2025, 6, 21)),
        ("quarter", 1404, 2, date(2025, 6, 22), date(2025, 9, 22)),
        ("quarter", 1404, 3, date(2025, 9, 23), date(2025, 12, 21)),
        ("quarter", 1404, 4, date(2025, 12, 22), date(2026, 3, 20)),
        # 1403 is a leap year: Esfand has 30 days and the year 366.
        ("year", 1403, 0, date(2024, 3, 20), date(2025, 3, 20)),
        ("half", 1403, 2, date(2024, 9, 22), date(2025, 3, 20)),
        ("quarter", 1403, 4, date(2024, 12, 21), date(2025, 3, 20)),
        ("year", 1399, 0, date(2020, 3, 20), date(2021, 3, 20)),
    ],
)
def test_period_dates(kind: str, year: int, part: int, first: date, last: date) -> None:
    assert period_dates(kind, year, part) == (first, last)


# --- opening, freezing, publishing -------------------------------------------------------------


def test_opening_freezes_the_framework_and_groups_provinces_by_census_population(hq: User) -> None:
    period = make_period("1404", state="draft")
    opened = cycle.period_open(actor=hq, period=period)
    assert opened.state == PeriodState.OPEN
    assert Framework.objects.get(pk=period.framework_id).state == FrameworkState.FROZEN
    assert opened.opened_at is not None
    subs = {
        s.province.iso_code: s for s in Submission.objects.filter(period=period).select_related("province")
    }
    assert len(subs) == 31
    assert {s.state for s in subs.values()} == {"not_started"}
    assert Counter(s.peer_group for s in subs.values()) == {"large": 10, "medium": 10, "small": 11}
    # The boundaries (census 2016): Sistan and Baluchestan is 10th, Alborz 11th, Qom 20th, Qazvin 21st.
    assert [subs[c].peer_group for c in ("IR-23", "IR-11", "IR-30", "IR-25", "IR-26", "IR-16")] == [
        "large",
        "large",
        "medium",
        "medium",
        "small",
        "small",
    ]
    assert AuditEntry.objects.filter(object_type="scorecard.period", after={"state": "open"}).count() == 1
    assert messages(lambda: cycle.period_open(actor=hq, period=period)) == [
        "The period is “Open for data entry”; this step needs it to be “Being prepared”."
    ]
    assert Submission.objects.filter(period=period).count() == 31


def test_nothing_enters_after_the_freeze(tehran_officer: User, hq: User) -> None:
    period = make_period("1404")
    sub = submission(period, "IR-23")
    services_entry.denominators_save(
        actor=tehran_officer, submission=sub, covered_population="900000", pr_staff="3"
    )
    services_entry.values_save(actor=tehran_officer, submission=sub, rows={"S02": {"value": "40"}})
    evidence = services_entry.evidence_add(
        actor=tehran_officer, submission=sub, code="S01", upload=SimpleUploadedFile("a.pdf", PDF)
    )
    run = cycle.period_freeze(actor=hq, period=period, draws=0)
    assert run.is_current
    audit_count = AuditEntry.objects.count()
    closed = ["Data entry for this period is closed."]
    pdf = SimpleUploadedFile("b.pdf", PDF)
    for call in [
        lambda: services_entry.values_save(
            actor=tehran_officer, submission=sub, rows={"S02": {"value": "90"}}
        ),
        lambda: services_entry.denominators_save(
            actor=tehran_officer, submission=sub, covered_population="1", pr_staff="1"
        ),
        lambda: services_entry.evidence_add(actor=tehran_officer, submission=sub, code="S01", upload=pdf),
        lambda: services_entry.evidence_remove(actor=tehran_officer, evidence=evidence),
        lambda: services_entry.submission_submit(actor=tehran_officer, submission=sub),
    ]:
        assert messages(call) == closed
    assert Value.objects.get(submission=sub, indicator__code="S02").value == 40
    sub.refresh_from_db()
    assert (sub.covered_population, sub.pr_staff, sub.state) == (900000, 3, "draft")
    assert list(Evidence.objects.values_list("pk", flat=True)) == [evidence.pk]
    assert evidence.file.storage.exists(evidence.file.name)
    assert AuditEntry.objects.count() == audit_count


def test_freezing_scores_every_province(hq: User) -> None:
    period = make_period("1404")
    assert messages(lambda: cycle.period_publish(actor=hq, period=period)) == [
        "Score the period before publishing it."
    ]
    fill_province(period, "IR-23", officer("IR-23"), seed=1)
    run = cycle.period_freeze(actor=hq, period=period, draws=0)
    period.refresh_from_db()
    assert (period.state, run.framework_id, run.draws, run.is_current) == (
        "frozen",
        period.framework_id,
        0,
        True,
    )
    assert period.frozen_at is not None
    assert run.results.count() == 31
    assert IndicatorScore.objects.filter(result__run=run).count() == 31 * 32
    tehran = run.results.get(province__code="ir-23")
    silent = run.results.get(province__code="ir-16")  # entered nothing: every entered item not reported
    assert tehran.rank == 1
    assert "not_reported:S02" in silent.flags and "not_reported:S02" not in tehran.flags
    assert messages(lambda: cycle.period_freeze(actor=hq, period=period)) == [
        "The period is “Frozen and scored”; this step needs it to be “Open for data entry”."
    ]


def test_publishing_opens_the_appeal_window(hq: User) -> None:
    framework = make_framework()
    period = cycle.period_create(actor=hq, code="1404", framework=framework, appeal_days=7)
    cycle.period_open(actor=hq, period=period)
    cycle.period_freeze(actor=hq, period=period, draws=0)
    with time_machine.travel(T0, tick=False):
        published = cycle.period_publish(actor=hq, period=period)
    assert (published.state, published.published_at, published.appeal_until) == (
        "published",
        T0,
        T0 + timedelta(days=7),
    )


# --- appeals -----------------------------------------------------------------------------------


@pytest.fixture
def published(org: None) -> Period:
    """1404 with Tehran's and Isfahan's data, frozen and published at T0 with a 14-day window."""
    period = make_period("1404")
    for seed, iso in enumerate(["IR-23", "IR-10"], start=1):
        fill_province(period, iso, officer(iso), seed=seed)
    cycle.period_freeze(actor=None, period=period, draws=0)
    with time_machine.travel(T0, tick=False):
        cycle.period_publish(actor=None, period=period)
    period.refresh_from_db()
    return period


def test_an_appeal_accepted_allows_a_correction_and_a_new_run(published: Period) -> None:
    hq, tehran_officer = evaluator(), officer("IR-23")
    tehran = submission(published, "IR-23")
    old_run = ScoreRun.objects.get(period=published)
    before = results(old_run)
    correct = lambda: services_review.value_correct(  # noqa: E731
        actor=hq, submission=tehran, code="S03", raw={"value": "500"}, reason="بر پایه اعتراض"
    )
    assert messages(correct) == ["This period is not open for review."]
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        file = lambda text: cycle.appeal_file(actor=tehran_officer, submission=tehran, text=text)  # noqa: E731
        assert messages(lambda: file("ناعادلانه")) == ["Explain the grounds of the appeal."]
        appeal = file("  تعداد نشست‌های S03 در سند پیوست ۱۲ است، نه ۵.  ")
        assert (appeal.state, appeal.text, appeal.created_by) == (
            "open",
            "تعداد نشست‌های S03 در سند پیوست ۱۲ است، نه ۵.",
            tehran_officer,
        )
        assert messages(lambda: file("یک اعتراض دیگر با دلیل کافی")) == [
            "This province already has an open appeal."
        ]
        decide = lambda decision: cycle.appeal_decide(actor=hq, appeal=appeal, accept=True, decision=decision)  # noqa: E731
        assert messages(lambda: decide(" ")) == ["Give the reasons for the decision."]
        decided = decide("سند پیوست درست است.")
        assert (decided.state, decided.decided_by, decided.decided_at) == (
            "accepted",
            hq,
            T0 + timedelta(days=1),
        )
        assert messages(lambda: decide("دوباره")) == ["This appeal has already been decided."]

    correction = correct()
    assert correction.value_after == 500
    isfahan = submission(published, "IR-10")  # no accepted appeal: its values stay as published
    assert messages(
        lambda: services_review.value_correct(
            actor=hq, submission=isfahan, code="S03", raw={"value": "1"}, reason="r"
        )
    ) == ["This period is not open for review."]

    new_run = cycle.period_rescore(actor=hq, period=published)
    old_run.refresh_from_db()
    assert (old_run.is_current, new_run.is_current, new_run.framework_id) == (
        False,
        True,
        old_run.framework_id,
    )
    assert results(old_run) == before
    score = IndicatorScore.objects.get(
        result__run=new_run, result__province=tehran.province, indicator__code="S03"
    )
    assert (score.corrected, Decimal(score.inputs["value"])) == (True, 500)
    published.refresh_from_db()
    assert published.state == PeriodState.PUBLISHED


def test_appeals_only_within_the_window_and_final_only_after_it(published: Period) -> None:
    hq = evaluator()
    tehran, isfahan = submission(published, "IR-23"), submission(published, "IR-10")
    file = lambda sub, iso: cycle.appeal_file(  # noqa: E731
        actor=officer(iso), submission=sub, text="رتبه با سندها نمی‌خواند."
    )
    with time_machine.travel(T0 + timedelta(days=3), tick=False):
        open_appeal = file(isfahan, "IR-10")
        assert messages(lambda: cycle.period_finalize(actor=hq, period=published)) == [
            "The appeal window is still open."
        ]
    with time_machine.travel(T0 + timedelta(days=14, seconds=1), tick=False):
        assert messages(lambda: file(tehran, "IR-23")) == [
            "Appeals are accepted only while the appeal window is open."
        ]
        assert messages(lambda: cycle.period_finalize(actor=hq, period=published)) == [
            "Decide every open appeal first."
        ]
        cycle.appeal_decide(actor=hq, appeal=open_appeal, accept=False, decision="سندی ارائه نشد.")
        final = cycle.period_finalize(actor=hq, period=published)
    assert (final.state, final.finalized_at) == ("final", T0 + timedelta(days=14, seconds=1))
    assert Appeal.objects.filter(submission=tehran).count() == 0
    assert messages(lambda: cycle.period_rescore(actor=hq, period=published)) == [
        "Only a frozen or published period that is not final can be scored again."
    ]
    assert messages(lambda: file(tehran, "IR-23")) == [
        "Appeals are accepted only while the appeal window is open."
    ]


def test_no_appeal_before_publication(hq: User) -> None:
    period = make_period("1404")
    fill_province(period, "IR-23", officer("IR-23"), seed=1)
    cycle.period_freeze(actor=hq, period=period, draws=0)
    call = lambda: cycle.appeal_file(  # noqa: E731
        actor=officer("IR-23"), submission=submission(period, "IR-23"), text="پیش از انتشار اعتراض دارم"
    )
    assert messages(call) == ["Appeals are accepted only while the appeal window is open."]
    assert not Appeal.objects.exists()


# --- a weight change after publication ---------------------------------------------------------


def recompute(run: ScoreRun) -> list[tuple[str, Decimal | None, int | None]]:
    """The run's totals and ranks from its own stored inputs and the framework version it names."""
    mains, subs, bands = services_framework.framework_specs(run.framework)
    stored = IndicatorScore.objects.filter(result__run=run).select_related("indicator", "result__province")
    entries: dict[str, dict[str, scoring.Entry]] = {}
    peer: dict[str, str] = {}
    for s in stored:
        code = s.result.province.iso_code
        entries.setdefault(code, {})[s.indicator.code] = scoring.Entry(
            s.status, None if s.measured is None else float(s.measured)
        )
        peer[code] = s.result.peer_group
    provinces = [scoring.ProvinceInput(c, e, peer[c]) for c, e in sorted(entries.items())]
    out = scoring.score(mains, subs, provinces, bands, scoring.Method(draws=0))
    return [
        (r.code, None if r.total is None else Decimal(str(r.total)).quantize(Decimal("0.01")), r.rank)
        for r in out
    ]


def stored_table(run: ScoreRun) -> list[tuple[str, Decimal | None, int | None]]:
    return [
        (r.province.iso_code, r.total, r.rank)
        for r in run.results.select_related("province").order_by("province__iso_code")
    ]


@pytest.fixture
def revised(published: Period) -> tuple[Period, ScoreRun, list[tuple[Any, ...]], ScoreRun]:
    """The published period rescored with version 2, in which M01 weighs 5."""
    hq = evaluator()
    old_run = ScoreRun.objects.get(period=published)
    before = results(old_run)
    v2 = services_framework.framework_revise(
        actor=hq, framework=published.framework, change_note="وزن M01 پنج شد"
    )
    services_framework.indicator_update(actor=hq, indicator=v2.indicators.get(code="M01"), weight="5")
    new_run = cycle.period_rescore(actor=hq, period=published, framework=v2)
    published.refresh_from_db()
    old_run.refresh_from_db()
    return published, old_run, before, new_run


def test_a_weight_change_makes_a_new_version_and_run_and_keeps_the_old_one(
    revised: tuple[Period, ScoreRun, list[tuple[Any, ...]], ScoreRun],
) -> None:
    period, old_run, before, new_run = revised
    v1, v2 = old_run.framework, new_run.framework
    assert (v1.version, v2.version, v2.based_on_id, v2.state) == (1, 2, v1.pk, FrameworkState.FROZEN)
    assert (period.framework_id, period.state) == (v2.pk, PeriodState.PUBLISHED)
    assert (old_run.is_current, new_run.is_current) == (False, True)
    assert v2.indicators.get(code="M01").weight == 5 and v1.indicators.get(code="M01").weight == 1
    assert results(old_run) == before
    assert recompute(old_run) == stored_table(old_run)
    assert ProvinceResult.objects.filter(run=old_run).count() == 31
    hq = evaluator()
    assert messages(lambda: cycle.period_rescore(actor=hq, period=period, framework=v1)) == [
        "Choose a newer version of the same framework."
    ]
    assert messages(
        lambda: cycle.period_rescore(actor=hq, period=period, framework=make_framework("other", 3))
    ) == ["Choose a newer version of the same framework."]


def test_the_new_run_scores_the_provinces_data_with_the_new_weights(
    revised: tuple[Period, ScoreRun, list[tuple[Any, ...]], ScoreRun],
) -> None:
    _period, old_run, _before, new_run = revised
    old = {
        (s.result.province.iso_code, s.indicator.code): s
        for s in IndicatorScore.objects.filter(result__run=old_run).select_related(
            "result__province", "indicator"
        )
    }
    new = {
        (s.result.province.iso_code, s.indicator.code): s
        for s in IndicatorScore.objects.filter(result__run=new_run).select_related(
            "result__province", "indicator"
        )
    }
    assert {k: (s.status, s.measured) for k, s in new.items()} == {
        k: (s.status, s.measured) for k, s in old.items()
    }
    assert recompute(new_run) == stored_table(new_run)
    assert (
        new_run.results.get(province__code="ir-23").total != old_run.results.get(province__code="ir-23").total
    )
    assert Indicator.objects.filter(framework=new_run.framework, code="M01").get().weight == 5
