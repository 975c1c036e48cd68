"""The scorecard's staff pages in a real browser, in Persian: the Tehran officer fills the entry
form (Persian digits, a rate typed as a fraction refused in words, a PDF uploaded) and sends it
for review; the HQ evaluator freezes and publishes the period and reads Tehran's scorecard with
its radar chart, on a desktop and on a 360 px phone. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from tabyin.core.models import User
from tabyin.scorecard import services_framework
from tabyin.scorecard.enums import DataSource, IndicatorKind, PeriodState
from tabyin.scorecard.models import Evidence, Indicator, Period, Submission
from tests import factories
from tests.browser.conftest import RecordingPage
from tests.conftest import verified_client
from tests.scorecard.helpers import (
    PDF,
    advance,
    digits,
    evaluator,
    fa,
    fill_province,
    make_period,
    officer,
    plausible_rows,
    shown,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: RecordingPage, user: User, live_server: LiveServer) -> None:
    """Password and second factor are tested in test_shell_in_browser; here the session of a
    verified log-in is handed to the browser."""
    client = verified_client(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def _cycle() -> Period:
    """The default framework (16 main, 60 sub-indicators); last year published (so the radar has
    a previous period) and this year open, with three other provinces already sent."""
    factories.seed_org()
    framework, _created = services_framework.framework_install_default()
    before = make_period("1403", framework=framework)
    for seed, iso in enumerate(("IR-23", "IR-01", "IR-02", "IR-03")):
        fill_province(before, iso, None, seed + 10)
    advance(before, PeriodState.PUBLISHED)
    now = make_period("1404", framework=before.framework)
    for seed, iso in enumerate(("IR-01", "IR-02", "IR-03")):
        fill_province(now, iso, None, seed + 20)
    return now


def _type_everything(page: RecordingPage, period: Period) -> None:
    """Every value Tehran reports, half of the numbers with Persian digits."""
    p = page.page
    for n, (code, row) in enumerate(plausible_rows(period, seed=23).items()):
        indicator = Indicator.objects.get(framework=period.framework, code=code)
        persian = n % 2 == 0
        if indicator.kind == IndicatorKind.YES_NO:
            p.check(f'input[name="{code}-value"][value="{row["value"]}"]')
        elif indicator.kind == IndicatorKind.RATE:
            p.fill(f"#id_{code}-numerator", digits(row["numerator"]) if persian else row["numerator"])
            p.fill(f"#id_{code}-denominator", digits(row["denominator"]) if persian else row["denominator"])
        else:
            p.fill(f"#id_{code}-value", digits(row["value"]) if persian else row["value"])


def test_officer_enters_and_evaluator_reads_the_scorecard(
    live_server: LiveServer, page: RecordingPage, phone: RecordingPage, tmp_path: Path
) -> None:
    period = _cycle()
    subs = Indicator.objects.filter(framework=period.framework, parent__isnull=False).order_by("order")
    rate = subs.filter(kind=IndicatorKind.RATE, source=DataSource.ENTERED).first()
    count = subs.filter(kind=IndicatorKind.COUNT, source=DataSource.ENTERED).first()
    assert rate is not None and count is not None
    needs_evidence = [i.code for i in subs.filter(evidence_required=True).exclude(source=DataSource.COMPUTED)]
    tehran_officer = officer("IR-23")
    boss = evaluator()
    entry = f"{live_server.url}/staff/scorecard/1404/IR-23/entry/"
    sign_in(page, tehran_officer, live_server)
    p = page.page

    # 1. A rate typed as a fraction: refused in Persian, what was typed kept, nothing stored.
    p.goto(entry)
    p.fill("#id_covered_population", "۱٬۲۰۰٬۰۰۰")
    p.fill("#id_pr_staff", "۵")
    p.fill(f"#id_{rate.code}-value", "0.85")
    p.fill(f"#id_{count.code}-value", "۱۲")
    p.locator('.scs-finish button[value="save"]').click()
    fraction = shown(
        fa(
            "%(label)s: %(value)s looks like a fraction. Rates are entered in percent: type %(pct)s for "
            "%(pct)s%%, or enter the numerator and the denominator.",
            label=f"{rate.code} «{rate.name_fa}»",
            value="0.85",
            pct="85",
        )
    )
    expect(p.get_by_test_id("errors")).to_contain_text(fraction)
    expect(p.locator(f"#{rate.code} .errorlist")).to_contain_text(fraction)
    expect(p.locator(f"#id_{rate.code}-value")).to_have_value("0.85")
    expect(p.locator(f"#id_{count.code}-value")).to_have_value("۱۲")
    assert not Submission.objects.get(period=period, province__iso_code="IR-23").values.exists()
    page.shot("scorecard-staff-entry-error-fa")

    # 2. Everything typed (Persian and Latin digits), a PDF uploaded beside each sub-indicator
    #    that needs one (the first upload also saves what was typed).
    p.fill(f"#id_{rate.code}-value", "")
    _type_everything(page, period)
    pdf = tmp_path / "برنامه عملیاتی ۱۴۰۴.pdf"
    pdf.write_bytes(PDF)
    for code in needs_evidence:
        p.set_input_files(f"#id_file-{code}", str(pdf))
        p.locator(f'button[name="upload"][value="{code}"]').click()
        expect(p.locator(f"#{code} .scs-evidence")).to_contain_text("برنامه عملیاتی ۱۴۰۴.pdf")
    expect(p.get_by_test_id("missing")).to_have_count(0)
    evidence = Evidence.objects.filter(submission__province__iso_code="IR-23", submission__period=period)
    assert sorted(e.indicator.code for e in evidence) == sorted(needs_evidence)
    page.shot("scorecard-staff-entry-filled-fa")

    # 3. Sent for review: the officer lands on the province's scorecard.
    p.locator('.scs-finish button[value="submit"]').click()
    expect(p.get_by_test_id("submission-state")).to_contain_text(fa("Submitted for review"))
    tehran = Submission.objects.get(period=period, province__iso_code="IR-23")
    assert tehran.state == "submitted" and tehran.covered_population == 1_200_000
    assert tehran.values.count() == len(plausible_rows(period, seed=23))

    # 4. The evaluator freezes and publishes with the period's buttons, then reads Tehran's card.
    sign_in(page, boss, live_server)
    p.goto(f"{live_server.url}/staff/scorecard/1404/")
    page.shot("scorecard-staff-period-open-fa")
    p.locator('button[data-action="freeze"]').click()
    p.locator('button[data-action="publish"]').click()
    expect(p.get_by_test_id("ranking")).to_be_visible()
    page.shot("scorecard-staff-period-fa")
    p.goto(f"{live_server.url}/staff/scorecard/1404/IR-23/")
    radar = p.locator("figure.scs-radar svg.radar")
    expect(radar).to_be_visible()
    assert radar.locator("polygon.radar-previous").count() == 1
    assert radar.bounding_box()["width"] > 300  # type: ignore[index]
    page.shot("scorecard-staff-province-fa")

    # 5. The same pages on a phone: nothing wider than the screen.
    sign_in(phone, boss, live_server)
    for name, path in (
        ("scorecard-staff-province-phone-fa", "/staff/scorecard/1404/IR-23/"),
        ("scorecard-staff-period-phone-fa", "/staff/scorecard/1404/"),
        ("scorecard-staff-review-phone-fa", "/staff/scorecard/1404/IR-23/review/"),
    ):
        phone.page.goto(live_server.url + path)
        phone.shot(name)
        assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360, name
    sign_in(phone, tehran_officer, live_server)
    phone.page.goto(f"{live_server.url}/staff/scorecard/1404/IR-23/")
    phone.shot("scorecard-staff-province-officer-phone-fa")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360


def test_entry_form_fits_a_phone(live_server: LiveServer, phone: RecordingPage) -> None:
    factories.seed_org()
    framework, _created = services_framework.framework_install_default()
    make_period("1404", framework=framework)
    sign_in(phone, officer("IR-23"), live_server)

    phone.page.goto(f"{live_server.url}/staff/scorecard/1404/IR-23/entry/")
    phone.shot("scorecard-staff-entry-phone-fa")

    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.page.locator("fieldset.scs-sub").count() == 60
