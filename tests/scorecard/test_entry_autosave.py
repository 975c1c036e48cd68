"""Save as you go (the step pages' script): a background post with the ``X-Tabyin-Autosave`` header
runs the buttons' save and answers JSON: stored values and each sub-indicator's plausibility note,
or the refusals with nothing stored. Without the header the same post answers as before."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from tabyin.scorecard.models import Period, Value
from tests.scorecard.helpers import in_persian, make_period, officer  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_persian")]
BACKGROUND = {"HTTP_X_TABYIN_AUTOSAVE": "1", "HTTP_ACCEPT": "application/json"}


@pytest.fixture
def period(org: None) -> Period:
    return make_period()


def step(period: Period, code: str) -> str:
    return reverse("scorecard:entry-step", kwargs={"code": period.code, "iso": "IR-23", "step": code})


def stored(period: Period) -> dict[str, Decimal | None]:
    rows = Value.objects.filter(submission__period=period, submission__province__iso_code="IR-23")
    return {v.indicator.code: v.value for v in rows.select_related("indicator")}


def test_a_background_save_stores_the_value_and_answers_json(period: Period, staff_client: Any) -> None:
    client = staff_client(officer("IR-23"))
    data = {"step": "M03", "S05-status": "reported", "S05-value": "۱۲٫۵"}
    response = client.post(step(period, "M03"), data, **BACKGROUND)
    assert response.status_code == 200, response.content
    answer = json.loads(response.content)
    assert answer["saved"] is True and answer["check"] is False
    assert stored(period) == {"S05": Decimal("12.5")}
    assert set(answer["notes"]) == {"S05", "S06"}  # M03's sub-indicators
    assert all(note.strip() == "" for note in answer["notes"].values())  # nothing far from the usual


def test_a_refused_background_save_stores_nothing_and_says_why(period: Period, staff_client: Any) -> None:
    client = staff_client(officer("IR-23"))
    data = {"step": "M03", "S05-status": "reported", "S05-value": "چند"}
    response = client.post(step(period, "M03"), data, **BACKGROUND)
    assert response.status_code == 400
    answer = json.loads(response.content)
    assert answer["saved"] is False
    assert len(answer["errors"]) == 1 and answer["errors"][0].startswith("S05")
    assert stored(period) == {}


def test_without_the_header_the_post_saves_and_moves_on_as_before(period: Period, staff_client: Any) -> None:
    client = staff_client(officer("IR-23"))
    data = {"step": "M03", "S05-status": "reported", "S05-value": "۱۲٫۵", "action": "next"}
    response = client.post(step(period, "M03"), data)
    assert response.status_code == 302 and response["Location"] == step(period, "M04")
    assert stored(period) == {"S05": Decimal("12.5")}
