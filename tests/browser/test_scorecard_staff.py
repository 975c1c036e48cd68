"""The scorecard's staff pages in a real browser, in Persian: the Tehran officer fills the entry
step by step, one main indicator a page (Persian digits, a rate typed as a fraction refused in
words, a PDF uploaded, a figure far from the province's history confirmed) and sends it for review;
the HQ evaluator freezes and publishes the period and reads Tehran's scorecard with its radar
chart, on a desktop and on a phone. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from tabyin.core.models import User
from tabyin.scorecard.entry import services as services_entry
from tabyin.scorecard.enums import DataSource, IndicatorKind, PeriodState
from tabyin.scorecard.framework import services as services_framework
from tabyin.scorecard.models import Evidence, Indicator, Period, Submission, Value
from tests import factories
from tests.browser.axe import violations
from tests.browser.conftest import SHOTS, RecordingPage, _page
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


def _type_step(page: RecordingPage, period: Period, main: Indicator, rows: dict[str, dict[str, str]]) -> None:
    """The values of one step, half of the numbers with Persian digits."""
    p = page.page
    for n, (code, row) in enumerate(rows.items()):
        indicator = Indicator.objects.get(framework=period.framework, code=code)
        if indicator.parent_id != main.pk:
            continue
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
    assert rate is not None and count is not None and rate.parent_id == count.parent_id
    needs_evidence = [i.code for i in subs.filter(evidence_required=True).exclude(source=DataSource.COMPUTED)]
    mains = list(Indicator.objects.filter(framework=period.framework, parent__isnull=True).order_by("order"))
    tehran_officer = officer("IR-23")
    boss = evaluator()
    entry = f"{live_server.url}/staff/scorecard/1404/IR-23/entry/"
    sign_in(page, tehran_officer, live_server)
    p = page.page

    # 1. The denominators on the overview; then, on the first step, a rate typed as a fraction:
    #    refused in Persian, what was typed kept, nothing stored.
    p.goto(entry)
    p.fill("#id_covered_population", "۱٬۲۰۰٬۰۰۰")
    p.fill("#id_pr_staff", "۵")
    p.locator('.scs-finish button[value="save"]').click()
    p.goto(f"{entry}{mains[0].code}/")
    p.fill(f"#id_{rate.code}-value", "0.85")
    p.fill(f"#id_{count.code}-value", "۱۲")
    p.locator('.scs-stepnav button[value="next"]').click()
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

    # 2. Step by step: every value typed (Persian and Latin digits), a PDF uploaded beside each
    #    sub-indicator that needs one (an upload also saves what was typed), "Save and next".
    p.fill(f"#id_{rate.code}-value", "")
    pdf = tmp_path / "برنامه عملیاتی ۱۴۰۴.pdf"
    pdf.write_bytes(PDF)
    rows = plausible_rows(period, seed=23)
    for main in mains:
        expect(p.get_by_test_id("step-number")).to_be_visible()
        _type_step(page, period, main, rows)
        for code in needs_evidence:
            if p.locator(f"#id_file-{code}").count():
                p.set_input_files(f"#id_file-{code}", str(pdf))
                p.locator(f'button[name="upload"][value="{code}"]').click()
                expect(p.locator(f"#{code} .scs-evidence")).to_contain_text("برنامه عملیاتی ۱۴۰۴.pdf")
        if main == mains[1]:
            page.shot("scorecard-staff-entry-step-fa")
        p.locator('.scs-stepnav button[value="next"]').click()
        if p.locator(".scs-plausibility input[type=checkbox]").count():
            # A figure far from Tehran's 1403 and its peers': confirmed, never blocked.
            for box in p.locator(".scs-plausibility input[type=checkbox]").all():
                box.check()
            p.locator('.scs-stepnav button[value="next"]').click()
    # After the last step: the overview, with nothing missing.
    expect(p.get_by_test_id("missing")).to_have_count(0)
    steps = p.locator("[data-testid=steps] li")
    assert {steps.nth(i).get_attribute("data-state") for i in range(steps.count())} <= {"done", "nothing"}
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


@pytest.fixture
def phone390(browser: Browser) -> Iterator[RecordingPage]:
    yield from _page(
        browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, locale="fa-IR"
    )


def test_entry_fits_a_phone_and_a_far_figure_is_confirmed(
    live_server: LiveServer, phone390: RecordingPage
) -> None:
    """At 390 px each step is a phone's few screens, not 24,000 px; a figure far from Tehran's own
    history is saved, comes back with the figures and an "it is right" box, and is confirmed."""
    factories.seed_org()
    framework, _created = services_framework.framework_install_default()
    news = Indicator.objects.get(framework=framework, code="S05")  # news items issued (a count)
    for code, figure in (("1402", "120"), ("1403", "340")):
        earlier = make_period(code, framework=framework)
        submission = Submission.objects.get(period=earlier, province__iso_code="IR-23")
        services_entry.values_save(
            actor=officer("IR-23"), submission=submission, rows={news.code: {"value": figure}}
        )
    make_period("1404", framework=framework)
    sign_in(phone390, officer("IR-23"), live_server)
    p = phone390.page
    base = f"{live_server.url}/staff/scorecard/1404/IR-23/entry/"

    heights = {}
    for name, path in (
        ("scorecard-staff-entry-overview-390-fa", ""),
        ("scorecard-staff-entry-step-390-fa", "M02/"),
    ):
        p.goto(base + path)
        phone390.shot(name)
        heights[name] = p.evaluate("document.documentElement.scrollHeight")
        assert p.evaluate("document.documentElement.scrollWidth") <= 390, name
        assert violations(p) == [], name
    assert max(heights.values()) < 4000, heights
    assert p.locator("fieldset.scs-sub").count() == 4  # M02's four sub-indicators

    p.fill(f"#id_{news.code}-value", "۹۹٬۹۹۹٬۹۹۹")
    p.locator('.scs-stepnav button[value="next"]').click()
    warning = p.get_by_test_id(f"warning-{news.code}")
    expect(warning).to_contain_text("مقدار شما ۹۹٬۹۹۹٬۹۹۹ است؛ در دوره‌های پیشین بین ۱۲۰ تا ۳۴۰ بوده است.")
    expect(p.locator(f"#id_{news.code}-value")).to_have_value("۹۹۹۹۹۹۹۹")
    phone390.shot("scorecard-staff-entry-warning-390-fa")
    assert violations(p) == []  # WCAG 2.1 AA, the warning and its box included
    warning.get_by_role("checkbox").check()
    p.locator('.scs-stepnav button[value="next"]').click()
    expect(p.get_by_test_id("step-number")).to_contain_text("۳")
    value = Value.objects.get(submission__period__code="1404", indicator=news)
    assert value.value == 99_999_999 and value.confirmed_by == officer("IR-23")
    assert p.evaluate("document.documentElement.scrollWidth") <= 390

    # The reviewers see the figures and the confirmation on the province's scorecard.
    sign_in(phone390, evaluator(), live_server)
    p.goto(f"{live_server.url}/staff/scorecard/1404/IR-23/")
    note = p.get_by_test_id(f"warning-{news.code}")
    expect(note).to_contain_text(
        "رقم ثبت‌شده ۹۹٬۹۹۹٬۹۹۹ است؛ استان در دوره‌های پیشین بین ۱۲۰ تا ۳۴۰ گزارش کرده است."
    )
    expect(note).to_contain_text("درستی آن را تأیید کرد.")
    SHOTS.mkdir(parents=True, exist_ok=True)
    note.locator("xpath=ancestor::tr").screenshot(
        path=str(SHOTS / "scorecard-staff-province-warning-390-fa.png")
    )
    assert p.evaluate("document.documentElement.scrollWidth") <= 390
