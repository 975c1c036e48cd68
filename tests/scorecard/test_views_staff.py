"""Staff pages: the periods list and new-period form, a period (its next steps, data-entry
progress, the national ranking with ties, peer ranks, rank intervals and change, top performers,
open appeals), a province's scorecard and the exports — with who may see and do what."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import jdatetime
import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tabyin.core import jalali
from tabyin.core.enums import Role
from tabyin.scorecard.entry import services as services_entry
from tabyin.scorecard.enums import PeerGroup, PeriodState
from tabyin.scorecard.models import Period, ProvinceResult, ScoreRun, Submission
from tabyin.scorecard.periods import services as services_period
from tests import factories
from tests.scorecard.helpers import (
    BANDS,
    advance,
    digits,
    evaluator,
    fa,
    fill_province,
    in_persian,  # noqa: F401 - a fixture
    make_framework,
    make_period,
    officer,
    page_text,
    shown,
    table_row,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_persian")]


def period_url(period: Period) -> str:
    return reverse("scorecard:period", kwargs={"code": period.code})


def province_url(period: Period, iso: str = "IR-23") -> str:
    return reverse("scorecard:province", kwargs={"code": period.code, "iso": iso})


def row(text: str, start: str, end: str) -> str:
    """The text between two markers (one table row, as read)."""
    return text.split(start, 1)[1].split(end, 1)[0].strip()


def published(
    code: str = "1404", provinces: tuple[str, ...] = ("IR-23", "IR-01", "IR-02"), **kw: Any
) -> Period:
    period = make_period(code, **kw)
    for seed, iso in enumerate(provinces):
        fill_province(period, iso, None, seed)
    return advance(period, PeriodState.PUBLISHED)


# --- periods list and new period -----------------------------------------------------------------


def test_an_evaluator_creates_a_period_with_a_jalali_deadline(org: None, staff_client: Any) -> None:
    framework = make_framework()
    client = staff_client(evaluator())

    response = client.post(
        reverse("scorecard:periods"),
        {"code": "۱۴۰۵-h1", "framework": framework.pk, "entry_deadline": "۱۴۰۵/۰۶/۱۵", "appeal_days": "10"},
    )

    period = Period.objects.get()
    assert response.status_code == 302 and response["Location"] == period_url(period)
    assert (period.code, period.kind, period.part, period.state) == ("1405-H1", "half", 1, PeriodState.DRAFT)
    assert period.entry_deadline == jdatetime.date(1405, 6, 15).togregorian() == date(2026, 9, 6)
    assert (period.framework, period.appeal_days) == (framework, 10)
    listing = page_text(client.get(reverse("scorecard:periods")))
    assert "۱۴۰۵-H۱" in listing and "۱۵ شهریور ۱۴۰۵" in listing


def test_a_bad_period_code_or_date_is_said_and_nothing_is_made(org: None, staff_client: Any) -> None:
    framework = make_framework()
    client = staff_client(evaluator())

    bad_code = client.post(
        reverse("scorecard:periods"), {"code": "1404-H3", "framework": framework.pk, "appeal_days": 14}
    )
    bad_date = client.post(
        reverse("scorecard:periods"),
        {"code": "1404", "framework": framework.pk, "entry_deadline": "1404/13/40", "appeal_days": 14},
    )

    assert shown(
        fa("A period code is a Jalali year (1404), a half (1404-H1) or a quarter (1404-Q3).")
    ) in page_text(bad_code)
    assert fa("Type a Jalali date as year/month/day, for example 1404/12/20.") in page_text(bad_date)
    assert not Period.objects.exists()


def test_an_officer_sees_periods_with_a_link_to_their_entry_but_cannot_create(
    org: None, staff_client: Any
) -> None:
    period = make_period()
    client = staff_client(officer("IR-23"))

    response = client.get(reverse("scorecard:periods"))

    html = response.content.decode()
    assert reverse("scorecard:entry", kwargs={"code": "1404", "iso": "IR-23"}) in html
    assert 'data-testid="period-create"' not in html
    assert (
        client.post(
            reverse("scorecard:periods"), {"code": "1405", "framework": period.framework_id}
        ).status_code
        == 403
    )
    assert Period.objects.count() == 1


def test_someone_without_a_scorecard_role_is_refused(org: None, staff_client: Any) -> None:
    outsider = factories.persona("hq.security2", "hq-security", Role.CASE_HANDLER)
    period = make_period()
    assert staff_client(outsider).get(reverse("scorecard:periods")).status_code == 403
    assert staff_client(outsider).get(period_url(period)).status_code == 403
    assert staff_client(outsider).get(province_url(period)).status_code == 403


# --- the period page -----------------------------------------------------------------------------


def test_progress_across_provinces(org: None, staff_client: Any) -> None:
    period = make_period()
    tehran = fill_province(period, "IR-23", None, seed=1)
    services_entry.values_save(
        actor=officer("IR-04"),
        submission=Submission.objects.get(period=period, province__iso_code="IR-04"),
        rows={"S02": {"value": "40"}, "S03": {"status": "not_applicable"}},
    )
    Submission.objects.filter(pk=tehran.pk).update(late=True)

    response = staff_client(evaluator()).get(period_url(period))

    tehran.refresh_from_db()
    assert table_row(response, "progress", "IR-23") == " ".join(
        [
            "تهران",
            fa("Submitted for review"),
            "·",
            fa("Review"),
            fa("%(e)s of %(r)s", e="۳۰", r="۳۰"),
            "۱۰۰٪",
            "۲",
            fa("late"),
            jalali.format_date(tehran.submitted_at, "fa"),  # type: ignore[arg-type]
        ]
    )
    isfahan = table_row(response, "progress", "IR-04")
    name = factories.unit("ir-04").name_fa
    assert isfahan == f"{name} {fa('Being entered')} {fa('%(e)s of %(r)s', e='۲', r='۳۰')} ۷٪ ۰ — —"
    assert fa("%(e)s of %(r)s values entered in all provinces.", e="۳۲", r="۹۳۰") in page_text(response)


def test_next_steps_are_buttons_for_evaluators_only(org: None, staff_client: Any) -> None:
    period = make_period()
    analyst = factories.persona("hq.analyst2", "hq", Role.ANALYST)

    evaluator_page = staff_client(evaluator()).get(period_url(period)).content.decode()
    analyst_page = staff_client(analyst).get(period_url(period)).content.decode()

    assert 'data-action="freeze"' in evaluator_page and 'data-action="publish"' not in evaluator_page
    assert 'data-testid="next-step"' not in analyst_page


def test_the_cycle_through_the_action_buttons(org: None, staff_client: Any) -> None:
    period = make_period()
    fill_province(period, "IR-23", None, seed=2)
    client = staff_client(evaluator())
    action = reverse("scorecard:period-action", kwargs={"code": period.code})

    unscored = client.post(action, {"action": "publish"}, follow=True)
    assert fa("Score the period before publishing it.") in page_text(unscored)
    wrong = client.post(action, {"action": "finalize"}, follow=True)
    assert fa("The period is “%(state)s”; this step needs it to be “%(need)s”.") % {
        "state": fa("Open for data entry"),
        "need": fa("Published (appeal window)"),
    } in page_text(wrong)
    for step, state in (("freeze", "frozen"), ("rescore", "frozen"), ("publish", "published")):
        response = client.post(action, {"action": step})
        assert response.status_code == 302
        period.refresh_from_db()
        assert period.state == state
    assert ScoreRun.objects.filter(period=period).count() == 2
    assert ScoreRun.objects.filter(period=period, is_current=True).count() == 1
    early = client.post(action, {"action": "finalize"}, follow=True)
    assert fa("The appeal window is still open.") in page_text(early)


def test_officers_cannot_move_the_cycle(org: None, staff_client: Any) -> None:
    period = make_period()
    response = staff_client(officer("IR-23")).post(
        reverse("scorecard:period-action", kwargs={"code": period.code}), {"action": "freeze"}
    )
    period.refresh_from_db()
    assert response.status_code == 403 and period.state == PeriodState.OPEN


def _trend(change: int | None) -> str:
    if change is None:
        return fa("no earlier rank")
    if change == 0:
        return "= " + fa("same rank")
    words = fa("up %s places") if change > 0 else fa("down %s places")
    return ("▲ " if change > 0 else "▼ ") + words % digits(abs(change))


def _label(choice: Any) -> str:
    with translation.override("fa"):
        return str(choice.label)


def test_ranking_with_ties_peer_ranks_intervals_change_and_top_performers(
    org: None, staff_client: Any
) -> None:
    before = published("1403", provinces=("IR-23", "IR-01", "IR-02"))
    now = published("1404", provinces=("IR-01", "IR-23", "IR-02"), framework=before.framework)
    current = ProvinceResult.objects.filter(run__is_current=True).select_related("province")
    results = {r.province.iso_code: r for r in current.filter(run__period=now)}
    previous = {r.province.iso_code: r.rank for r in current.filter(run__period=before)}
    ProvinceResult.objects.filter(pk=results["IR-23"].pk).update(rank_low=2, rank_high=5, stable=False)
    bands = {b["code"]: b["name_fa"] for b in BANDS}

    response = staff_client(evaluator()).get(period_url(now))

    for iso in ("IR-23", "IR-01", "IR-02"):
        r = results[iso]
        # Scored without robustness draws (advance(draws=0)): no interval but the one set above.
        interval = "۲–۵ " + fa("unstable") if iso == "IR-23" else "—"
        expected = [
            digits(r.rank),
            r.province.name_fa,
            digits(f"{r.total:.2f}"),
            bands[r.band],
            _label(PeerGroup(r.peer_group)),
            digits(r.peer_rank),
            interval,
            _trend(previous[iso] - r.rank),  # type: ignore[operator]
        ]
        assert table_row(response, "ranking", iso) == " ".join(expected), iso
    # 28 provinces entered nothing: all share rank 4 (with the band of a zero total), said as a tie.
    markazi = table_row(response, "ranking", "IR-00")
    assert markazi.startswith(f"۴ {fa('tied')} {factories.unit('ir-00').name_fa} ۰٫۰۰ {bands['weak']} ")
    assert response.content.decode().count(f'۴ <span class="scs-badge">{fa("tied")}</span>') == 28
    top = row(page_text(response), fa("Top performers"), fa("National ranking"))
    ordered = sorted((r for r in results.values() if r.rank <= 3), key=lambda r: (r.rank, r.province.code))  # type: ignore[operator]
    assert top == " ".join(
        f"{digits(r.rank)} {r.province.name_fa} {digits(f'{r.total:.2f}')} {bands[r.band]}" for r in ordered
    )


def test_top_performers_include_everyone_tied_at_third(org: None, staff_client: Any) -> None:
    period = published("1404", provinces=("IR-23", "IR-01", "IR-02", "IR-03"))
    results = ProvinceResult.objects.filter(run__period=period, run__is_current=True)
    fourth = results.get(rank=4)
    third = results.get(rank=3)
    ProvinceResult.objects.filter(pk=fourth.pk).update(rank=3, total=third.total)

    response = staff_client(evaluator()).get(period_url(period))

    top = row(page_text(response), fa("Top performers"), fa("National ranking"))
    assert top.count(f"۳ {fa('tied')} ") == 2
    assert fourth.province.name_fa in top and third.province.name_fa in top
    assert table_row(response, "ranking", fourth.province.iso_code).startswith(f"۳ {fa('tied')} ")


def test_results_are_hidden_from_officers_until_published(org: None, staff_client: Any) -> None:
    period = make_period()
    fill_province(period, "IR-23", None, seed=1)
    advance(period, PeriodState.FROZEN)
    client = staff_client(officer("IR-23"))

    frozen = client.get(period_url(period)).content.decode()
    services_period.period_publish(actor=None, period=period)
    public = client.get(period_url(period)).content.decode()

    assert 'data-testid="ranking"' not in frozen and 'data-testid="own-province"' in frozen
    assert 'data-testid="ranking"' in public
    assert 'data-testid="progress"' not in public  # other provinces' entry progress stays private


def test_the_period_page_makes_the_same_number_of_queries_for_3_or_9_provinces(
    org: None, staff_client: Any
) -> None:
    first = published("1402", provinces=("IR-23",))
    small = published("1403", provinces=("IR-23", "IR-01", "IR-02"), framework=first.framework)
    nine = ("IR-23", "IR-01", "IR-02", "IR-03", "IR-04", "IR-05", "IR-06", "IR-07", "IR-08")
    large = published("1404", provinces=nine, framework=first.framework)
    for iso in ("IR-23", "IR-01"):
        services_period.appeal_file(
            actor=officer(iso),
            submission=Submission.objects.get(period=large, province__iso_code=iso),
            text="نمرهٔ M01 باید بازبینی شود.",
        )
    client = staff_client(evaluator())
    client.get(period_url(small))

    with CaptureQueriesContext(connection) as few:
        client.get(period_url(small))
    with CaptureQueriesContext(connection) as many:
        client.get(period_url(large))

    assert len(few) == len(many)


# --- exports ---------------------------------------------------------------------------------------


def test_exports_need_results_and_the_right_to_see_them(org: None, staff_client: Any) -> None:
    period = make_period()
    client = staff_client(evaluator())
    # Before scoring there is nothing to export; an officer never gets the national table.
    assert client.get(reverse("scorecard:export-xlsx", kwargs={"code": period.code})).status_code == 403
    assert (
        staff_client(officer("IR-23"))
        .get(reverse("scorecard:export-pdf", kwargs={"code": period.code}))
        .status_code
        == 403
    )


def test_exports_are_attachments_of_the_right_kind(org: None, staff_client: Any) -> None:
    period = published("1404", provinces=("IR-23", "IR-01"))
    client = staff_client(evaluator())

    xlsx = client.get(reverse("scorecard:export-xlsx", kwargs={"code": "1404"}))
    pdf = client.get(reverse("scorecard:export-pdf", kwargs={"code": "1404"}))
    card = staff_client(officer("IR-23")).get(
        reverse("scorecard:province-pdf", kwargs={"code": "1404", "iso": "IR-23"})
    )

    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert xlsx["Content-Disposition"] == 'attachment; filename="scorecard-1404.xlsx"'
    assert xlsx["X-Content-Type-Options"] == "nosniff"
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert len(book.sheetnames) >= 1
    assert (
        pdf.content.startswith(b"%PDF-")
        and pdf["Content-Disposition"] == 'attachment; filename="scorecard-1404-fa.pdf"'
    )
    assert card.content.startswith(b"%PDF-")
    assert card["Content-Disposition"] == 'attachment; filename="scorecard-1404-IR-23-fa.pdf"'
    assert period.state == PeriodState.PUBLISHED
