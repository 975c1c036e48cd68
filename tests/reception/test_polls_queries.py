"""What one public answer costs the database (issue 17: 1,000 answers a second on embedded SQLite).
The provinces and a poll's questions are remembered per process (``polls.cache``); the poll row is
read on every answer, so a closed poll refuses at once, and the once-per-browser rule is still the
unique constraint."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tabyin.core.models import OrgUnit, User
from tabyin.reception.polls import cache, selectors, services
from tabyin.reception.polls.enums import PollState
from tabyin.reception.polls.models import Answer, Response
from tests.reception.polls_helpers import make_poll

pytestmark = pytest.mark.django_db


def test_one_answer_through_the_service_is_two_inserts(
    hq_analyst: User, django_assert_num_queries: Any
) -> None:
    poll = make_poll(hq_analyst)
    services.response_submit(poll=poll, token="warm", answers={"q1": "0", "q2": "3"}, province_iso="IR-23")
    # SAVEPOINT, INSERT response, INSERT answers, RELEASE (in production: BEGIN … COMMIT).
    with django_assert_num_queries(4):
        stored = services.response_submit(
            poll=poll, token="t", answers={"q1": "1", "q2": "5", "q3": "روشن"}, province_iso="ir-10"
        )
    assert stored.province_id == OrgUnit.objects.get(iso_code="IR-10").pk
    assert list(stored.answers.order_by("question__order").values_list("choice", "clarity", "text")) == [
        (1, None, ""),
        (None, 5, ""),
        (None, None, "روشن"),
    ]
    # The same browser again: refused with the first answer kept, nothing more stored.
    with pytest.raises(services.AlreadyAnsweredError) as refusal:
        services.response_submit(poll=poll, token="t", answers={"q1": "2", "q2": "1"})
    assert refusal.value.kept.pk == stored.pk
    assert (Response.objects.count(), Answer.objects.count()) == (2, 5)


def test_one_answer_through_the_public_page(hq_analyst: User, django_assert_num_queries: Any) -> None:
    poll = make_poll(hq_analyst)
    url = reverse("reception:poll", args=[poll.pk])
    data = {"q1": "0", "q2": "4", "q3": "", "province": "IR-23"}
    assert Client().post(url, data).status_code == 302  # the provinces and questions are now known
    # SELECT the poll (its state), then the service's SAVEPOINT, two INSERTs, RELEASE.
    with django_assert_num_queries(5):
        response = Client().post(url, data)
    assert response.status_code == 302
    assert Response.objects.filter(poll=poll, province__iso_code="IR-23").count() == 2


def test_closing_a_poll_refuses_the_next_answer_at_once(hq_analyst: User) -> None:
    poll = make_poll(hq_analyst)
    url = reverse("reception:poll", args=[poll.pk])
    assert Client().post(url, {"q1": "0", "q2": "4"}).status_code == 302
    services.poll_set_state(actor=hq_analyst, poll=poll, state=PollState.CLOSED)
    assert Client().post(url, {"q1": "0", "q2": "4"}).status_code == 409
    assert Response.objects.count() == 1


def test_a_deactivated_province_leaves_the_list_once_the_memory_is_read_again(hq_analyst: User) -> None:
    poll = selectors.public_poll(poll_id=make_poll(hq_analyst).pk)
    assert poll is not None and "IR-23" in cache.provinces()
    OrgUnit.objects.filter(iso_code="IR-23").update(is_active=False)
    cache.forget()  # what PROVINCE_SECONDS does on its own
    with pytest.raises(ValidationError):
        services.response_submit(poll=poll, token="x", answers={"q1": "0", "q2": "4"}, province_iso="IR-23")
    assert [q.order for q in poll.questions.all()] == [1, 2, 3]
