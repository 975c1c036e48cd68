"""Step-by-step entry (issue 16.5): partial saves, the progress across the main indicators, the
plausibility warning on a figure far from the province's history or its peers (saved, never
blocked), the officer's confirmation recorded on the value and shown to the reviewers, and the
walls around another province."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tabyin.core.models import AuditEntry
from tabyin.scorecard import selectors
from tabyin.scorecard.entry import selectors as selectors_entry
from tabyin.scorecard.entry import services as services_entry
from tabyin.scorecard.models import Framework, Period, Submission, Value
from tests.scorecard.helpers import (
    evaluator,
    fa,
    in_persian,  # noqa: F401 - a fixture
    make_framework,
    make_period,
    officer,
    page_text,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_persian")]


def sub(period: Period, iso: str) -> Submission:
    return Submission.objects.get(period=period, province__iso_code=iso)


def count(period: Period, iso: str, value: str, code: str = "S03") -> None:
    services_entry.values_save(
        actor=officer(iso), submission=sub(period, iso), rows={code: {"status": "reported", "value": value}}
    )


@pytest.fixture
def framework(org: None) -> Framework:
    return make_framework()


@pytest.fixture
def history(framework: Framework) -> Period:
    """Tehran reported 120 and 340 news items (S03, a count) in 1402 and 1403; five provinces of
    its peer group reported 180–260 in 1403. 1404 is open."""
    p1402 = make_period("1402", framework=framework)
    p1403 = make_period("1403", framework=framework)
    count(p1402, "IR-23", "120")
    count(p1403, "IR-23", "340")
    group = sub(p1403, "IR-23").peer_group
    peers = Submission.objects.filter(period=p1403, peer_group=group).exclude(province__iso_code="IR-23")
    for value, s in zip(("180", "200", "210", "240", "260"), peers.order_by("province__code"), strict=False):
        count(p1403, s.province.iso_code, value)
    return make_period("1404", framework=framework)


def test_a_partial_save_counts_exactly_in_the_steps(framework: Framework) -> None:
    period = make_period("1404", framework=framework)
    user = officer("IR-23")
    rows = {
        "S01": {"value": "1"},
        "S02": {"numerator": "40", "denominator": "80"},
        "S03": {"status": "not_applicable"},
    }
    services_entry.values_save(actor=user, submission=sub(period, "IR-23"), rows=rows)

    card = selectors.province_card(user, period, sub(period, "IR-23").province)
    steps = selectors_entry.steps(card.mains)
    # M01: S01 yes/no and S02 rate; M02: S03 and S04 counts; M03: S05 duration and S06 rubric
    # (the reviewers'); M04: S07 computed and S08 rate.
    assert [(s.code, s.filled, s.required, s.state) for s in steps[:4]] == [
        ("M01", 2, 2, "done"),
        ("M02", 1, 2, "partly"),
        ("M03", 0, 1, "not_started"),
        ("M04", 0, 1, "not_started"),
    ]
    assert selectors_entry.totals(steps) == selectors_entry.Totals(
        filled=3, required=30, done=1, partly=1, not_started=14
    )


def test_a_figure_far_from_the_history_is_saved_with_the_figures(history: Period) -> None:
    count(history, "IR-23", "99999999")

    value = Value.objects.get(submission=sub(history, "IR-23"), indicator__code="S03")
    assert value.value == Decimal(99_999_999)
    assert value.warning == {
        "value": "99999999",
        "own_far": True,
        "own_low": "120",
        "own_high": "340",
        "own_count": 2,
        "peer_far": True,
        "peer_median": "210",
        "peer_count": 5,
    }
    assert (value.confirmed_by, value.confirmed_at) == (None, None)
    # A usual figure carries no warning; a new figure replaces the old decision.
    count(history, "IR-23", "230")
    value.refresh_from_db()
    assert value.warning == {}


def test_no_history_no_warning(framework: Framework) -> None:
    period = make_period("1404", framework=framework)
    count(period, "IR-23", "99999999")
    assert Value.objects.get(indicator__code="S03").warning == {}


def test_the_confirmation_is_recorded_with_who_and_when(history: Period) -> None:
    user = officer("IR-23")
    count(history, "IR-23", "99999999")
    submission = sub(history, "IR-23")

    # A box ticked for another figure than the stored one confirms nothing.
    services_entry.values_save(actor=user, submission=submission, rows={}, confirm={"S03": "12"})
    assert Value.objects.get(submission=submission, indicator__code="S03").confirmed_at is None

    before = AuditEntry.objects.count()
    changed = services_entry.values_save(
        actor=user, submission=submission, rows={}, confirm={"S03": "99999999"}
    )

    value = Value.objects.get(submission=submission, indicator__code="S03")
    assert changed == 1
    assert value.confirmed_by == user and value.confirmed_at is not None
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.order_by("-pk").values_list("after", flat=True)[0] == {
        "confirmed": True,
        "value": "99999999",
    }
    # Another figure needs its own confirmation.
    count(history, "IR-23", "88888888")
    value.refresh_from_db()
    assert (value.confirmed_by, value.confirmed_at, value.warning["value"]) == (None, None, "88888888")


def test_an_officer_cannot_enter_or_confirm_for_another_province(history: Period, staff_client: Any) -> None:
    count(history, "IR-23", "99999999")
    isfahan = officer("IR-04")
    with pytest.raises(PermissionDenied):
        services_entry.values_save(
            actor=isfahan,
            submission=sub(history, "IR-23"),
            rows={"S03": {"value": "5"}},
            confirm={"S03": "99999999"},
        )
    client = staff_client(isfahan)
    kwargs = {"code": history.code, "iso": "IR-23", "step": "M02"}
    assert client.get(reverse("scorecard:entry-step", kwargs=kwargs)).status_code == 403
    posted = client.post(reverse("scorecard:entry-step", kwargs=kwargs), {"S03-confirm": "99999999"})
    assert posted.status_code == 403
    value = Value.objects.get(submission=sub(history, "IR-23"), indicator__code="S03")
    assert (value.value, value.confirmed_at) == (Decimal(99_999_999), None)


# --- pages -----------------------------------------------------------------------------------------


def step_url(period: Period, code: str) -> str:
    return reverse("scorecard:entry-step", kwargs={"code": period.code, "iso": "IR-23", "step": code})


def test_the_warning_round_trip_on_the_page(history: Period, staff_client: Any) -> None:
    client = staff_client(officer("IR-23"))
    data = {"S03-status": "reported", "S03-value": "۹۹۹۹۹۹۹۹", "action": "next"}

    saved = client.post(step_url(history, "M02"), data)

    # Saved, but the officer stays on the step to look at the figure.
    assert saved.status_code == 302 and saved["Location"] == step_url(history, "M02")
    page = client.get(step_url(history, "M02"))
    html, text = page.content.decode(), page_text(page)
    assert (
        "مطمئن هستید؟ مقدار شما ۹۹٬۹۹۹٬۹۹۹ است؛ در دوره‌های پیشین بین ۱۲۰ تا ۳۴۰ بوده و میانهٔ "
        "استان‌های هم‌گروه ۲۱۰ است."
    ) in text
    assert fa("Saved. Some figures are far from the usual: please check them below.") in text
    assert 'type="checkbox" name="S03-confirm" value="99999999"' in html
    assert "۱ رقم برای بررسی" in text  # on the step list

    confirmed = client.post(step_url(history, "M02"), {"S03-confirm": "99999999", "action": "next"})

    assert confirmed.status_code == 302 and confirmed["Location"] == step_url(history, "M03")
    value = Value.objects.get(submission=sub(history, "IR-23"), indicator__code="S03")
    assert value.confirmed_by == officer("IR-23")
    again = page_text(client.get(step_url(history, "M02")))
    assert "این رقم را در " in again and " تأیید کردید." in again
    assert "مطمئن هستید؟" not in again

    # The reviewers see the figures and who confirmed them.
    review = page_text(
        staff_client(evaluator()).get(
            reverse("scorecard:province", kwargs={"code": history.code, "iso": "IR-23"})
        )
    )
    assert (
        "دور از معمول رقم ثبت‌شده ۹۹٬۹۹۹٬۹۹۹ است؛ استان در دوره‌های پیشین بین ۱۲۰ تا ۳۴۰ گزارش کرده و "
        "میانهٔ استان‌های هم‌گروه ۲۱۰ است."
    ) in review
    assert (
        f"{officer('IR-23').display_name or 'officer.ir-23'} در " in review
        and "درستی آن را تأیید کرد." in review
    )


def test_previous_and_next_save_and_move(history: Period, staff_client: Any) -> None:
    client = staff_client(officer("IR-23"))

    forward = client.post(
        step_url(history, "M01"), {"S01-status": "reported", "S01-value": "1", "action": "next"}
    )
    back = client.post(
        step_url(history, "M02"), {"S04-status": "reported", "S04-value": "۷", "action": "previous"}
    )
    last = client.post(step_url(history, "M16"), {"action": "next"})

    assert forward["Location"] == step_url(history, "M02")
    assert back["Location"] == step_url(history, "M01")
    assert last["Location"] == reverse("scorecard:entry", kwargs={"code": history.code, "iso": "IR-23"})
    values = dict(
        Value.objects.filter(submission=sub(history, "IR-23")).values_list("indicator__code", "value")
    )
    assert values == {"S01": Decimal(1), "S04": Decimal(7)}
    assert client.get(step_url(history, "M99")).status_code == 404


def test_a_refused_step_keeps_what_was_typed(history: Period, staff_client: Any) -> None:
    client = staff_client(officer("IR-23"))
    data = {
        "S03-status": "reported",
        "S03-value": "۱۲٫۵",
        "S04-status": "reported",
        "S04-value": "۹",
        "action": "next",
    }

    response = client.post(step_url(history, "M02"), data)

    html, text = response.content.decode(), page_text(response)
    assert response.status_code == 200
    assert fa("Nothing was saved. Please correct:") in text
    assert 'name="S03-value" value="۱۲٫۵"' in html and 'name="S04-value" value="۹"' in html
    assert not Value.objects.filter(submission=sub(history, "IR-23")).exists()


def test_states_are_named_as_states_and_buttons_as_actions(framework: Framework, staff_client: Any) -> None:
    make_period("1404", framework=framework)
    make_period("1405", framework=framework, state="draft")
    client = staff_client(evaluator())

    periods = page_text(client.get(reverse("scorecard:periods")))
    draft = client.get(reverse("scorecard:period", kwargs={"code": "1405"})).content.decode()

    assert "باز برای ورود داده" in periods and "باز کردن برای ورود داده" not in periods
    assert 'data-action="open">باز کردن برای ورود داده</button>' in draft
