"""\"Was this clear?\": stored with nothing about the person, the time cut to the hour."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from tabyin.portal.enums import ExplanationState
from tabyin.portal.feedback import services as services_feedback
from tabyin.portal.models import Feedback, Indicator
from tests.portal.test_public_pages import explanation, sample_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(org: None) -> dict[str, Any]:
    cache.clear()
    return sample_figures()


def _indicator() -> Indicator:
    return Indicator.objects.get(code="coverage-rate")


def test_the_feedback_table_has_no_field_that_could_identify_anyone() -> None:
    fields = {f.name for f in Feedback._meta.get_fields()}

    assert fields == {"id", "target", "target_id", "clear", "comment", "language", "created_hour"}


@time_machine.travel(datetime(2026, 11, 26, 10, 37, 12, tzinfo=UTC), tick=False)
def test_an_answer_is_stored_with_the_hour_only_and_the_reader_is_thanked(figures: dict[str, Any]) -> None:
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (Reader's phone)", REMOTE_ADDR="203.0.113.7")
    url = "/indicators/coverage-rate/"

    response = client.post(
        "/feedback/",
        {
            "target": "indicator",
            "target_id": _indicator().pk,
            "clear": "no",
            "comment": "  واحد ، روشن نیست  ",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{url}#feedback"
    row = Feedback.objects.get()
    assert (row.target, row.target_id, row.clear, row.comment, row.language) == (
        "indicator",
        _indicator().pk,
        False,
        "واحد ، روشن نیست",
        "fa",
    )
    assert row.created_hour == datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    stored = " ".join(str(v) for v in Feedback.objects.values_list().get())
    assert "203.0.113.7" not in stored and "Mozilla" not in stored
    assert Session.objects.count() == 0  # no session was opened for the reader either
    page = client.get(url).content.decode()
    with translation.override("fa"):
        assert translation.gettext("Thank you. Your answer helps us explain better.") in page


def test_an_answer_from_the_english_page_records_the_language(figures: dict[str, Any]) -> None:
    response = Client().post(
        "/en/feedback/", {"target": "indicator", "target_id": _indicator().pk, "clear": "yes"}
    )

    assert response["Location"] == "/en/indicators/coverage-rate/#feedback"
    assert Feedback.objects.get().language == "en" and Feedback.objects.get().clear is True


def test_answers_about_an_explanation_go_back_to_its_page(figures: dict[str, Any]) -> None:
    shown = explanation(thread=3, title="توضیح")

    response = Client().post("/feedback/", {"target": "explanation", "target_id": shown.pk, "clear": "yes"})

    assert response["Location"] == "/explanations/3/#feedback"
    assert Feedback.objects.get().target_id == shown.pk


def test_unknown_or_unpublished_targets_are_refused(figures: dict[str, Any]) -> None:
    draft = explanation(thread=4, title="پیش‌نویس", state=ExplanationState.DRAFT)
    client = Client()

    assert (
        client.post("/feedback/", {"target": "indicator", "target_id": 99999, "clear": "yes"}).status_code
        == 400
    )
    assert (
        client.post(
            "/feedback/", {"target": "explanation", "target_id": draft.pk, "clear": "yes"}
        ).status_code
        == 400
    )
    assert client.post("/feedback/", {"target": "user", "target_id": 1, "clear": "yes"}).status_code == 400
    assert client.get("/feedback/").status_code == 405
    assert Feedback.objects.count() == 0
    with pytest.raises(ValidationError):
        services_feedback.feedback_record(
            target="indicator", target_id=99999, clear=True, comment="", language="fa"
        )


def test_a_comment_over_500_characters_is_not_stored(figures: dict[str, Any]) -> None:
    client = Client()
    data = {"target": "indicator", "target_id": _indicator().pk, "clear": "yes", "comment": "ا" * 501}

    response = client.post("/feedback/", data)

    assert response["Location"] == "/indicators/coverage-rate/#feedback"
    assert Feedback.objects.count() == 0
    with pytest.raises(ValidationError):
        services_feedback.feedback_record(
            target="indicator", target_id=_indicator().pk, clear=True, comment="ا" * 501, language="fa"
        )


def test_the_form_needs_the_csrf_token(figures: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/indicators/coverage-rate/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page and 'action="/feedback/"' in page
    assert 'name="clear" value="yes"' in page and 'name="clear" value="no"' in page
    assert 'maxlength="500"' in page

    response = client.post(
        "/feedback/", {"target": "indicator", "target_id": _indicator().pk, "clear": "yes"}
    )

    assert response.status_code == 403
    assert Feedback.objects.count() == 0


def test_too_many_answers_about_one_page_in_an_hour_are_not_stored(
    figures: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services_feedback, "HOURLY_LIMIT_PER_TARGET", 2)
    client = Client()
    data = {"target": "indicator", "target_id": _indicator().pk, "clear": "yes"}

    for _ in range(3):
        assert client.post("/feedback/", data).status_code == 302

    assert Feedback.objects.count() == 2
