"""/api/v1/polls/: a public poll read without a key, answered once per device with a client key,
and problems for unknown, closed, repeated and bad answers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tabyin.core.apiclients import services as client_services
from tabyin.core.models import User
from tabyin.reception.polls.enums import PollState
from tabyin.reception.polls.models import Answer, Response
from tests.reception.polls_helpers import make_poll

pytestmark = pytest.mark.django_db
DEVICE = "device-0123456789abcdef"


def _post(path: str, body: dict[str, Any], key: str | None) -> Any:
    headers = {"HTTP_X_API_KEY": key} if key else {}
    return Client().post(
        path, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **headers
    )


@pytest.fixture
def key(org: None) -> str:
    return client_services.client_create(actor=None, name="Mobile app", rate="600/m")[1]


def test_a_poll_is_read_without_a_key(hq_analyst: User) -> None:
    poll = make_poll(hq_analyst)
    body = json.loads(Client().get(f"/api/v1/polls/{poll.pk}").content)
    assert body == {
        "id": poll.pk,
        "title": "نظرسنجی آزمایشی",
        "state": "open",
        "questions": [
            {
                "field": "q1",
                "kind": "choice",
                "text": "مستمری از کی افزایش می‌یابد؟",
                "choices": ["فروردین", "مهر", "دی"],
            },
            {"field": "q2", "kind": "clarity", "text": "این توضیح چقدر روشن بود؟", "choices": []},
            {"field": "q3", "kind": "open", "text": "چه چیزی روشن نبود؟", "choices": []},
        ],
    }


def test_a_draft_or_unknown_poll_is_a_404(hq_analyst: User) -> None:
    draft = make_poll(hq_analyst, state=PollState.DRAFT)
    assert Client().get(f"/api/v1/polls/{draft.pk}").status_code == 404
    assert Client().get("/api/v1/polls/999999").status_code == 404
    assert Client().get("/api/v1/polls/99999999999").status_code == 422  # past a database integer


def test_an_answer_needs_a_key_and_counts_once_per_device(hq_analyst: User, key: str) -> None:
    poll = make_poll(hq_analyst)
    url = f"/api/v1/polls/{poll.pk}/answers"
    body = {"device": DEVICE, "answers": {"q1": "0", "q2": "4", "q3": "روشن بود"}, "province": "IR-23"}
    assert _post(url, body, None).status_code == 401
    stored = _post(url, body, key)
    assert (stored.status_code, json.loads(stored.content)) == (201, {"stored": True})
    assert sorted((a.question.order, a.choice, a.clarity, a.text) for a in Answer.objects.all()) == [
        (1, 0, None, ""),
        (2, None, 4, ""),
        (3, None, None, "روشن بود"),
    ]
    again = _post(url, body, key)
    assert (again.status_code, json.loads(again.content)["detail"]) == (
        409,
        "This device has already answered this poll.",
    )
    assert Response.objects.count() == 1


def test_a_closed_poll_and_bad_answers_are_refused(hq_analyst: User, key: str) -> None:
    closed = make_poll(hq_analyst, state=PollState.CLOSED)
    refused = _post(f"/api/v1/polls/{closed.pk}/answers", {"device": DEVICE, "answers": {"q1": "0"}}, key)
    assert (refused.status_code, json.loads(refused.content)["detail"]) == (
        409,
        "This poll is closed: it takes no more answers.",
    )
    poll = make_poll(hq_analyst)
    bad = _post(f"/api/v1/polls/{poll.pk}/answers", {"device": DEVICE, "answers": {"q1": "7"}}, key)
    body = json.loads(bad.content)
    assert bad.status_code == 422
    assert [e["loc"] for e in body["errors"]] == [["body", "answers", "q1"]]
    assert Response.objects.count() == 0
